import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/security/signatures';
import { activateDueRevisions } from '../../src/features/documents/documents.workflow';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { approve, auditActions, count, createDocument, createDraft, publish, review, revision, submit, v } from './helpers';

/**
 * The revision workflow: every allowed transition and the audit entry it writes, a full publish with
 * signatures, and the superseding of the previous effective revision in the same transaction.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
/** Moving the fake clock ends the sessions (idle timeout): sign in again. */
async function signInAll(): Promise<void> {
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  admin = await t.signIn('admin');
}
beforeAll(async () => {
  t = await createTestApp();
  await signInAll();
});
afterAll(async () => t.close());

describe('a document from first draft to a second effective revision', () => {
  let docId: number;
  let rev1: number;

  it('creates the document and its first draft, each with an audit entry', async () => {
    docId = await createDocument(qo, { code: 'QT-HT-01', title: 'Kiểm soát thông tin dạng văn bản', retention: '05 năm' });
    expect(await rows(t, 'select code, type, review_interval_months, retention, ack_scope, status from documents where id = ?', docId)).toEqual([
      { code: 'QT-HT-01', type: 'procedure', review_interval_months: 12, retention: '05 năm', ack_scope: 'owner_unit', status: 'active' },
    ]);
    expect(await auditActions(t, 'document', docId)).toEqual(['create']);
    rev1 = await createDraft(qo, docId, '## Mục đích\n\nQuy định cách kiểm soát tài liệu.');
    expect((await revision(t, rev1)).status).toBe('draft');
    expect(await auditActions(t, 'document_revision', rev1)).toEqual(['create']);
  });

  it('edits the draft (optimistic lock), then submits it', async () => {
    const res = await qo.post(`/documents/${docId}/revisions/${rev1}`, {
      body: '## Mục đích\n\nQuy định thống nhất cách kiểm soát tài liệu.',
      version: await v(t, rev1),
    });
    expect(res.status).toBe(303);
    const stale = await qo.post(`/documents/${docId}/revisions/${rev1}`, { body: 'x', version: '1' });
    expect(stale.status).toBe(409);
    expect((await revision(t, rev1)).body).toContain('thống nhất');
    expect((await submit(qo, t, docId, rev1)).status).toBe(303);
    expect((await revision(t, rev1)).status).toBe('in_review');
    expect(await auditActions(t, 'document_revision', rev1)).toEqual(['create', 'update', 'submit']);
  });

  it('is sent back to draft with a comment, and resubmitted', async () => {
    const res = await admin.post(`/documents/${docId}/revisions/${rev1}/return`, { version: await v(t, rev1), return_comment: 'Bổ sung phạm vi áp dụng' });
    expect(res.status).toBe(303);
    expect(await rows(t, 'select status, review_comment from document_revisions where id = ?', rev1)).toEqual([
      { status: 'draft', review_comment: 'Bổ sung phạm vi áp dụng' },
    ]);
    expect((await qo.get(`/documents/${docId}/revisions/${rev1}`)).text).toContain('Bổ sung phạm vi áp dụng');
    await qo.post(`/documents/${docId}/revisions/${rev1}`, {
      body: '## Mục đích\n\nQuy định thống nhất cách kiểm soát tài liệu.\n\n## Phạm vi\n\nToàn cơ quan.',
      version: await v(t, rev1),
    });
    expect((await submit(qo, t, docId, rev1)).status).toBe(303);
    expect(await auditActions(t, 'document_revision', rev1)).toEqual(['create', 'update', 'submit', 'return', 'update', 'submit']);
  });

  it('is reviewed with a signature, then approved by a leader and takes effect today', async () => {
    expect((await review(admin, t, docId, rev1)).status).toBe(303);
    const res = await approve(leader, t, docId, rev1);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/documents/${docId}`);
    const r = await revision(t, rev1);
    expect(r).toMatchObject({ status: 'effective', effective_from: '2026-11-26', next_review_due: '2027-11-26', superseded_on: null });
    const hash = contentHash(r.body, null);
    expect(
      await rows(
        t,
        "select meaning, user_id, signer_name, content_sha256 from e_signatures where entity = 'document_revision' and entity_id = ? order by id",
        rev1,
      ),
    ).toEqual([
      { meaning: 'reviewed', user_id: t.users.admin, signer_name: 'Người dùng admin', content_sha256: hash },
      { meaning: 'approved', user_id: t.users.leader, signer_name: 'Người dùng leader', content_sha256: hash },
    ]);
    expect((await auditActions(t, 'document_revision', rev1)).slice(6)).toEqual(['sign:reviewed', 'review', 'sign:approved', 'approve', 'make_effective']);
    const page = await qo.get(`/documents/${docId}`);
    expect(page.text).toContain('Soạn thảo');
    expect(page.text).toContain('Người dùng quality_officer');
    expect(page.text).toContain('Người dùng leader');
    expect(page.text).toContain('26/11/2026');
    expect(page.text).toContain('Bảng theo dõi sửa đổi');
  });

  it('a second revision needs a change summary, and supersedes the first in the same transaction', async () => {
    const missing = await qo.post(`/documents/${docId}/revisions`, { body: 'Bản mới' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('nội dung sửa đổi');
    t.clock.advance(40 * 86_400_000);
    await signInAll();
    const rev2 = await publish(t, { author: qo, reviewer: admin, approver: leader }, docId, '## Mục đích\n\nBản sửa đổi.', 'Cập nhật theo Nghị định 30/2020');
    expect(await revision(t, rev1)).toMatchObject({ status: 'superseded', superseded_on: '2027-01-05' });
    expect(await revision(t, rev2)).toMatchObject({ status: 'effective', effective_from: '2027-01-05', next_review_due: '2028-01-05' });
    expect((await auditActions(t, 'document_revision', rev1)).at(-1)).toBe('supersede');
    expect(await count(t, "select count(*) from document_revisions where document_id = ? and status = 'effective'", docId)).toBe(1);
    const history = await qo.get(`/documents/${docId}`);
    expect(history.text).toContain('Cập nhật theo Nghị định 30/2020');
    const old = await qo.get(`/documents/${docId}/revisions/${rev1}`);
    expect(old.status).toBe(200);
    expect(old.text).toContain('superseded-mark');
    expect(old.text).toContain('Đã được thay thế');
  });

  it('compares two revisions as text, sentence by sentence (issue 25)', async () => {
    const revs = await rows<{ id: number }>(t, 'select id from document_revisions where document_id = ? order by revision_no', docId);
    const res = await qo.get(`/documents/${docId}/compare?from=${revs[0].id}&to=${revs[1].id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<div class="doc-diff card">Mục đích\n<del class="diff">Quy định thống nhất cách kiểm soát tài liệu.\nPhạm vi\nToàn cơ quan.\n</del><ins class="diff">Bản sửa đổi.\n</ins></div>',
    );
  });
});

describe('scheduled effect, cancellation and withdrawal', () => {
  it('an approved revision with a later date says "sẽ có hiệu lực từ", is in force from that local date and the timer records it', async () => {
    const docId = await createDocument(qo, { code: 'QT-HT-02', title: 'Đánh giá nội bộ' });
    const today = new Date(t.clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const later = new Date(Date.parse(`${today}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    const revId = await publish(t, { author: qo, reviewer: admin, approver: leader }, docId, 'Nội dung đánh giá nội bộ', undefined, later);
    expect(await revision(t, revId)).toMatchObject({ status: 'approved', effective_from: later });
    expect((await qo.get(`/documents/${docId}/revisions/${revId}`)).text).toContain(
      `sẽ có hiệu lực từ ${later.slice(8, 10)}/${later.slice(5, 7)}/${later.slice(0, 4)}`,
    );
    // 16:59 UTC the day before = 23:59 in Hà Nội: not yet.
    t.clock.set(`${new Date(Date.parse(`${later}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)}T16:59:00Z`);
    await signInAll();
    expect((await qo.get('/documents/current')).text).not.toContain('QT-HT-02');
    expect(await activateDueRevisions(t.ctx)).toBe(0);
    expect((await revision(t, revId)).status).toBe('approved');
    t.clock.set(`${new Date(Date.parse(`${later}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)}T17:00:00Z`);
    // In force from 00:00 by its date (issue 29): the page lists it without writing; the timer records the transition.
    const page = await qo.get('/documents/current');
    expect(page.text).toContain('QT-HT-02');
    expect((await revision(t, revId)).status).toBe('approved');
    expect(await activateDueRevisions(t.ctx)).toBe(1);
    expect((await revision(t, revId)).status).toBe('effective');
    expect(
      await rows(t, "select user_id from audit_log where entity = 'document_revision' and entity_id = ? and action = 'make_effective'", String(revId)),
    ).toEqual([{ user_id: null }]);
  });

  it('cancels a draft, a revision in review and an approved one, with a reason and an audit entry', async () => {
    const docId = await createDocument(qo, { code: 'QT-HT-03', title: 'Xem xét của lãnh đạo' });
    const a = await createDraft(qo, docId, 'A');
    expect((await qo.post(`/documents/${docId}/revisions/${a}/cancel`, { version: await v(t, a), cancel_reason: 'Soạn nhầm' })).status).toBe(303);
    expect(await rows(t, 'select status, closed_reason from document_revisions where id = ?', a)).toEqual([
      { status: 'cancelled', closed_reason: 'Soạn nhầm' },
    ]);
    const b = await createDraft(qo, docId, 'B', 'Soạn lại');
    await submit(qo, t, docId, b);
    expect((await qo.post(`/documents/${docId}/revisions/${b}/cancel`, { version: await v(t, b), cancel_reason: 'Đổi hướng' })).status).toBe(303);
    const c = await publish(t, { author: qo, reviewer: admin, approver: leader }, docId, 'C', 'Lần ba', '2099-01-01');
    expect((await revision(t, c)).status).toBe('approved');
    // A leader does not cancel a revision (README, Roles: quality officers do); the approved one stays approved.
    expect((await leader.post(`/documents/${docId}/revisions/${c}/cancel`, { version: await v(t, c), cancel_reason: 'Chưa phù hợp' })).status).toBe(403);
    expect((await revision(t, c)).status).toBe('approved');
    expect((await qo.post(`/documents/${docId}/revisions/${c}/cancel`, { version: await v(t, c), cancel_reason: 'Chưa phù hợp' })).status).toBe(303);
    for (const id of [a, b, c]) expect((await auditActions(t, 'document_revision', id)).at(-1)).toBe('cancel');
    expect(await count(t, "select count(*) from document_revisions where document_id = ? and status = 'cancelled'", docId)).toBe(3);
  });

  it('withdraws a whole document: effective → withdrawn, the draft cancelled, out of the current list', async () => {
    const docId = await createDocument(qo, { code: 'QT-HT-04', title: 'Kiểm soát sự không phù hợp' });
    const r1 = await publish(t, { author: qo, reviewer: admin, approver: leader }, docId, 'Nội dung 1');
    const r2 = await createDraft(qo, docId, 'Nội dung 2', 'Sửa');
    const version = String((await rows<{ version: number }>(t, 'select version from documents where id = ?', docId))[0].version);
    const res = await qo.post(`/documents/${docId}/withdraw`, { version, withdraw_reason: 'Gộp vào QT-HT-01' });
    expect(res.status).toBe(303);
    expect(await rows(t, 'select status, withdrawn_reason from documents where id = ?', docId)).toEqual([
      { status: 'withdrawn', withdrawn_reason: 'Gộp vào QT-HT-01' },
    ]);
    expect((await revision(t, r1)).status).toBe('withdrawn');
    expect((await revision(t, r1)).superseded_on).not.toBeNull();
    expect((await revision(t, r2)).status).toBe('cancelled');
    expect(await auditActions(t, 'document', docId)).toEqual(['create', 'withdraw']);
    expect((await qo.get('/documents/current')).text).not.toContain('QT-HT-04');
    expect((await qo.get(`/documents/${docId}`)).text).toContain('Hết hiệu lực');
  });

  it('edits the document details with an audit entry and refuses a taken code or a stale version', async () => {
    const docId = await createDocument(qo, { code: 'QT-HT-05', title: 'Quản lý rủi ro' });
    const version = async () => String((await rows<{ version: number }>(t, 'select version from documents where id = ?', docId))[0].version);
    const base = {
      code: 'QT-HT-05',
      title: 'Quản lý rủi ro và cơ hội',
      type: 'procedure',
      review_interval_months: '24',
      ack_scope: 'units',
      ack_unit_ids: [String(t.units.other)],
    };
    const ok = await qo.post(`/documents/${docId}`, { ...base, version: await version() });
    expect(ok.status).toBe(303);
    expect(await rows(t, 'select unit_id from document_ack_units where document_id = ?', docId)).toEqual([{ unit_id: t.units.other }]);
    expect(await auditActions(t, 'document', docId)).toEqual(['create', 'update']);
    const taken = await qo.post(`/documents/${docId}`, { ...base, code: 'QT-HT-01', version: await version() });
    expect(taken.status).toBe(422);
    expect((await qo.post(`/documents/${docId}`, { ...base, version: '1' })).status).toBe(409);
    expect((await qo.post(`/documents/${docId}`, { ...base, version: await version(), extra: 'x' })).status).toBe(422);
  });
});
