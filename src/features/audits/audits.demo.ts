import type { AppContext } from '../../core/context';
import { addDays, todayLocal } from '../../core/calendar';
import type { Signer } from '../../core/security/signatures';
import type { DemoContext } from '../demo-context';
import { listChecklistItems } from './audits.checklist.queries';
import { itemsFromScope } from './audits.checklist.build';
import { addItemsFromLibrary, installStandardLibrary } from './audits.library.service';
import { addChecklistItems, saveChecklistItem } from './audits.checklist.service';
import { findProgrammeByYear, listProgrammeItems } from './audits.programme.queries';
import { addProgrammeItem, approveProgramme, createProgramme } from './audits.programme.service';
import { findAudit, listAuditProcedures } from './audits.queries';
import { issueReport } from './audits.report.service';
import { acknowledgeDemoReport } from './audits.report.demo';
import { closeAudit, createAudit, saveConclusion, startAudit } from './audits.service';
import type { ItemResult } from './audits.tables';
import { CLOSED_ANSWERS, RUNNING_ANSWERS, type Answer } from './audits.checklist.demo';
import { createTemplate } from './audits.templates.service';
import type { AuditInput } from './audits.validate';

/**
 * Demo audits: the standard question library and a checklist template; last year's audit of a few procedures (so
 * the coverage matrix shows covered and uncovered procedures); this year's programme approved by the leader
 * (lanhdao); one closed audit with findings and the nonconformities they raised; one audit in progress. This year's
 * checklists are built from the library and answered as an auditor does (audits.checklist.demo.ts). The lead auditor
 * is danhgia (Văn phòng), independent of the procedures, which the LĐTBXH unit owns and thuky wrote; admin (also Văn
 * phòng) is on the team. History goes through the services with the clock set to when it happened.
 */
const QUESTIONS = [
  { clause: '7.5.3', question: 'Hồ sơ TTHC có được lưu đủ thành phần, đúng thời hạn và dễ truy xuất không?' },
  { clause: '8.5.1', question: 'Phiếu kiểm soát quá trình giải quyết hồ sơ có được lập và ký đủ ở từng bước không?' },
  { clause: '8.5.1', question: 'Thời gian giải quyết thực tế có đúng thời hạn quy trình quy định không?' },
  { clause: '8.7', question: 'Hồ sơ quá hạn có văn bản xin lỗi và hẹn lại ngày trả kết quả không?' },
  { clause: null, question: 'Cán bộ trực tiếp giải quyết có nắm được quy trình và biểu mẫu hiện hành không?' },
];

export async function seedAudits(demo: DemoContext): Promise<void> {
  const { users, procedures, units } = demo;
  const who = (username: string) => {
    const u = users[username];
    if (!u) throw new Error(`demo user ${username} missing`);
    return u;
  };
  const lead = who('danhgia');
  const team = who('admin');
  const thuky = who('thuky');
  const leader = who('lanhdao');
  const signer = (u: ReturnType<typeof who>): Signer => ({ userId: u.id, name: u.fullName, role: u.role });
  const today = todayLocal(demo.now, demo.ctx.config.timeZone);
  const year = Number(today.slice(0, 4));
  /** The app as it was at 09:00 (UTC+7) on a local date, plus some hours. */
  const on = (date: string, hours = 0): AppContext => {
    const at = new Date(Date.parse(`${date}T02:00:00Z`) + hours * 3_600_000);
    return { ...demo.ctx, clock: { now: () => (at > demo.now ? demo.now : at) } };
  };
  const ids = (codes: string[]) => codes.map((c) => procedures[c]).filter((id): id is number => id !== undefined);
  const lduUnit = units['LĐTBXH'] ?? null;

  // The standard question library, loaded by the ISO secretary; this year's checklists are built from it.
  const libraryAt = on(`${year - 1}-11-20`).clock.now();
  await demo.ctx.db.transaction().execute((trx) => installStandardLibrary(trx, libraryAt, thuky.id));
  await createTemplate(
    on(`${year - 1}-11-20`),
    { name: 'Phiếu kiểm tra quy trình TTHC', description: 'Câu hỏi chung cho các quy trình giải quyết thủ tục hành chính.', questions: QUESTIONS },
    thuky.id,
  );

  const input = (title: string, codes: string[], clauses: string[], start: string, end: string): AuditInput => ({
    type: 'internal',
    title,
    objectives: 'Xác định mức độ phù hợp của việc giải quyết TTHC với quy trình và TCVN ISO 9001:2015; phát hiện cơ hội cải tiến.',
    criteria_other: 'Quyết định công bố TTHC của UBND tỉnh; Nghị định 118/2025/NĐ-CP về cơ chế một cửa, một cửa liên thông.',
    external_body: null,
    auditee_unit_id: lduUnit,
    lead_auditor_id: lead.id,
    planned_start: start,
    planned_end: end,
    actual_start: null,
    actual_end: null,
    scope: { procedureIds: ids(codes), unitIds: lduUnit ? [lduUnit] : [], clauses, memberIds: [team.id] },
  });

  /** Records results on the checklist in order: [result, statement, evidence]. */
  const record = async (ctx: AppContext, auditId: number, results: [ItemResult, string, string][], foundOn: string) => {
    const items = await listChecklistItems(ctx.db, auditId);
    for (const [i, [result, statement, evidence]] of results.entries()) {
      const item = items[i];
      if (!item) break;
      await saveChecklistItem(
        ctx,
        auditId,
        item.id,
        { question: item.question, clause: item.clause, procedure_id: item.procedure_id, result, evidence, statement, found_on: foundOn },
        item.version,
        lead.id,
      );
    }
  };

  /** Answers the items named by procedure code, clause and the question's rank within it, in the order given. */
  const answer = async (ctx: AppContext, auditId: number, foundOn: string, answers: Answer[]) => {
    const items = await listChecklistItems(ctx.db, auditId);
    for (const [code, clause, rank, result, evidence, statement] of answers) {
      const item = items.filter((i) => i.procedure_code === code && i.clause === clause)[rank];
      if (!item) continue;
      const input = {
        question: item.question,
        clause: item.clause,
        procedure_id: item.procedure_id,
        result,
        evidence,
        statement: statement ?? '',
        found_on: foundOn,
      };
      await saveChecklistItem(ctx, auditId, item.id, input, item.version, lead.id);
    }
  };

  const finish = async (auditId: number, start: string, end: string, conclusion: string) => {
    const started = on(start);
    await saveConclusion(on(end, 6), auditId, conclusion, (await findAudit(started.db, auditId))!.version, lead.id);
    await issueReport(on(end, 7), auditId, signer(lead), end, (await findAudit(started.db, auditId))!.version);
    await acknowledgeDemoReport(demo, on(addDays(end, 1)), auditId);
    await closeAudit(on(addDays(end, 3)), auditId, (await findAudit(started.db, auditId))!.version, thuky.id);
  };

  // Last year: every procedure of the register (the yearly round the programme asks for), all conforming.
  const lastYear = `${year - 1}-12-08`;
  const old = await createAudit(
    on(`${year - 1}-11-25`),
    input(`Đánh giá nội bộ toàn bộ các quy trình năm ${year - 1}`, Object.keys(procedures).sort(), ['7.5', '9.2'], lastYear, addDays(lastYear, 2)),
    {},
    thuky.id,
  );
  await startAudit(on(lastYear), old.id, lastYear, 1, lead.id);
  await addChecklistItems(
    on(lastYear),
    old.id,
    itemsFromScope({ procedures: await listAuditProcedures(demo.ctx.db, old.id), clauses: ['7.5', '9.2'] }, 'vi'),
    'generate',
    lead.id,
  );
  const oldItems = await listChecklistItems(demo.ctx.db, old.id);
  await record(
    on(lastYear, 3),
    old.id,
    oldItems.map((_, i) =>
      i === 1
        ? ['ofi', 'Có thể lập danh mục hồ sơ điện tử để tra cứu nhanh hơn.', 'Sổ lưu hồ sơ giấy năm trước']
        : ['conform', '', 'Đã xem danh mục tài liệu và hồ sơ lưu'],
    ),
    lastYear,
  );
  await finish(old.id, lastYear, addDays(lastYear, 2), 'Các quy trình được áp dụng phù hợp; có 01 cơ hội cải tiến về lưu trữ hồ sơ.');

  // This year's programme, approved by the leader.
  const closedStart = clampDate(addDays(today, -45), `${year}-01-02`, addDays(today, -3));
  const runningStart = addDays(today, -1) < `${year}-01-01` ? today : addDays(today, -1);
  const month = (date: string) => Number(date.slice(5, 7));
  const planning = on(`${year}-01-05`);
  await createProgramme(
    planning,
    year,
    'Đánh giá mỗi quy trình TTHC ít nhất một lần trong năm; đánh giá toàn bộ hệ thống trước kỳ xem xét của lãnh đạo.',
    thuky.id,
  );
  const plan = [
    {
      title: 'Đánh giá lĩnh vực Bảo trợ xã hội',
      month: month(closedStart),
      codes: ['QT-BTXH-01', 'QT-BTXH-02', 'QT-BTXH-03'],
      clauses: ['7.5', '8.1', '8.5', '8.7', '9.1'],
    },
    {
      title: 'Đánh giá lĩnh vực Người có công',
      month: month(runningStart),
      codes: ['QT-NCC-01', 'QT-NCC-02', 'QT-NCC-03'],
      clauses: ['8.2', '8.5', '8.7', '10.2'],
    },
    { title: 'Đánh giá hệ thống quản lý chất lượng', month: 11, codes: [], clauses: ['4', '5', '6', '9.3', '10.3'] },
    {
      title: 'Đánh giá các quy trình hệ thống',
      month: 12,
      codes: ['QT-HT-03', 'QT-HT-04', 'QT-HT-05', 'QT-HT-06'],
      clauses: ['7.1', '7.2', '7.3', '7.4', '7.5', '9.2'],
    },
  ];
  for (const p of plan) {
    await addProgrammeItem(
      planning,
      year,
      {
        title: p.title,
        month: p.month,
        audit_type: 'internal',
        procedure_ids: ids(p.codes),
        unit_ids: lduUnit ? [lduUnit] : [],
        clauses: p.clauses,
        notes: '',
      },
      thuky.id,
    );
  }
  const programme = (await findProgrammeByYear(demo.ctx.db, year))!;
  await approveProgramme(on(`${year}-01-10`), year, signer(leader), programme.version);
  const [itemBtxh, itemNcc] = await listProgrammeItems(demo.ctx.db, programme.id);

  // The closed audit: findings, two of them nonconformities raised in the register.
  const closed = await createAudit(
    on(addDays(closedStart, -10)),
    input('Đánh giá nội bộ lĩnh vực Bảo trợ xã hội', ['QT-BTXH-01', 'QT-BTXH-02'], ['7.5.3', '8.5.1'], closedStart, addDays(closedStart, 1)),
    { programmeItemId: itemBtxh?.id ?? null },
    thuky.id,
  );
  await startAudit(on(closedStart), closed.id, closedStart, 1, lead.id);
  await addItemsFromLibrary(on(closedStart), closed.id, 'vi', lead.id);
  // The findings first, in the order they were written up (PH-01…PH-03), then the rest of the checklist.
  await answer(on(closedStart, 4), closed.id, closedStart, CLOSED_ANSWERS);
  await finish(
    closed.id,
    closedStart,
    addDays(closedStart, 1),
    'Quy trình được áp dụng cơ bản phù hợp. Phát hiện 02 điểm không phù hợp nhẹ (đã lập phiếu sự không phù hợp) và 01 điểm lưu ý. Đề nghị đơn vị thực hiện hành động khắc phục trong 30 ngày.',
  );

  // The audit in progress, its checklist from the template, three results recorded.
  const running = await createAudit(
    on(addDays(runningStart, -7)),
    input('Đánh giá nội bộ lĩnh vực Người có công', ['QT-NCC-01', 'QT-NCC-02'], ['8.5.1', '8.7'], runningStart, addDays(runningStart, 2)),
    { programmeItemId: itemNcc?.id ?? null },
    thuky.id,
  );
  await startAudit(on(runningStart), running.id, runningStart, 1, lead.id);
  await addItemsFromLibrary(on(runningStart), running.id, 'vi', lead.id);
  // Half-way through: the first procedure answered, the second not yet.
  await answer(on(runningStart, 5), running.id, runningStart, RUNNING_ANSWERS);
  // The Sở KH&CN's inspection of how the QMS is applied, announced for three weeks from now: an audit of its own type.
  const inspectionOn = addDays(today, 21);
  const inspection = await createAudit(
    on(addDays(today, -2)),
    {
      ...input('Kiểm tra việc áp dụng HTQLCL theo TCVN ISO 9001:2015', [], ['4', '5', '6', '7', '8', '9', '10'], inspectionOn, inspectionOn),
      type: 'inspection',
      objectives: 'Kiểm tra việc xây dựng, áp dụng, duy trì và cải tiến HTQLCL theo Quyết định 19/2014/QĐ-TTg.',
      external_body: 'Sở Khoa học và Công nghệ tỉnh Nam Định',
      lead_auditor_id: thuky.id,
      scope: { procedureIds: [], unitIds: lduUnit ? [lduUnit] : [], clauses: ['4', '5', '6', '7', '8', '9', '10'], memberIds: [] },
    },
    { programmeItemId: null },
    thuky.id,
  );
  demo.log(
    `Audits: programme ${year} approved, ${closed.code} closed, ${running.code} in progress, ${old.code} last year, ${inspection.code} inspection planned.`,
  );
}

function clampDate(date: string, min: string, max: string): string {
  if (date < min) return min > max ? max : min;
  return date > max ? max : date;
}
