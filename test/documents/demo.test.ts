import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayLocal } from '../../src/core/calendar';
import { verify } from '../../src/core/audit-log/audit-log';
import { runDemo } from '../../src/features/demo';
import { listDocumentsDueForReview, listPendingAcknowledgements } from '../../src/features/documents/documents.queries';
import { sentenceDiff } from '../../src/features/documents/documents.compare';
import { createTestApp, rows, type TestApp } from '../support/app';

/** The organisation's local date on the test clock (what is in force is read on it). */
const localToday = () => todayLocal(t.clock.now(), 'Asia/Ho_Chi_Minh');

/** The demo's document control: real-looking procedures, history, pending acknowledgements, due reviews. */
let t: TestApp;
let users: Record<string, { id: number }>;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  // the model office alone: its documents are what these tests count (the province's copies: test/foundation/demo.test.ts)
  users = (await runDemo(t.ctx, () => {}, { province: false })).users;
}, 120_000);
afterAll(async () => t.close());

describe('demo documents', () => {
  it('has the six system procedures and operational ones, some with several revisions', async () => {
    const codes = await rows<{ code: string; n: number }>(
      t,
      'select d.code, count(r.id) n from documents d join document_revisions r on r.document_id = d.id group by d.id order by d.code',
    );
    expect(codes.map((c) => c.code)).toEqual(
      expect.arrayContaining(['QT-HT-01', 'QT-HT-02', 'QT-HT-03', 'QT-HT-04', 'QT-HT-05', 'QT-HT-06', 'QT-BTXH-01', 'BM-01/QT-BTXH-01']),
    );
    expect(codes.find((c) => c.code === 'QT-BTXH-01')!.n).toBe(3);
    const body = (
      await rows<{ body: string }>(
        t,
        "select r.body from document_revisions r join documents d on d.id = r.document_id where d.code = 'QT-BTXH-01' and r.status = 'effective'",
      )
    )[0].body;
    for (const heading of [
      'Mục đích',
      'Phạm vi',
      'Tài liệu viện dẫn',
      'Định nghĩa',
      'Nội dung quy trình',
      'Hồ sơ lưu',
      '| Bước |',
      'Trách nhiệm',
      'Thời gian',
      'Biểu mẫu',
    ])
      expect(body).toContain(heading);
    // 13 written for the demo (one of them in Word, issue 25), plus the process document of each of the other 33 procedures of the register
    expect(await rows(t, "select count(*) n from document_revisions where status = 'effective'")).toEqual([{ n: 46 }]);
    // every procedure has its process document in force, except QT-NCC-03 (still a draft)
    expect(
      await rows(
        t,
        "select p.code from procedures p where p.status = 'active' and not exists (select 1 from documents d join document_revisions r on r.document_id = d.id and r.status = 'effective' where d.procedure_id = p.id and d.type = 'procedure')",
      ),
    ).toEqual([{ code: 'QT-NCC-03' }]);
  });

  it('asks canbo and motcua to read documents, with changes since canbo last read QT-BTXH-01', async () => {
    const canbo = await listPendingAcknowledgements(t.ctx.db, users.canbo.id, localToday());
    expect(canbo.find((p) => p.code === 'QT-BTXH-01')).toMatchObject({ revisionNo: 3, lastAcknowledgedNo: 2 });
    const motcua = await listPendingAcknowledgements(t.ctx.db, users.motcua.id, localToday());
    expect(motcua.map((p) => p.code)).toEqual(expect.arrayContaining(['QT-BTXH-01', 'QT-BTXH-04', 'CS-01']));
  });

  it('has three different people on every approved revision (author, reviewer, approver), with the rule recorded', async () => {
    const approved = await rows<{ author_id: number; reviewer_id: number | null; approver_id: number | null; signers_rule: number | null }>(
      t,
      "select author_id, reviewer_id, approver_id, signers_rule from document_revisions where status in ('approved', 'effective', 'superseded', 'withdrawn')",
    );
    expect(approved.length).toBeGreaterThan(40);
    for (const r of approved) {
      expect(new Set([r.author_id, r.reviewer_id, r.approver_id]).size, JSON.stringify(r)).toBe(3);
      expect(r.signers_rule).toBe(3);
    }
    expect(await rows(t, 'select revision_signers from organisation')).toEqual([{ revision_signers: 3 }]);
  });

  it('has a review due soon, an overdue one, an approved revision taking effect later and a draft in review', async () => {
    const today = todayLocal(t.clock.now(), 'Asia/Ho_Chi_Minh');
    const due = await listDocumentsDueForReview(t.ctx.db, today, 30);
    expect(due.filter((d) => d.overdue).map((d) => d.code)).toContain('QT-HT-05');
    expect(due.filter((d) => !d.overdue).map((d) => d.code)).toContain('QT-HT-02');
    expect(
      await rows(
        t,
        "select d.code from document_revisions r join documents d on d.id = r.document_id where r.status = 'approved' and r.effective_from > ?",
        today,
      ),
    ).toEqual([{ code: 'QT-HT-06' }]);
    expect(await rows(t, "select d.code from document_revisions r join documents d on d.id = r.document_id where r.status = 'in_review'")).toEqual([
      { code: 'QT-BTXH-04' },
    ]);
    expect(await rows(t, 'select count(distinct file_sha256) n from document_revisions where file_sha256 is not null')).toEqual([{ n: 1 }]);
    expect((await verify(t.ctx.db)).ok).toBe(true);
  });

  it('has a work instruction rewritten in Word after a Markdown revision, compared by sentence, with a controlled copy (issue 25)', async () => {
    const revs = await rows<{
      id: number;
      document_id: number;
      revision_no: number;
      source: 'markdown' | 'docx';
      status: string;
      source_name: string | null;
      body: string;
    }>(
      t,
      "select r.id, r.document_id, r.revision_no, r.source, r.status, r.source_name, r.body from document_revisions r join documents d on d.id = r.document_id where d.code = 'HD-MC-01' order by r.revision_no",
    );
    expect(revs.map((r) => [r.revision_no, r.source, r.status, r.source_name])).toEqual([
      [1, 'markdown', 'superseded', null],
      [2, 'docx', 'effective', 'HD-MC-01 Huong dan Mot cua.docx'],
    ]);
    expect(revs[1].body).toContain('<td><p>Tiếp nhận, kiểm tra hồ sơ</p></td>');
    expect(sentenceDiff(revs[0], revs[1]).filter((p) => p.added || p.removed)).toEqual([
      { text: 'Giấy tiếp nhận và hẹn trả kết quả được in và giao cho người nộp.\n', added: false, removed: true },
      {
        text: 'Giấy tiếp nhận và hẹn trả kết quả được gửi qua tin nhắn và thư điện tử, bản giấy chỉ in khi người nộp yêu cầu.\n',
        added: true,
        removed: false,
      },
    ]);
    expect(await rows(t, 'select copy_no, holder, revision_id, withdrawn_at from document_controlled_copies')).toEqual([
      { copy_no: 1, holder: 'Bộ phận Một cửa — quầy tiếp nhận số 1', revision_id: revs[1].id, withdrawn_at: null },
    ]);
    const motcua = await listPendingAcknowledgements(t.ctx.db, users.motcua.id, localToday());
    expect(motcua.find((p) => p.code === 'HD-MC-01')).toMatchObject({ revisionNo: 2, lastAcknowledgedNo: 1 });
  });
});
