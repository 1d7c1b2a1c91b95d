import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../../core/context';
import { organisationOf } from '../../core/db/scope';
import { addDays, computeDueDate, todayLocal, type WorkCalendar } from '../../core/calendar';
import { createActionIn } from '../nonconformities/nonconformities.actions.service';
import type { DemoContext } from '../demo-context';
import { loadWorkCalendar } from '../holidays/holidays.calendar';
import { findNonconformity } from '../nonconformities/nonconformities.queries';
import { saveAnalysis, startImplementation, startPlanning } from '../nonconformities/nonconformities.progress.service';
import { listProcedures } from '../procedures/procedures.queries';
import { csvLine } from './dossiers.csv';
import { importDossiers } from './dossiers.import.service';
import { raiseNonconformityIn } from './dossiers.nc.service';

/**
 * About 2,000 dossiers received over the last 12 months at the one-stop unit, across the demo procedures: mostly
 * resolved early or on time, some withdrawn, some still pending (all on track), and exactly 5 late — all of
 * QT-BTXH-01 in the same fortnight, traced to a software handling error. Received on working days in office hours.
 * Deterministic: a seeded generator whose seed is demo.now's date. Imported through the import service from a CSV
 * written like a one-stop software export (so the import history shows it), then the nonconformity for the 5 late
 * dossiers with its analysis and corrective action.
 */
const TOTAL = 2000;
const LATE = 5;
const LATE_PROCEDURE = 'QT-BTXH-01';
const DAY = 86_400_000;

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** How often each procedure is asked for (the rest: 1). */
const WEIGHTS: Record<string, number> = {
  'QT-BTXH-01': 14,
  'QT-BTXH-04': 6,
  'QT-BTXH-06': 5,
  'QT-TE-01': 5,
  'QT-NCC-01': 5,
  'QT-NCC-02': 4,
  'QT-LĐTL-01': 4,
  'QT-BTXH-02': 3,
  'QT-TE-02': 3,
};

const pad = (n: number) => String(n).padStart(2, '0');
const vnDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

interface Row {
  code: string;
  procedure: string;
  received: string;
  receivedTime: string;
  due: string;
  returned: string | null;
  returnedTime: string;
  outcome: 'returned' | 'withdrawn' | null;
  channel: 'direct' | 'online' | 'postal';
}

function workingDaysBetween(cal: WorkCalendar, from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (cal.isWorkingDay(d)) out.push(d);
  return out;
}

export function generateDemoDossiers(today: string, cal: WorkCalendar, procedures: { code: string; days: number; online: string }[], seed: number): Row[] {
  const random = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const officeTime = () => {
    const minutes = random() < 0.6 ? 450 + Math.floor(random() * 240) : 810 + Math.floor(random() * 210); // 07:30–11:30, 13:30–17:00
    return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  };
  const yesterday = addDays(today, -1);
  const days = workingDaysBetween(cal, addDays(today, -364), yesterday); // the "last 12 months" period
  const weighted = procedures.flatMap((p) => Array<typeof p>(WEIGHTS[p.code] ?? 1).fill(p));
  const rows: Row[] = [];
  const serial = new Map<string, number>();
  for (let i = 0; i < TOTAL; i++) {
    const p = pick(weighted);
    const received = pick(days);
    const due = computeDueDate(received, p.days, cal);
    const channelDraw = random();
    const channel = p.online !== 'none' && channelDraw < (p.online === 'full' ? 0.7 : 0.45) ? 'online' : channelDraw > 0.93 ? 'postal' : 'direct';
    // Returned on a working day after receipt, by the due date (and not after yesterday): mostly early.
    const window = workingDaysBetween(cal, addDays(received, 1), due < yesterday ? due : yesterday);
    let returned: string | null = null;
    if (window.length > 0 && (due < today || random() < 0.4))
      returned = random() < 0.3 || window.length === 1 ? window[window.length - 1] : pick(window.slice(0, -1));
    const key = received.slice(2, 4) + received.slice(5, 7) + received.slice(8, 10);
    const n = (serial.get(key) ?? 0) + 1;
    serial.set(key, n);
    rows.push({
      code: `000.00.17.H40-${key}-${String(n).padStart(4, '0')}`,
      procedure: p.code,
      received,
      receivedTime: officeTime(),
      due,
      returned,
      returnedTime: officeTime(),
      outcome: returned === null ? null : random() < 0.025 ? 'withdrawn' : 'returned',
      channel,
    });
  }
  rows.sort((a, b) => (a.received + a.receivedTime).localeCompare(b.received + b.receivedTime) || a.code.localeCompare(b.code));
  return rows;
}

/** Exactly LATE dossiers of one procedure, received around four months ago, returned 1–2 working days after the due date. */
function makeLate(rows: Row[], today: string, cal: WorkCalendar): Row[] {
  const from = addDays(today, -130);
  const candidates = rows.filter((r) => r.procedure === LATE_PROCEDURE && r.outcome === 'returned' && r.received >= from).slice(0, LATE);
  if (candidates.length < LATE) throw new Error('demo: not enough dossiers to make late');
  candidates.forEach((r, i) => {
    r.returned = cal.addWorkingDays(r.due, 1 + (i % 2));
  });
  return candidates;
}

/**
 * The file as a provincial one-stop system exports it: its own headers, its status words, the full wording of postal
 * submission, and the unit that handles each dossier (the office itself, by its name; now and then a commune that is
 * not one of the office's units, kept as written).
 */
function toCsv(rows: Row[]): string {
  let text = `\uFEFF${csvLine(['Mã hồ sơ', 'Mã thủ tục', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày trả kết quả', 'Trạng thái', 'Hình thức nộp', 'Đơn vị xử lý'])}`;
  const status = { returned: 'Đã trả kết quả', withdrawn: 'Công dân rút hồ sơ' };
  const channel = { direct: 'Trực tiếp', online: 'Trực tuyến', postal: 'Qua dịch vụ bưu chính công ích' };
  rows.forEach((r, i) => {
    text += csvLine([
      r.code,
      r.procedure,
      `${vnDate(r.received)} ${r.receivedTime}`,
      i % 10 === 0 ? vnDate(r.due) : '', // most exports leave it to be computed; some carry it
      r.returned ? `${vnDate(r.returned)} ${r.returnedTime}` : '',
      r.outcome ? status[r.outcome] : i % 7 === 0 ? 'Chờ bổ sung' : 'Đang giải quyết',
      channel[r.channel],
      i % 50 === 7 ? 'UBND xã Nghĩa Lâm' : 'Phòng Lao động - Thương binh và Xã hội',
    ]);
  });
  return text;
}

export async function seedDossiers(demo: DemoContext): Promise<void> {
  const { ctx } = demo;
  const today = todayLocal(demo.now, ctx.config.timeZone);
  const cal = await loadWorkCalendar(ctx.db);
  const procedures = (await listProcedures(ctx.db, { status: 'active' }, 1000))
    .filter((p) => p.processing_days !== null && p.processing_days > 0)
    .map((p) => ({ code: p.code, days: p.processing_days!, online: p.online_level }));
  const rows = generateDemoDossiers(today, cal, procedures, Math.floor(demo.now.getTime() / DAY));
  const late = makeLate(rows, today, cal);

  const dir = mkdtempSync(join(tmpdir(), 'qms-demo-'));
  const file = join(dir, 'ho-so-mot-cua-12-thang.csv');
  let summary;
  try {
    writeFileSync(file, toCsv(rows));
    summary = await importDossiers(ctx, { path: file }, { fileName: 'ho-so-mot-cua-12-thang.csv', actorId: demo.byRole.quality_officer, via: 'demo' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  demo.log(
    `Dossiers: ${summary.added} imported (${late.length} late, ${rows.filter((r) => r.returned === null).length} pending, ${rows.filter((r) => r.outcome === 'withdrawn').length} withdrawn).`,
  );
  await seedLateNonconformity(demo, late, today);
}

/** The nonconformity for the late dossiers, raised a few days after the last of them, analysed, with a corrective action. */
async function seedLateNonconformity(demo: DemoContext, late: Row[], today: string): Promise<void> {
  const { ctx } = demo;
  const thuky = demo.byRole.quality_officer;
  const owner = demo.users['motcua']?.id ?? thuky;
  const lastReturn = late
    .map((r) => r.returned!)
    .sort()
    .at(-1)!;
  const detectedOn = addDays(lastReturn, 3) < today ? addDays(lastReturn, 3) : today;
  const daysAgo = Math.round((Date.parse(today) - Date.parse(detectedOn)) / DAY);
  const at = (days: number, hour: number): AppContext => {
    const when = new Date(Math.min(demo.now.getTime(), demo.now.getTime() - days * DAY + hour * 3_600_000));
    return { ...ctx, clock: { now: () => when } };
  };
  const stored = await ctx.db
    .selectFrom('dossiers')
    .select(['id', 'code'])
    .where('organisation_id', '=', organisationOf(ctx.db))
    .where(
      'code',
      'in',
      late.map((r) => r.code),
    )
    .execute();
  const ids = new Map(stored.map((d) => [d.code, d.id]));
  const raised = at(daysAgo, 0);
  const nc = await ctx.db.transaction().execute((trx) =>
    raiseNonconformityIn(
      trx,
      {
        procedureId: demo.procedures[LATE_PROCEDURE],
        dossiers: late.map((r) => ({ id: ids.get(r.code)!, code: r.code })),
        title: 'Hồ sơ giải quyết quá hạn do lỗi thao tác phần mềm',
        description: `${late.length} hồ sơ trợ cấp xã hội được trả kết quả sau ngày hẹn trả 1–2 ngày làm việc (${late.map((r) => r.code).join(', ')}). Hồ sơ đã được phê duyệt đúng hạn nhưng không được chuyển sang bước "trả kết quả" trên phần mềm Một cửa điện tử.`,
        severity: 'minor',
        detectedOn,
        actorId: thuky,
        responsibleUnitId: demo.units['MOTCUA'] ?? null,
      },
      raised.clock.now(),
    ),
  );
  const version = async () => (await findNonconformity(ctx.db, nc.id))!.version;
  await saveAnalysis(
    at(daysAgo, 2),
    nc.id,
    await version(),
    {
      whys: [
        { why: 'Vì sao hồ sơ trả quá hạn?', answer: 'Hồ sơ đã ký duyệt nhưng vẫn nằm ở bước "chờ trả kết quả" trên phần mềm.' },
        { why: 'Vì sao hồ sơ không được chuyển bước?', answer: 'Công chức Một cửa mới được phân công chưa thao tác bước "chuyển trả kết quả".' },
        { why: 'Vì sao chưa thao tác?', answer: 'Chưa được hướng dẫn quy trình thao tác trên phiên bản phần mềm mới.' },
      ],
      causeCategory: 'people',
      rootCause: 'Chưa tập huấn thao tác phần mềm Một cửa điện tử phiên bản mới cho công chức mới được phân công.',
    },
    thuky,
  );
  await startPlanning(at(daysAgo, 3), nc.id, await version(), thuky);
  await ctx.db.transaction().execute((trx) =>
    createActionIn(
      trx,
      {
        source: { kind: 'nonconformity', id: nc.id },
        type: 'corrective',
        description: 'Tập huấn thao tác phần mềm Một cửa điện tử cho công chức Bộ phận Một cửa; bổ sung bước kiểm tra hồ sơ "chờ trả kết quả" cuối mỗi ngày.',
        ownerId: owner,
        dueDate: addDays(detectedOn, 30),
      },
      thuky,
      at(daysAgo, 4).clock.now(),
    ),
  );
  await startImplementation(at(daysAgo, 5), nc.id, await version(), thuky);
  demo.log(`Nonconformity ${nc.code}: the ${late.length} late dossiers, with a corrective action.`);
}
