import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSigner } from '../../src/core/security/signatures';
import { approveRevision, activateDueRevisions } from '../../src/features/documents/documents.workflow';
import { createTestApp, rows, run, type SignedIn, type TestApp } from '../support/app';
import { addUser, approve, auditActions, count, createDocument, createDraft, PASSWORD, publish, review, revision, submit, v } from './helpers';

/**
 * What the workflow refuses: every forbidden transition (409, nothing written), a wrong signature
 * password (nothing written), an author approving their own revision, two approvals racing, and the
 * database's own guards (one effective, one in progress, frozen content).
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let leader2: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  await addUser(t, 'lanhdao2', 'leader', t.units.main);
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  admin = await t.signIn('admin');
  leader2 = await t.signIn('lanhdao2');
});
afterAll(async () => t.close());

const people = () => ({ author: qo, reviewer: admin, approver: leader });
let seq = 0;
const newDoc = () => createDocument(qo, { code: `QT-T-${String(++seq).padStart(2, '0')}`, title: `Tài liệu thử ${seq}` });

/** A snapshot of everything a refused step must leave untouched. */
const snapshot = async (revId: number) => ({
  rev: await rows(t, 'select * from document_revisions where id = ?', revId),
  signatures: await count(t, 'select count(*) from e_signatures'),
  audit: await count(t, 'select count(*) from audit_log'),
  acks: await count(t, 'select count(*) from document_acknowledgements'),
});

type Step = 'submit' | 'edit' | 'review' | 'return' | 'approve' | 'cancel' | 'attach_remove' | 'acknowledge';
const STEPS: Step[] = ['submit', 'edit', 'review', 'return', 'approve', 'cancel', 'attach_remove', 'acknowledge'];

async function attempt(step: Step, docId: number, revId: number) {
  const base = `/documents/${docId}/revisions/${revId}`;
  const version = await v(t, revId);
  switch (step) {
    case 'submit':
      return qo.post(`${base}/submit`, { version });
    case 'edit':
      return qo.post(base, { body: 'thay đổi', change_summary: 'x', version });
    case 'review':
      return review(admin, t, docId, revId);
    case 'return':
      return admin.post(`${base}/return`, { version, return_comment: 'trả lại' });
    case 'approve':
      return approve(leader, t, docId, revId);
    case 'cancel':
      return qo.post(`${base}/cancel`, { version, cancel_reason: 'hủy' });
    case 'attach_remove':
      return qo.post(`${base}/file/remove`, { version });
    case 'acknowledge':
      return qo.post(`${base}/acknowledge`);
  }
}

/** The steps each state allows; every other step must be refused with 409 and change nothing. */
const ALLOWED: Record<string, Step[]> = {
  draft: ['submit', 'edit', 'cancel', 'attach_remove'],
  in_review: ['review', 'return', 'cancel'],
  in_review_reviewed: ['approve', 'return', 'cancel'],
  approved: ['cancel'],
  effective: ['acknowledge'],
  superseded: [],
  withdrawn: [],
  cancelled: [],
};

async function revisionIn(state: string): Promise<{ docId: number; revId: number }> {
  const docId = await newDoc();
  if (state === 'superseded') {
    const revId = await publish(t, people(), docId, 'một');
    await publish(t, people(), docId, 'hai', 'sửa');
    return { docId, revId };
  }
  if (state === 'withdrawn') {
    const revId = await publish(t, people(), docId, 'một');
    await qo.post(`/documents/${docId}/withdraw`, {
      version: String((await rows<{ version: number }>(t, 'select version from documents where id = ?', docId))[0].version),
      withdraw_reason: 'thôi',
    });
    return { docId, revId };
  }
  if (state === 'effective') return { docId, revId: await publish(t, people(), docId, 'một') };
  if (state === 'approved') return { docId, revId: await publish(t, people(), docId, 'một', undefined, '2099-12-31') };
  const revId = await createDraft(qo, docId, 'nội dung');
  if (state === 'cancelled') await qo.post(`/documents/${docId}/revisions/${revId}/cancel`, { version: await v(t, revId), cancel_reason: 'hủy' });
  if (state.startsWith('in_review')) await submit(qo, t, docId, revId);
  if (state === 'in_review_reviewed') await review(admin, t, docId, revId);
  return { docId, revId };
}

describe('forbidden transitions', () => {
  for (const [state, allowed] of Object.entries(ALLOWED)) {
    it(`${state}: refuses ${STEPS.filter((s) => !allowed.includes(s)).join(', ')}`, async () => {
      const { docId, revId } = await revisionIn(state);
      const status = (await revision(t, revId)).status;
      expect(status).toBe(state.replace('_reviewed', ''));
      for (const step of STEPS.filter((s) => !allowed.includes(s))) {
        const before = await snapshot(revId);
        const res = await attempt(step, docId, revId);
        expect([404, 409], `${state} ${step} → ${res.status}`).toContain(res.status);
        if (state !== 'withdrawn' && state !== 'superseded') expect(res.status, `${state} ${step}`).toBe(409);
        expect(await snapshot(revId), `${state} ${step} wrote something`).toEqual(before);
      }
    });
  }

  it('refuses a second revision in progress, and a new revision of a withdrawn document', async () => {
    const docId = await newDoc();
    await createDraft(qo, docId, 'một');
    const res = await qo.post(`/documents/${docId}/revisions`, { body: 'hai', change_summary: 'hai' });
    expect(res.status).toBe(409);
    expect(await count(t, 'select count(*) from document_revisions where document_id = ?', docId)).toBe(1);
    const { docId: gone } = await revisionIn('withdrawn');
    expect((await qo.post(`/documents/${gone}/revisions`, { body: 'x', change_summary: 'x' })).status).toBe(409);
  });

  it('refuses to submit a draft with neither text nor file', async () => {
    const docId = await newDoc();
    const revId = await createDraft(qo, docId, '');
    expect((await submit(qo, t, docId, revId)).status).toBe(422);
    expect((await revision(t, revId)).status).toBe('draft');
  });
});

describe('electronic signatures', () => {
  it('a wrong password on review, approval or periodic review is refused (422) and writes nothing', async () => {
    const docId = await newDoc();
    const revId = await createDraft(qo, docId, 'nội dung');
    await submit(qo, t, docId, revId);
    let before = await snapshot(revId);
    const bad = await review(admin, t, docId, revId, 'wrong password!');
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Mật khẩu không đúng');
    expect(await snapshot(revId)).toEqual(before);
    await review(admin, t, docId, revId);
    before = await snapshot(revId);
    const badApprove = await leader.post(`/documents/${docId}/revisions/${revId}/approve`, { version: await v(t, revId), approve_password: 'nope nope nope' });
    expect(badApprove.status).toBe(422);
    expect(await snapshot(revId)).toEqual(before);
    await approve(leader, t, docId, revId);
    before = await snapshot(revId);
    const badReview = await qo.post(`/documents/${docId}/reviews`, { revision_id: String(revId), periodic_password: 'not my password' });
    expect(badReview.status).toBe(422);
    expect(await snapshot(revId)).toEqual(before);
    expect(await count(t, 'select count(*) from document_reviews')).toBe(0);
  });

  it('the author of a revision cannot approve it (403), even once they have become a leader; another leader can', async () => {
    const docId = await newDoc();
    // Leaders do not draft (README, Roles): the author is a quality officer, made a leader while the revision waits.
    expect((await leader.post(`/documents/${docId}/revisions`, { body: 'Lãnh đạo tự soạn' })).status).toBe(403);
    const authorId = await addUser(t, 'thukymoi', 'quality_officer', t.units.main);
    const author = await t.signIn('thukymoi');
    const revId = await createDraft(author, docId, 'Thư ký soạn, sau đó được bổ nhiệm lãnh đạo');
    await submit(author, t, docId, revId);
    await review(admin, t, docId, revId);
    await run(t, "update users set role = 'leader' where id = ?", authorId);
    const promoted = await t.signIn('thukymoi');
    const page = await promoted.get(`/documents/${docId}/revisions/${revId}`);
    expect(page.text).not.toContain('name="approve_password"');
    expect(page.text).toContain('không thể phê duyệt');
    const before = await snapshot(revId);
    const res = await approve(promoted, t, docId, revId);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Người soạn thảo không được tự phê duyệt');
    expect(await snapshot(revId)).toEqual(before);
    const signer = await checkSigner(t.ctx, authorId, PASSWORD);
    await expect(
      approveRevision(t.ctx, docId, revId, { version: (await revision(t, revId)).version, effectiveFrom: undefined }, signer!),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect((await approve(leader2, t, docId, revId)).status).toBe(303);
    expect((await revision(t, revId)).status).toBe('effective');
  });

  it('only leaders may approve; staff and quality officers get 403', async () => {
    const docId = await newDoc();
    const revId = await createDraft(qo, docId, 'x');
    await submit(qo, t, docId, revId);
    await review(admin, t, docId, revId);
    for (const who of [qo, admin, await t.signIn('staff')]) {
      expect((await who.post(`/documents/${docId}/revisions/${revId}/approve`, { version: await v(t, revId), approve_password: PASSWORD })).status).toBe(403);
    }
    expect((await revision(t, revId)).status).toBe('in_review');
  });
});

describe('one effective revision per document', () => {
  it('two approvals racing through HTTP: exactly one wins, one signature, one effective', async () => {
    const docId = await newDoc();
    await publish(t, people(), docId, 'bản một');
    const revId = await createDraft(qo, docId, 'bản hai', 'sửa');
    await submit(qo, t, docId, revId);
    await review(admin, t, docId, revId);
    const version = await v(t, revId);
    const [a, b] = await Promise.all([
      leader.post(`/documents/${docId}/revisions/${revId}/approve`, { version, approve_password: PASSWORD }),
      leader2.post(`/documents/${docId}/revisions/${revId}/approve`, { version, approve_password: PASSWORD }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    expect(await count(t, "select count(*) from document_revisions where document_id = ? and status = 'effective'", docId)).toBe(1);
    expect(await count(t, "select count(*) from e_signatures where entity_id = ? and meaning = 'approved'", revId)).toBe(1);
    expect((await auditActions(t, 'document_revision', revId)).filter((x) => x === 'make_effective')).toHaveLength(1);
  });

  it('two approvals racing in the service, and two schedulers racing: still one effective', async () => {
    const docId = await newDoc();
    const revId = await createDraft(qo, docId, 'x');
    await submit(qo, t, docId, revId);
    await review(admin, t, docId, revId);
    const s1 = (await checkSigner(t.ctx, t.users.leader, PASSWORD))!;
    const version = (await revision(t, revId)).version;
    const results = await Promise.allSettled([
      approveRevision(t.ctx, docId, revId, { version, effectiveFrom: undefined }, s1),
      approveRevision(t.ctx, docId, revId, { version, effectiveFrom: undefined }, s1),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await count(t, "select count(*) from document_revisions where document_id = ? and status = 'effective'", docId)).toBe(1);

    const doc2 = await newDoc();
    const scheduled = await publish(t, people(), doc2, 'y', undefined, '2026-11-27');
    t.clock.advance(86_400_000);
    const counts = await Promise.all([activateDueRevisions(t.ctx), activateDueRevisions(t.ctx), activateDueRevisions(t.ctx)]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
    expect((await revision(t, scheduled)).status).toBe('effective');
    t.clock.advance(-86_400_000);
  });

  it('the database itself refuses a second effective or in-progress revision, frozen content and illegal status changes', async () => {
    const docId = await newDoc();
    const r1 = await publish(t, people(), docId, 'một');
    const r2 = await createDraft(qo, docId, 'hai', 'sửa');
    const at = t.clock.now().toISOString();
    // SQLite: "UNIQUE constraint failed"; PostgreSQL: "duplicate key value violates unique constraint"
    const UNIQUE = /unique constraint/i;
    await expect(
      run(
        t,
        "insert into document_revisions (document_id, revision_no, body, change_summary, author_id, created_at, updated_at, organisation_id) values (?, 9, 'x', 'y', ?, ?, ?, 1)",
        docId,
        t.users.quality_officer,
        at,
        at,
      ),
    ).rejects.toThrow(UNIQUE);
    await expect(
      run(
        t,
        "insert into document_revisions (document_id, revision_no, status, author_id, change_summary, created_at, updated_at, effective_from, organisation_id) values (?, 9, 'effective', ?, 'y', ?, ?, '2026-01-01', 1)",
        docId,
        t.users.quality_officer,
        at,
        at,
      ),
    ).rejects.toThrow(/draft/);
    await expect(run(t, "update document_revisions set body = 'sửa lén' where id = ?", r1)).rejects.toThrow(/frozen/);
    await expect(run(t, "update document_revisions set file_sha256 = null, file_name = null, change_summary = 'x' where id = ?", r1)).rejects.toThrow(/frozen/);
    await expect(run(t, "update document_revisions set status = 'draft' where id = ?", r1)).rejects.toThrow(/not allowed/);
    await expect(run(t, "update document_revisions set status = 'effective', effective_from = '2026-11-26' where id = ?", r2)).rejects.toThrow(/not allowed/);
    await expect(run(t, 'delete from document_revisions where id = ?', r2)).rejects.toThrow(/never deleted/);
    await run(t, "update document_revisions set status = 'in_review' where id = ?", r2);
    await run(t, "update document_revisions set status = 'approved', effective_from = '2026-11-26' where id = ?", r2);
    await expect(run(t, "update document_revisions set status = 'effective' where id = ?", r2)).rejects.toThrow(UNIQUE);
    expect((await revision(t, r1)).body).toBe('một');
  });
});
