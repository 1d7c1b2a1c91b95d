import ExcelJS from 'exceljs';
import type { AppContext } from '../../core/context';
import { organisationOf } from '../../core/db/scope';
import { todayLocal, addDays } from '../../core/calendar';
import { storeFile } from '../../core/files';
import type { Signer } from '../../core/security/signatures';
import type { DemoContext } from '../demo-context';
import { findRevision } from './documents.revisions.queries';
import { BTXH01, BTXH04, HT_TEXTS, NCC03, OBJECTIVES, POLICY, procedureBody, standardProcedureText } from './documents.demo-content';
import { createDocument, createRevision, setDraftFile, submitRevision, type Actor } from './documents.service';
import type { DocumentValues } from './documents.queries';
import { acknowledgeRevision, approveRevision, recordPeriodicReview, reviewRevision } from './documents.workflow';
import { seedWordDocument } from './documents.word.demo';

/**
 * Demo document control: the six system procedures, the quality policy and objectives, a few operational
 * procedures with their forms, some with two or three revisions, one due for review soon, one overdue,
 * one approved revision taking effect next week, a draft in review, and pending acknowledgements for the
 * staff (canbo, motcua). History is written through the services with a clock set back in time, so every
 * step has its audit entry and signature at the date it happened.
 */
const DAY = 86_400_000;

export async function seedDocuments(demo: DemoContext): Promise<void> {
  const { users, units, procedures } = demo;
  const person = (username: string): Actor & Signer => {
    const u = users[username];
    if (!u) throw new Error(`demo user ${username} missing`);
    return { id: u.id, userId: u.id, role: u.role, name: u.fullName };
  };
  const author = person('thuky');
  const reviewer = person('phophong');
  const approver = person('lanhdao');
  const daysAgo = (days: number): AppContext => {
    const at = new Date(demo.now.getTime() - days * DAY);
    return { ...demo.ctx, clock: { now: () => at } };
  };
  const today = todayLocal(demo.now, demo.ctx.config.timeZone);

  const doc = (code: string, title: string, type: DocumentValues['type'], extra: Partial<DocumentValues> = {}, ackUnits: number[] = []) =>
    createDocument(
      daysAgo(600),
      {
        code,
        title,
        type,
        procedure_id: procedures[code.replace(/^BM-\d+\//, '')] ?? null,
        owner_unit_id: units['LĐTBXH'] ?? null,
        review_interval_months: 12,
        retention: '05 năm',
        ack_scope: 'owner_unit',
        ...extra,
      },
      ackUnits,
      author.id,
    );

  const version = async (ctx: AppContext, docId: number, revId: number) => (await findRevision(ctx.db, docId, revId))!.version;

  /** One revision through the workflow, as it happened `days` ago; stops at `until`. */
  const issue = async (
    docId: number,
    days: number,
    body: string,
    summary: string | null,
    options: { until?: 'draft' | 'in_review' | 'approved'; effectiveFrom?: string; file?: { name: string; buffer: Buffer } } = {},
  ): Promise<number> => {
    const c = daysAgo(days);
    const revId = await createRevision(c, docId, { body, change_summary: summary }, author);
    if (options.file) {
      const stored = await storeFile(c, { buffer: options.file.buffer }, options.file.name);
      await setDraftFile(c, docId, revId, stored, await version(c, docId, revId), author);
    }
    if (options.until === 'draft') return revId;
    await submitRevision(c, docId, revId, await version(c, docId, revId), author);
    if (options.until === 'in_review') return revId;
    const later = daysAgo(days - 0.2);
    await reviewRevision(later, docId, revId, { version: await version(c, docId, revId), comment: 'Nội dung phù hợp, đề nghị phê duyệt.' }, reviewer);
    await approveRevision(later, docId, revId, { version: await version(c, docId, revId), effectiveFrom: options.effectiveFrom }, approver);
    return revId;
  };
  const ack = async (username: string, docId: number, revId: number, days: number) => acknowledgeRevision(daysAgo(days), docId, revId, person(username).id);

  // Quality policy and objectives: everyone reads them.
  const policy = await doc('CS-01', 'Chính sách chất lượng', 'policy', { ack_scope: 'all', retention: 'Đến khi có chính sách mới', procedure_id: null });
  const p1 = await issue(policy, 330, POLICY, null);
  const objectives = await doc('MT-2026', 'Mục tiêu chất lượng năm 2026', 'objectives', { ack_scope: 'all', procedure_id: null });
  const o1 = await issue(objectives, 60, OBJECTIVES, null);
  for (const u of ['lanhdao', 'phophong', 'thuky', 'canbo', 'danhgia']) await ack(u, policy, p1, 320);
  for (const u of ['lanhdao', 'phophong', 'thuky']) await ack(u, objectives, o1, 55);

  // The six system procedures (QT-HT-01…06), concerning everyone.
  const ht: Record<string, number> = {};
  const titles: Record<string, string> = {
    'QT-HT-01': 'Kiểm soát thông tin dạng văn bản',
    'QT-HT-02': 'Đánh giá nội bộ',
    'QT-HT-03': 'Xem xét của lãnh đạo',
    'QT-HT-04': 'Kiểm soát sự không phù hợp và hành động khắc phục',
    'QT-HT-05': 'Quản lý rủi ro và cơ hội',
    'QT-HT-06': 'Giải quyết phản ánh, kiến nghị và đo lường sự hài lòng',
  };
  for (const [code, title] of Object.entries(titles)) ht[code] = await doc(code, title, 'procedure', { ack_scope: 'all' });
  const body = (code: string) => procedureBody(HT_TEXTS[code]);
  await issue(ht['QT-HT-01'], 500, body('QT-HT-01').replace(', sửa đổi và kiểm soát', ' và kiểm soát'), null);
  const ht01 = await issue(
    ht['QT-HT-01'],
    120,
    body('QT-HT-01'),
    'Bổ sung việc công bố và xác nhận đã đọc tài liệu trên hệ thống phần mềm; bỏ phân phối bản giấy.',
  );
  await issue(ht['QT-HT-02'], 345, body('QT-HT-02'), null); // due for review in 20 days
  await issue(ht['QT-HT-03'], 300, body('QT-HT-03'), null);
  const ht04 = await issue(ht['QT-HT-04'], 400, body('QT-HT-04'), null);
  await recordPeriodicReview(daysAgo(40), ht['QT-HT-04'], { revisionId: ht04, comment: 'Quy trình vẫn phù hợp; chưa cần sửa đổi.' }, approver);
  await issue(ht['QT-HT-05'], 380, body('QT-HT-05'), null); // review overdue by about two weeks
  await issue(ht['QT-HT-06'], 200, body('QT-HT-06'), null);
  await issue(
    ht['QT-HT-06'],
    3,
    body('QT-HT-06').replace('10 ngày làm việc', '07 ngày làm việc'),
    'Rút ngắn thời hạn trả lời phản ánh, kiến nghị từ 10 xuống 07 ngày làm việc.',
    {
      effectiveFrom: addDays(today, 7),
    },
  );
  for (const u of ['lanhdao', 'phophong', 'danhgia']) await ack(u, ht['QT-HT-01'], ht01, 100);

  // Operational procedures with forms.
  const motcua = units['MOTCUA'];
  const both = [units['LĐTBXH'], motcua].filter((x): x is number => x !== undefined);
  const btxh01 = await doc(
    'QT-BTXH-01',
    'Quy trình thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng',
    'procedure',
    { ack_scope: 'units', retention: '05 năm' },
    both,
  );
  const first = procedureBody(BTXH01).replace('17 ngày làm việc', '20 ngày làm việc').replace('10 ngày làm việc', '13 ngày làm việc');
  const b1 = await issue(btxh01, 420, first, null);
  await ack('canbo', btxh01, b1, 410);
  const second = procedureBody(BTXH01).replace('| B6 | Trả kết quả cho người dân; xin lỗi bằng văn bản nếu quá hạn', '| B6 | Trả kết quả cho người dân');
  const b2 = await issue(
    btxh01,
    150,
    second,
    'Rút ngắn thời gian thẩm định từ 13 xuống 10 ngày làm việc theo Quyết định công bố TTHC mới; tổng thời gian còn 17 ngày làm việc.',
  );
  await ack('canbo', btxh01, b2, 140);
  await ack('lanhdao', btxh01, b2, 148);
  await issue(btxh01, 10, procedureBody(BTXH01), 'Bổ sung trách nhiệm xin lỗi bằng văn bản khi trả kết quả quá hạn (Nghị định 118/2025/NĐ-CP).');

  const bm01 = await doc('BM-01/QT-BTXH-01', 'Tờ khai đề nghị trợ giúp xã hội (Mẫu số 1a)', 'form', { ack_scope: 'none', retention: 'Lâu dài' });
  await issue(
    bm01,
    200,
    '**Mẫu số 1a** ban hành kèm theo Nghị định số 20/2021/NĐ-CP.\n\nNgười dân điền tờ khai, nộp tại Bộ phận Một cửa hoặc qua Cổng dịch vụ công.',
    null,
  );
  const bm02 = await doc('BM-02/QT-BTXH-01', 'Sổ theo dõi giải quyết hồ sơ trợ cấp xã hội', 'form', { ack_scope: 'none' });
  await issue(bm02, 150, 'Sổ theo dõi dùng tại Bộ phận Một cửa; mỗi hồ sơ một dòng, ghi ngày hẹn và ngày trả kết quả.', null, {
    file: { name: 'BM-02 So theo doi giai quyet ho so.xlsx', buffer: await trackingSheet() },
  });

  const btxh04 = await doc('QT-BTXH-04', 'Quy trình hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội', 'procedure', { ack_scope: 'units' }, both);
  await issue(btxh04, 300, procedureBody(BTXH04).replace('0,5 ngày làm việc | Sổ theo dõi', '01 ngày làm việc | Sổ theo dõi'), null);
  await issue(btxh04, 2, procedureBody(BTXH04), 'Rút ngắn thời gian trả kết quả, chi trả kinh phí xuống 0,5 ngày làm việc.', { until: 'in_review' });

  const ncc03 = await doc('QT-NCC-03', 'Quy trình giải quyết chế độ trợ cấp ưu đãi đối với thân nhân liệt sĩ', 'procedure');
  await issue(ncc03, 1, procedureBody(NCC03), null, { until: 'draft' });

  // A work instruction rewritten in Word, with a controlled copy at the counter (issue 25).
  await seedWordDocument(demo, motcua ?? null, { daysAgo, author, reviewer, approver, reader: users['motcua']?.id });

  // Every other procedure of the register has its process document in force, as in an office that declared its QMS
  // conformant (the system procedures QT-HT-… and those above are already written; QT-NCC-03 is still a draft). Everyone concerned has acknowledged them.
  // The demo runs for one organisation (its handle's scope).
  const org = organisationOf(demo.ctx.db);
  const written = new Set((await demo.ctx.db.selectFrom('documents').select('code').where('organisation_id', '=', org).execute()).map((d) => d.code));
  const register = await demo.ctx.db
    .selectFrom('procedures')
    .select(['code', 'title', 'processing_days', 'national_code', 'unit_id'])
    .where('organisation_id', '=', org)
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
  let standard = 0;
  for (const [i, p] of register.filter((r) => !written.has(r.code)).entries()) {
    const ownerUnit = p.unit_id ?? units['LĐTBXH'] ?? null;
    const id = await doc(p.code, `Quy trình ${p.title.charAt(0).toLowerCase()}${p.title.slice(1)}`, 'procedure', {
      owner_unit_id: ownerUnit,
      ack_scope: 'owner_unit',
    });
    const days = 40 + ((i * 37) % 290); // issued at different times in the last 11 months, so none is due for review yet
    const rev = await issue(id, days, procedureBody(standardProcedureText(p.title, p.processing_days, p.national_code ?? '')), null);
    for (const u of Object.values(users)) if (u.unitId !== null && u.unitId === ownerUnit) await acknowledgeRevision(daysAgo(days - 3), id, rev, u.id);
    standard++;
  }

  demo.log(
    `Documents: ${14 + standard} controlled documents with revisions, signatures and acknowledgements (${standard} of them the process documents of the other procedures).`,
  );
}

/** A small XLSX form (the tracking book), generated so the demo has a real attached file. */
async function trackingSheet(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sổ theo dõi');
  ws.addRow(['SỔ THEO DÕI GIẢI QUYẾT HỒ SƠ TRỢ CẤP XÃ HỘI']);
  ws.addRow([]);
  ws.addRow(['STT', 'Mã hồ sơ', 'Họ tên người nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày trả kết quả', 'Ghi chú']);
  ws.columns = [{ width: 6 }, { width: 18 }, { width: 28 }, { width: 16 }, { width: 16 }, { width: 18 }, { width: 24 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
