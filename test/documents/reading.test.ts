import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { revisionEffectiveHooks, type RevisionEffectiveEvent } from '../../src/features/documents/documents.workflow';
import {
  acknowledgementCoverage,
  findDocumentOptions,
  findEffectiveRevisionForProcedure,
  findProcedureDocumentAt,
  listDocumentsDueForReview,
  listPendingAcknowledgements,
  listRecentlyChangedDocuments,
} from '../../src/features/documents/documents.queries';
import { vi, en } from '../../src/features/documents/documents.i18n';
import { addProcedure, addUser, auditActions, count, createDocument, publish, PASSWORD } from './helpers';
import { todayLocal } from '../../src/core/calendar';

/** The organisation's local date on the test clock (what is in force is read on it). */
const today = () => todayLocal(t.clock.now(), 'Asia/Ho_Chi_Minh');

/** Reading: search ignoring diacritics, read-and-acknowledge, periodic review, and the queries other features use. */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let staff: SignedIn;
let procedureId: number;
let docId: number;
let rev1: number;
const events: RevisionEffectiveEvent[] = [];
const hook = async (_trx: unknown, e: RevisionEffectiveEvent) => {
  events.push(e);
};

async function signInAll(): Promise<void> {
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  admin = await t.signIn('admin');
  staff = await t.signIn('staff');
}
const people = () => ({ author: qo, reviewer: admin, approver: leader });

beforeAll(async () => {
  t = await createTestApp();
  revisionEffectiveHooks.push(hook);
  await addUser(t, 'vanphong', 'staff', t.units.other);
  await signInAll();
  procedureId = await addProcedure(t);
  docId = await createDocument(qo, {
    code: 'QT-BTXH-01',
    title: 'Quy trình giải quyết thủ tục trợ cấp xã hội',
    procedure_id: String(procedureId),
    owner_unit_id: String(t.units.main),
  });
  rev1 = await publish(
    t,
    people(),
    docId,
    '## Mục đích\n\nQuy định trình tự giải quyết thủ tục hành chính về trợ cấp xã hội hàng tháng.\n\n| Bước | Trách nhiệm |\n|---|---|\n| 1 | Bộ phận Một cửa tiếp nhận hồ sơ |',
  );
});
afterAll(async () => {
  revisionEffectiveHooks.splice(revisionEffectiveHooks.indexOf(hook), 1);
  await t.close();
});

describe('full-text search', () => {
  it('finds "thủ tục" from "thu tuc" and highlights the original words', async () => {
    const res = await staff.get('/documents/current?q=thu+tuc');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<mark>thủ tục</mark>');
    expect(res.text).toContain('giải quyết <mark>thủ tục</mark> hành chính');
    expect(res.text).toContain('Tìm thấy 1 tài liệu');
  });

  it('matches codes, prefixes and đ/d; finds nothing for other words; input cannot break the FTS syntax', async () => {
    expect((await staff.get('/documents/current?q=BTXH-01')).text).toContain('Tìm thấy 1 tài liệu');
    expect((await staff.get('/documents/current?q=DON+VI+MOT+CUA')).text).toContain('Không tìm thấy tài liệu nào');
    expect((await staff.get('/documents/current?q=bo+phan+mot')).text).toContain('<mark>Bộ phận Một</mark> cửa');
    expect((await staff.get('/documents/current?q=%C4%91%C4%83ng+k%C3%BD')).text).toContain('Không tìm thấy tài liệu nào');
    for (const q of ['"', 'NEAR(', 'a OR', '*', ')))', 'bước:1']) {
      expect((await staff.get(`/documents/current?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
    }
  });

  it('indexes only the effective revision, in the same transaction as it changes', async () => {
    const rev2 = await publish(t, people(), docId, '## Mục đích\n\nHướng dẫn chi trả đúng hạn.', 'Viết lại mục đích');
    expect(await count(t, 'select count(*) from documents_fts where document_id = ?', docId)).toBe(1);
    expect((await staff.get('/documents/current?q=thu+tuc+hanh+chinh')).text).toContain('Không tìm thấy tài liệu nào');
    expect((await staff.get('/documents/current?q=chi+tra+dung+han')).text).toContain('<mark>chi trả đúng hạn</mark>');
    expect(events.map((e) => e.revisionId)).toEqual([rev1, rev2]);
    expect(events[1]).toMatchObject({ documentId: docId, revisionNo: 2, actorId: t.users.leader });
  });
});

describe('read and acknowledge', () => {
  it('asks the owner unit staff, records the acknowledgement with an audit entry, then stops asking', async () => {
    const pending = await listPendingAcknowledgements(t.ctx.db, t.users.staff, today());
    expect(pending.map((p) => [p.code, p.revisionNo, p.lastAcknowledgedNo])).toEqual([['QT-BTXH-01', 2, null]]);
    expect(
      await listPendingAcknowledgements(t.ctx.db, (await rows<{ id: number }>(t, "select id from users where username = 'vanphong'"))[0].id, today()),
    ).toEqual([]);
    const current = (await rows<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", docId))[0].id;
    const before = await acknowledgementCoverage(t.ctx.db, current);
    expect(before).toEqual({ required: 4, acknowledged: 0 });
    const res = await staff.post(`/documents/${docId}/revisions/${current}/acknowledge`);
    expect(res.status).toBe(303);
    expect(await acknowledgementCoverage(t.ctx.db, current)).toEqual({ required: 4, acknowledged: 1 });
    expect((await auditActions(t, 'document_revision', current)).at(-1)).toBe('acknowledge');
    expect(await staff.post(`/documents/${docId}/revisions/${current}/acknowledge`).then((r) => r.status)).toBe(303);
    expect(await count(t, 'select count(*) from document_acknowledgements where user_id = ?', t.users.staff)).toBe(1);
    expect(await listPendingAcknowledgements(t.ctx.db, t.users.staff, today())).toEqual([]);
    const page = await qo.get(`/documents/${docId}`);
    expect(page.text).toContain('1/4 người đã đọc và xác nhận');
    expect(page.text).toContain('Người dùng staff');
  });

  it('a new effective revision re-opens the question and shows what changed since the last acknowledged one', async () => {
    const rev3 = await publish(t, people(), docId, '## Mục đích\n\nHướng dẫn chi trả đúng hạn và công khai.', 'Bổ sung yêu cầu công khai');
    const pending = await listPendingAcknowledgements(t.ctx.db, t.users.staff, today());
    expect(pending.map((p) => [p.revisionId, p.revisionNo, p.lastAcknowledgedNo, p.changeSummary])).toEqual([[rev3, 3, 2, 'Bổ sung yêu cầu công khai']]);
    const list = await staff.get('/documents/current');
    expect(list.text).toContain('Tài liệu bạn cần đọc và xác nhận (1)');
    const page = await staff.get(`/documents/${docId}`);
    expect(page.text).toContain('Những thay đổi kể từ lần ban hành 2');
    expect(page.text).toContain('Bổ sung yêu cầu công khai');
    // Compared as text, sentence by sentence (issue 25): the changed sentence, without the Markdown marks.
    expect(page.text).toContain('<del class="diff">Hướng dẫn chi trả đúng hạn.\n</del><ins class="diff">Hướng dẫn chi trả đúng hạn và công khai.\n</ins>');
    expect(page.text).not.toContain('## Mục đích');
    expect(await acknowledgementCoverage(t.ctx.db, rev3)).toEqual({ required: 4, acknowledged: 0 });
  });

  it('"chosen units" and "everyone" change who is asked', async () => {
    const other = await createDocument(qo, {
      code: 'BM-01/QT-BTXH-01',
      title: 'Biểu mẫu đơn đề nghị',
      type: 'form',
      ack_scope: 'units',
      ack_unit_ids: [String(t.units.other)],
    });
    const r = await publish(t, people(), other, 'Mẫu đơn');
    expect(await acknowledgementCoverage(t.ctx.db, r)).toEqual({ required: 1, acknowledged: 0 });
    const all = await createDocument(qo, { code: 'CS-01', title: 'Chính sách chất lượng', type: 'policy', ack_scope: 'all' });
    const p = await publish(t, people(), all, 'Chính sách');
    expect(await acknowledgementCoverage(t.ctx.db, p)).toEqual({ required: 5, acknowledged: 0 });
  });
});

describe('periodic review', () => {
  it('lists documents due within 30 days and overdue, and "reviewed, no change" moves the due date with a signature', async () => {
    const today = '2026-11-26';
    expect(await listDocumentsDueForReview(t.ctx.db, today, 30)).toEqual([]);
    t.clock.set('2027-11-10T03:00:00Z');
    await signInAll();
    const due = await listDocumentsDueForReview(t.ctx.db, '2027-11-10', 30);
    expect(due.map((d) => [d.code, d.nextReviewDue, d.overdue])).toEqual([
      ['BM-01/QT-BTXH-01', '2027-11-26', false],
      ['CS-01', '2027-11-26', false],
      ['QT-BTXH-01', '2027-11-26', false],
    ]);
    expect((await qo.get('/documents/due')).text).toContain('Đến hạn trong 30 ngày (3)');
    const current = (await rows<{ id: number }>(t, "select id from document_revisions where document_id = ? and status = 'effective'", docId))[0].id;
    const res = await leader.post(`/documents/${docId}/reviews`, {
      revision_id: String(current),
      periodic_comment: 'Vẫn phù hợp',
      periodic_password: PASSWORD,
    });
    expect(res.status).toBe(303);
    expect(await rows(t, 'select reviewed_on, previous_due, next_review_due, comment from document_reviews where document_id = ?', docId)).toEqual([
      { reviewed_on: '2027-11-10', previous_due: '2027-11-26', next_review_due: '2028-11-10', comment: 'Vẫn phù hợp' },
    ]);
    expect(await rows(t, 'select next_review_due from document_revisions where id = ?', current)).toEqual([{ next_review_due: '2028-11-10' }]);
    expect(await count(t, "select count(*) from e_signatures where meaning = 'periodic_review' and entity_id = ?", current)).toBe(1);
    expect((await auditActions(t, 'document', docId)).at(-1)).toBe('periodic_review');
    expect((await listDocumentsDueForReview(t.ctx.db, '2027-11-10', 30)).map((d) => d.code)).toEqual(['BM-01/QT-BTXH-01', 'CS-01']);
    expect((await listDocumentsDueForReview(t.ctx.db, '2027-12-01', 0)).map((d) => [d.code, d.overdue])).toEqual([
      ['BM-01/QT-BTXH-01', true],
      ['CS-01', true],
    ]);
    const stale = await leader.post(`/documents/${docId}/reviews`, { revision_id: String(rev1), periodic_password: PASSWORD });
    expect(stale.status).toBe(409);
  });
});

describe('queries for other features', () => {
  it('finds the procedure document effective now and at a past date, with its review date as known now', async () => {
    const now = await findEffectiveRevisionForProcedure(t.ctx.db, procedureId, today());
    expect(now).toMatchObject({ documentId: docId, code: 'QT-BTXH-01', revisionNo: 3 });
    expect(await findProcedureDocumentAt(t.ctx.db, procedureId, '2026-11-25')).toBeUndefined();
    expect(await findProcedureDocumentAt(t.ctx.db, procedureId, '2026-11-26')).toEqual({
      code: 'QT-BTXH-01',
      revisionNo: 3,
      effectiveFrom: '2026-11-26',
      nextReviewDue: '2028-11-10',
    });
    expect(await findProcedureDocumentAt(t.ctx.db, procedureId, '2030-01-01')).toMatchObject({ revisionNo: 3 });
    expect(await findEffectiveRevisionForProcedure(t.ctx.db, procedureId + 99, today())).toBeUndefined();
    expect((await listRecentlyChangedDocuments(t.ctx.db, '2026-11-26', today())).map((d) => [d.code, d.revisionNo])).toEqual([
      ['BM-01/QT-BTXH-01', 1],
      ['CS-01', 1],
      ['QT-BTXH-01', 3],
      ['QT-BTXH-01', 2],
      ['QT-BTXH-01', 1],
    ]);
    expect((await findDocumentOptions(t.ctx.db)).map((d) => d.code)).toEqual(['BM-01/QT-BTXH-01', 'CS-01', 'QT-BTXH-01']);
  });

  it('the catalogs have the same, non-empty keys in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [k, value] of Object.entries({ ...vi, ...en })) expect(value.trim(), k).not.toBe('');
  });
});
