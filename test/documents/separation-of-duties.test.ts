import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSigner } from '../../src/core/security/signatures';
import { approveRevision, reviewRevision } from '../../src/features/documents/documents.workflow';
import { createTestApp, rows, run, type SignedIn, type TestApp } from '../support/app';
import { addUser, approve, count, createDocument, createDraft, PASSWORD, review, revision, submit, v } from './helpers';

/**
 * Separation of duties on a document revision (issue 19, point 12): author, reviewer and approver are three
 * different people — or two, when the organisation chose "2 people" (a very small office): then the reviewer may
 * approve, but the author still neither reviews nor approves their own revision. Every refusal is a 403 with a
 * message in the user's language that writes nothing; the pages show no form the person may not use and say why;
 * the rule in force is recorded on the revision when it is approved; the database refuses the same things.
 */
let t: TestApp;
let qo: SignedIn;
let admin: SignedIn;
let leader: SignedIn;
let deputy: SignedIn;
let qo2: SignedIn;
let deputyId: number;
beforeAll(async () => {
  t = await createTestApp();
  deputyId = await addUser(t, 'phophong', 'leader', t.units.main);
  await addUser(t, 'thuky2', 'quality_officer', t.units.main);
  qo = await t.signIn('quality_officer');
  admin = await t.signIn('admin');
  leader = await t.signIn('leader');
  deputy = await t.signIn('phophong');
  qo2 = await t.signIn('thuky2');
});
afterAll(async () => t.close());

let seq = 0;
const newDoc = () => createDocument(qo, { code: `QT-PC-${String(++seq).padStart(2, '0')}`, title: `Tài liệu phân công ${seq}` });
/** A revision written and submitted by `author`, waiting for its review. */
async function submitted(author: SignedIn = qo): Promise<{ docId: number; revId: number }> {
  const docId = await newDoc();
  const revId = await createDraft(author, docId, 'Nội dung cần xem xét');
  expect((await submit(author, t, docId, revId)).status).toBe(303);
  return { docId, revId };
}
const snapshot = async (revId: number) => ({
  rev: await rows(t, 'select * from document_revisions where id = ?', revId),
  signatures: await count(t, 'select count(*) from e_signatures'),
  audit: await count(t, 'select count(*) from audit_log'),
});
const revUrl = (docId: number, revId: number) => `/documents/${docId}/revisions/${revId}`;
const setRule = async (n: 2 | 3) => {
  const org = (await rows<{ version: number }>(t, 'select version from organisation'))[0];
  const res = await admin.post('/admin/organisation', {
    name: 'Phòng Lao động - Thương binh và Xã hội',
    time_zone: 'Asia/Ho_Chi_Minh',
    not_applicable_clauses: '8.3',
    revision_signers: String(n),
    version: String(org.version),
  });
  expect(res.status, res.text.slice(0, 500)).toBe(303);
  expect(await rows(t, 'select revision_signers from organisation')).toEqual([{ revision_signers: n }]);
};

describe('the author never signs the review of their own revision', () => {
  it('refuses it (403, message in vi and en), writes nothing, and shows no review form to the author', async () => {
    const { docId, revId } = await submitted();
    const page = await qo.get(revUrl(docId, revId));
    expect(page.text).not.toContain('name="review_password"');
    expect(page.text).toContain('Bạn là người soạn thảo lần ban hành này nên không thể ký xem xét');
    const before = await snapshot(revId);
    const res = await review(qo, t, docId, revId);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Người soạn thảo không được tự ký xem xét lần ban hành của mình.');
    expect(await snapshot(revId)).toEqual(before);
    const en = await qo.agent
      .post(`${revUrl(docId, revId)}/review?lang=en`)
      .type('form')
      .send({ version: await v(t, revId), review_password: PASSWORD, _csrf: qo.csrf });
    expect(en.status).toBe(403);
    expect(en.text).toContain('The author of a revision cannot sign its review.');
    await qo.get('/?lang=vi');
    // the service refuses it too, whoever calls it
    const signer = (await checkSigner(t.ctx, t.users.quality_officer, PASSWORD))!;
    await expect(reviewRevision(t.ctx, docId, revId, { version: (await revision(t, revId)).version, comment: null }, signer)).rejects.toMatchObject({
      status: 403,
    });
    expect(await snapshot(revId)).toEqual(before);
    // another quality officer may review it
    expect((await review(qo2, t, docId, revId)).status).toBe(303);
  });
});

describe('with the default rule (3 different people)', () => {
  it('the deputy who reviewed a revision cannot approve it; another leader approves, and the rule 3 is recorded', async () => {
    expect(await rows(t, 'select revision_signers from organisation')).toEqual([{ revision_signers: 3 }]);
    const { docId, revId } = await submitted();
    expect((await review(deputy, t, docId, revId)).status).toBe(303);
    const page = await deputy.get(revUrl(docId, revId));
    expect(page.text).not.toContain('name="approve_password"');
    expect((await deputy.get('/')).text).not.toContain(revUrl(docId, revId));
    expect(page.text).toContain('Bạn đã ký xem xét lần ban hành này');
    const before = await snapshot(revId);
    const res = await approve(deputy, t, docId, revId);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Người đã ký xem xét không được phê duyệt cùng lần ban hành');
    expect(await snapshot(revId)).toEqual(before);
    const en = await deputy.agent
      .post(`${revUrl(docId, revId)}/approve?lang=en`)
      .type('form')
      .send({ version: await v(t, revId), approve_password: PASSWORD, _csrf: deputy.csrf });
    expect(en.status).toBe(403);
    expect(en.text).toContain('The reviewer of a revision cannot also approve it');
    await deputy.get('/?lang=vi');
    const signer = (await checkSigner(t.ctx, deputyId, PASSWORD))!;
    await expect(approveRevision(t.ctx, docId, revId, { version: (await revision(t, revId)).version, effectiveFrom: undefined }, signer)).rejects.toMatchObject(
      {
        status: 403,
      },
    );
    expect(await snapshot(revId)).toEqual(before);

    expect((await leader.get(revUrl(docId, revId))).text).toContain('name="approve_password"');
    expect((await approve(leader, t, docId, revId)).status).toBe(303);
    expect(await rows(t, 'select status, author_id, reviewer_id, approver_id, signers_rule from document_revisions where id = ?', revId)).toEqual([
      { status: 'effective', author_id: t.users.quality_officer, reviewer_id: deputyId, approver_id: t.users.leader, signers_rule: 3 },
    ]);
    const entry = await rows<{ new_values: string }>(
      t,
      "select new_values from audit_log where entity = 'document_revision' and entity_id = ? and action = 'approve'",
      String(revId),
    );
    expect(JSON.parse(entry[0].new_values)).toMatchObject({ status: 'approved', signers_rule: 3 });
    const shown = await leader.get(`/documents/${docId}`);
    expect(shown.text).toContain('Phân công ký: 3 người khác nhau soạn thảo, xem xét và phê duyệt.');
    expect((await leader.get(`/documents/${docId}?lang=en`)).text).toContain('Separation of duties: prepared, reviewed and approved by 3 different people.');
    await leader.get('/?lang=vi');
  });
});

describe('with the rule of 2 people (a very small office)', () => {
  it('is an organisation setting (admin, with its audit entry), 3 by default', async () => {
    const form = await admin.get('/admin/organisation');
    expect(form.text).toMatch(/<option value="3"\s+selected/);
    expect(form.text).toContain('3 người: soạn thảo, xem xét và phê duyệt là ba người khác nhau');
    const org = (await rows<{ version: number }>(t, 'select version from organisation'))[0];
    const bad = await admin.post('/admin/organisation', {
      name: 'Phòng Lao động - Thương binh và Xã hội',
      time_zone: 'Asia/Ho_Chi_Minh',
      revision_signers: '1',
      version: String(org.version),
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="e-revision_signers">Lựa chọn không hợp lệ/);
    await setRule(2);
    const last = (
      await rows<{ old_values: string; new_values: string }>(
        t,
        "select old_values, new_values from audit_log where entity = 'organisation' order by id desc limit 1",
      )
    )[0];
    expect(JSON.parse(last.old_values)).toMatchObject({ revision_signers: 3 });
    expect(JSON.parse(last.new_values)).toMatchObject({ revision_signers: 2 });
    expect((await leader.get('/admin/organisation')).status).toBe(403);
  });

  it('lets the reviewer approve, and records the rule 2 on the revision', async () => {
    const { docId, revId } = await submitted();
    expect((await review(deputy, t, docId, revId)).status).toBe(303);
    expect((await deputy.get(revUrl(docId, revId))).text).toContain('name="approve_password"');
    // and the reviewer's home page lists it as waiting for their signature
    expect((await deputy.get('/')).text).toContain(revUrl(docId, revId));
    expect((await approve(deputy, t, docId, revId)).status).toBe(303);
    expect(await rows(t, 'select status, reviewer_id, approver_id, signers_rule from document_revisions where id = ?', revId)).toEqual([
      { status: 'effective', reviewer_id: deputyId, approver_id: deputyId, signers_rule: 2 },
    ]);
    expect((await deputy.get(`/documents/${docId}`)).text).toContain('Phân công ký: quy tắc 2 người');
  });

  it('still refuses the author: no review, and no approval even once the author is a leader', async () => {
    const authorId = await addUser(t, 'thuky3', 'quality_officer', t.units.main);
    const author = await t.signIn('thuky3');
    const { docId, revId } = await submitted(author);
    let before = await snapshot(revId);
    expect((await review(author, t, docId, revId)).status).toBe(403);
    expect(await snapshot(revId)).toEqual(before);
    expect((await review(deputy, t, docId, revId)).status).toBe(303);
    await run(t, "update users set role = 'leader' where id = ?", authorId);
    const promoted = await t.signIn('thuky3');
    const page = await promoted.get(revUrl(docId, revId));
    expect(page.text).not.toContain('name="approve_password"');
    expect(page.text).toContain('Bạn là người soạn thảo lần ban hành này nên không thể phê duyệt');
    before = await snapshot(revId);
    const res = await approve(promoted, t, docId, revId);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Người soạn thảo không được tự phê duyệt lần ban hành của mình.');
    expect(await snapshot(revId)).toEqual(before);
    expect((await approve(deputy, t, docId, revId)).status).toBe(303);
    expect((await revision(t, revId)).status).toBe('effective');
  });

  it('a revision keeps the rule it was approved under when the setting changes back', async () => {
    const approvedUnderTwo = (await rows<{ id: number }>(t, 'select id from document_revisions where signers_rule = 2 order by id limit 1'))[0].id;
    await setRule(3);
    expect(await rows(t, 'select signers_rule from document_revisions where id = ?', approvedUnderTwo)).toEqual([{ signers_rule: 2 }]);
    const { docId, revId } = await submitted();
    expect((await review(deputy, t, docId, revId)).status).toBe(303);
    expect((await approve(deputy, t, docId, revId)).status).toBe(403);
  });
});

describe('the database refuses the same, whatever the code does', () => {
  it('an author as reviewer or approver, a reviewer as approver under the rule of 3, and a changed rule', async () => {
    const { revId } = await submitted();
    await expect(run(t, 'update document_revisions set reviewer_id = author_id where id = ?', revId)).rejects.toThrow(/cannot review/);
    await expect(run(t, 'update document_revisions set approver_id = author_id where id = ?', revId)).rejects.toThrow(/approver/);
    await run(t, 'update document_revisions set reviewer_id = ?, reviewed_at = ? where id = ?', deputyId, '2026-11-26T02:00:00Z', revId);
    await expect(run(t, 'update document_revisions set approver_id = reviewer_id where id = ?', revId)).rejects.toThrow(/approver/);
    await expect(run(t, 'update document_revisions set approver_id = reviewer_id, signers_rule = 3 where id = ?', revId)).rejects.toThrow(/approver/);
    await run(t, 'update document_revisions set approver_id = reviewer_id, signers_rule = 2 where id = ?', revId);
    await expect(run(t, 'update document_revisions set signers_rule = 3 where id = ?', revId)).rejects.toThrow(/never changes/);
    // SQLite: "CHECK constraint failed"; PostgreSQL: "violates check constraint"
    await expect(run(t, 'update organisation set revision_signers = 4')).rejects.toThrow(/check constraint/i);
  });
});
