import { localDateOf } from '../../core/calendar/zone';
import { storeFile } from '../../core/files';
import { onePagePdf } from '../../core/files/demo-pdf';
import type { DemoContext } from '../demo-context';
import { periodsOf } from './objectives.model';
import type { ObjectiveValues } from './objectives.queries';
import { addReading } from './objectives.readings.service';
import { approveSet, cancelObjective, createObjective, submitSet } from './objectives.service';
import { findSet, listObjectives, listReadings } from './objectives.queries';

/**
 * The model office's quality objectives for this year: five computed from the app's data (the on-time rate of every
 * procedure and of one, NCs closed by their due date, the audit programme, documents reviewed on time) and two
 * readings entered with their evidence (training, complaints at the one-stop unit). Approved by the head of office,
 * then amended (the one-procedure objective cancelled, an online-dossier objective added) and approved again, so the
 * history shows two signatures; readings for every quarter begun, one of them corrected with a reason.
 */
export async function seedObjectives(demo: DemoContext): Promise<void> {
  const { ctx, byRole, units, procedures, users } = demo;
  const today = localDateOf(demo.now.toISOString(), ctx.config.timeZone);
  const year = Number(today.slice(0, 4));
  const officer = byRole.quality_officer;
  const leader = byRole.leader;
  const firstProcedure = Object.values(procedures)[0] ?? null;
  const plan = (what: string, who: string, evaluation: string) => ({
    plan_what: what,
    plan_resources: 'Cán bộ, công chức của Phòng; phần mềm theo dõi HTQLCL; kinh phí theo dự toán năm.',
    plan_who: who,
    plan_when: `Thường xuyên trong năm ${year}; tổng hợp theo kỳ đo.`,
    plan_evaluation: evaluation,
  });
  const base = { unit_id: null, procedure_id: null, comparison: 'gte' as const, unit: '%', owner_id: officer };
  const objectives: ObjectiveValues[] = [
    {
      ...base,
      objective: '100% hồ sơ thủ tục hành chính được giải quyết trước hạn và đúng hạn; tối thiểu 95%.',
      indicator: 'on_time_rate',
      target: 95,
      frequency: 'monthly',
      ...plan(
        'Theo dõi hồ sơ đến hạn hằng ngày; nhắc cán bộ xử lý trước hạn 2 ngày làm việc.',
        'Trưởng phòng; Bộ phận Một cửa',
        'Báo cáo tổng hợp hằng tháng của phần mềm.',
      ),
    },
    {
      ...base,
      unit_id: units['LĐTBXH'] ?? null,
      objective: 'Hồ sơ trợ cấp xã hội hằng tháng được giải quyết đúng hạn tối thiểu 98%.',
      indicator: 'on_time_rate',
      procedure_id: firstProcedure,
      target: 98,
      frequency: 'quarterly',
      ...plan('Rà soát quy trình, rút ngắn thời gian thẩm định.', 'Phó Trưởng phòng', 'Báo cáo đánh giá sự tuân thủ của quy trình, theo quý.'),
    },
    {
      ...base,
      objective: 'Sự không phù hợp được khắc phục và đóng trong hạn tối thiểu 90%.',
      indicator: 'nc_closed_on_time',
      target: 90,
      frequency: 'quarterly',
      ...plan('Phân tích nguyên nhân trong 5 ngày làm việc; theo dõi hành động khắc phục.', 'Cán bộ phụ trách ISO', 'Sổ theo dõi sự không phù hợp, theo quý.'),
    },
    {
      ...base,
      objective: 'Thực hiện 100% các cuộc đánh giá nội bộ theo chương trình đánh giá năm.',
      indicator: 'audit_programme_completed',
      target: 100,
      frequency: 'half_yearly',
      ...plan('Lập và thực hiện chương trình đánh giá nội bộ; phân công chuyên gia đánh giá.', 'Trưởng đoàn đánh giá', 'Báo cáo đánh giá nội bộ.'),
    },
    {
      ...base,
      objective: 'Tài liệu của HTQLCL được xem xét định kỳ đúng hạn tối thiểu 95%.',
      indicator: 'documents_reviewed_on_time',
      target: 95,
      frequency: 'yearly',
      ...plan('Nhắc hạn xem xét định kỳ trước 30 ngày.', 'Cán bộ phụ trách ISO', 'Danh mục tài liệu, cuối năm.'),
    },
    {
      ...base,
      owner_id: officer,
      objective: 'Tối thiểu 90% cán bộ, công chức được phổ biến, cập nhật kiến thức về HTQLCL theo TCVN ISO 9001:2015.',
      indicator: 'manual',
      target: 90,
      frequency: 'quarterly',
      ...plan('Tổ chức phổ biến chính sách chất lượng, mục tiêu chất lượng và quy trình mới.', 'Cán bộ phụ trách ISO', 'Danh sách ký tham dự, theo quý.'),
    },
    {
      ...base,
      unit_id: units['MOTCUA'] ?? null,
      owner_id: users['motcua']?.id ?? officer,
      objective: 'Không quá 2 phản ánh, kiến nghị về thái độ phục vụ tại Bộ phận Một cửa mỗi quý.',
      indicator: 'manual',
      comparison: 'lte',
      target: 2,
      unit: 'phản ánh',
      frequency: 'quarterly',
      ...plan('Niêm yết quy tắc ứng xử; tiếp nhận phản ánh qua hòm thư và đường dây nóng.', 'Công chức Một cửa', 'Sổ tiếp nhận phản ánh, kiến nghị, theo quý.'),
    },
  ];
  const ids: number[] = [];
  for (const o of objectives) ids.push(await createObjective(ctx, year, o, officer));
  const signer = { userId: leader, name: 'Phạm Văn Minh', role: 'leader' };
  const approve = async () => {
    await submitSet(ctx, year, (await findSet(ctx.db, year))!.version, officer);
    await approveSet(ctx, year, signer, (await findSet(ctx.db, year))!.version);
  };
  await approve();
  // the amendment: the one-procedure objective folded into the first, an objective on online dossiers added
  const cancelled = (await listObjectives(ctx.db, year)).find((o) => o.id === ids[1])!;
  await cancelObjective(ctx, cancelled.id, 'Gộp vào mục tiêu chung về tỷ lệ hồ sơ đúng hạn của Phòng.', cancelled.version, officer);
  const online = await createObjective(
    ctx,
    year,
    {
      ...base,
      objective: 'Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến.',
      indicator: 'manual',
      target: 50,
      frequency: 'quarterly',
      ...plan('Hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa.', 'Bộ phận Một cửa', 'Thống kê của Cổng dịch vụ công, theo quý.'),
    },
    officer,
  );
  await approve();

  const evidence = await storeFile(ctx, { buffer: attendancePdf(year) }, `Danh sach tham du pho bien HTQLCL ${year}.pdf`);
  const begun = periodsOf(year, 'quarterly').filter((p) => p.from <= today);
  const readings: [number, number[]][] = [
    [ids[5], [85, 92, 95, 96]],
    [ids[6], [3, 1, 2, 0]],
    [online, [38, 44, 51, 55]],
  ];
  for (const [objectiveId, values] of readings) {
    for (const [i, p] of begun.entries()) {
      await addReading(
        ctx,
        objectiveId,
        { period: p.key, value: values[i], note: 'Số liệu tổng hợp cuối quý.' },
        objectiveId === ids[5] ? evidence : undefined,
        officer,
        today,
      );
    }
  }
  // a correction: the first quarter's training figure was counted without the one-stop unit
  const [q1] = (await listReadings(ctx.db, [ids[5]])).filter((r) => r.period === 'Q1');
  if (q1)
    await addReading(
      ctx,
      ids[5],
      { period: 'Q1', value: 88, note: 'Bổ sung số liệu của Bộ phận Một cửa.', supersedesId: q1.id, reason: 'Quý I tính thiếu cán bộ Bộ phận Một cửa.' },
      undefined,
      officer,
      today,
    );
  demo.log(
    `Quality objectives ${year}: ${objectives.length + 1} objectives (one cancelled by amendment), approved twice; readings for ${begun.length} quarters.`,
  );
}

/** A minimal one-page PDF standing for the scanned attendance list (ASCII text: the built-in font has no Vietnamese). */
function attendancePdf(year: number): Buffer {
  return onePagePdf(`BT /F1 14 Tf 72 760 Td (Danh sach can bo tham du pho bien HTQLCL nam ${year}) Tj ET`);
}
