import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, run, type SignedIn, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { dossierFigures } from '../../src/features/dossiers/dossiers.figures';
import { selectFiguresByProcedureFromDossiers, selectMonthlyResolvedFromDossiers } from '../../src/features/dossiers/dossiers.figures.queries';
import { statsFigures, statsMonthlyResolved } from '../../src/features/dossiers/dossiers.stats.queries';
import { createHoliday } from '../../src/features/holidays/holidays.service';
import { importHolidaysFile } from '../../src/features/holidays/holidays.cli';
import { loadWorkCalendar } from '../../src/features/holidays/holidays.calendar';
import { recomputeProcedureDueDates } from '../../src/features/dossiers/dossiers.due';
import { issueAnnualReport, saveAnnualDraft } from '../../src/features/reports/reports.annual.service';
import { emptyNarratives } from '../../src/features/reports/reports.annual.figures';

/**
 * Issue 20 point 2: due dates computed from the calendar follow it when a holiday or make-up day changes.
 *
 * March 2026: Sun 1, Mon 2 … Fri 6, Sat 7, Sun 8, Mon 9, Tue 10, Wed 11, Thu 12, Fri 13, Sat 14, Sun 15, Mon 16, Tue 17.
 * No holiday in March at first (one holiday in 2026, 02/09, so that 2026 has a calendar). Procedures: P3 = 3 working
 * days, P2 = 2, P0 = 0 (same day). Due = the N-th working day after r, r not counted; N = 0: r if working, else next.
 *
 * | code | proc | received | returned | due before      | due with 11/03 a holiday    |
 * |------|------|----------|----------|-----------------|-----------------------------|
 * | A    | P3   | Mon 09   | Thu 12   | 10,11,12 → 12 on time | 10,12,13 → 13 early   |
 * | B    | P2   | Mon 09   | Thu 12   | 10,11 → 11 LATE (1 day) | 10,12 → 12 on time  |
 * | C    | P3   | Thu 12   | Tue 17   | 13,16,17 → 17 on time | unchanged (r > 11)    |
 * | D    | P3   | Fri 06   | pending  | 09,10,11 → 11   | 09,10,12 → 12               |
 * | E    | P3   | Mon 02   | Thu 05   | 03,04,05 → 05 on time | unchanged (due < 11)  |
 * | F    | P3   | Tue 10   | Mon 16   | 13 from the file, late | unchanged (not computed) |
 * | G    | P0   | Wed 11   | Wed 11   | 11 on time      | 11 is a holiday → Thu 12, early |
 * Moved: A, B, D, G = 4. Resolved in March: early 0 → 2 (A, G), on time 4 → 3 (C, E, B), late 2 → 1 (F).
 */
const CSV = `code,procedure_code,received_at,due_date,returned_at,outcome,channel
A,P3,2026-03-09,,2026-03-12,returned,direct
B,P2,2026-03-09,,2026-03-12,returned,direct
C,P3,2026-03-12,,2026-03-17,returned,online
D,P3,2026-03-06,,,,direct
E,P3,2026-03-02,,2026-03-05,returned,direct
F,P3,2026-03-10,2026-03-13,2026-03-16,returned,postal
G,P0,2026-03-11,,2026-03-11,returned,direct
`;

let t: TestApp;
let admin: SignedIn;
const ids: Record<string, number> = {};

const dueOf = async () =>
  Object.fromEntries((await rows<{ code: string; due_on: string }>(t, 'select code, due_on from dossiers order by code')).map((r) => [r.code, r.due_on]));
const march = async (code: string) => dossierFigures(t.ctx.db, ids[code], '2026-03-01', '2026-03-31');
const holidayAudit = async () =>
  (await rows<{ action: string; new_values: string }>(t, "select action, new_values from audit_log where entity = 'holiday' order by id")).map((r) => ({
    action: r.action,
    new: JSON.parse(r.new_values) as Record<string, unknown>,
  }));
const annualRow = async () => (await rows(t, 'select * from annual_reports where year = 2026'))[0];

/** The summary tables (kept by the dossiers' triggers) give what a direct computation from the dossiers gives. */
async function expectSummaryRowsRight(): Promise<void> {
  expect(await rows(t, 'select procedure_id from dossier_stats_dirty')).toEqual([]); // nothing left to recompute: the triggers did it
  for (const [from, to] of [
    ['2026-03-01', '2026-03-31'],
    ['2026-03-11', '2026-03-11'],
    ['2026-03-12', '2026-03-12'],
    ['2026-01-01', '2026-11-26'],
  ]) {
    const kept = [...(await statsFigures(t.ctx.db, from, to))].sort((a, b) => a[0] - b[0]).map(([procedure_id, f]) => ({ procedure_id, ...f }));
    expect(kept, `${from}…${to}`).toEqual(await selectFiguresByProcedureFromDossiers(t.ctx.db, from, to));
    expect(await statsMonthlyResolved(t.ctx.db, null, from, to)).toEqual(await selectMonthlyResolvedFromDossiers(t.ctx.db, null, from, to));
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1, national_code: null };
  for (const [code, days] of [
    ['P3', 3],
    ['P2', 2],
    ['P0', 0],
  ] as const) {
    ids[code] = await createProcedure(t.ctx, { ...base, code, title: `Thủ tục ${days} ngày`, processing_days: days }, null);
  }
  ids.A = ids.P3;
  ids.B = ids.P2;
  ids.G = ids.P0;
  await createHoliday(t.ctx, { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh' }, null);
  const s = await importDossiers(t.ctx, { buffer: Buffer.from(CSV) }, { fileName: 'thang-3.csv', actorId: null, via: 'cli' });
  expect(s).toMatchObject({ rows: 7, added: 7 });
  // An annual report of 2026 issued before the calendar changes: its figures are frozen.
  const leader = { userId: t.users.leader, name: 'Người dùng leader', role: 'leader' };
  await saveAnnualDraft(t.ctx, 2026, { narratives: emptyNarratives(), numberText: '01' }, t.users.quality_officer);
  await issueAnnualReport(t.ctx, 2026, 1, leader);
});
afterAll(async () => t.close());

describe('before any change of the March calendar', () => {
  it('has the hand-computed due dates and figures', async () => {
    expect(await dueOf()).toEqual({ A: '2026-03-12', B: '2026-03-11', C: '2026-03-17', D: '2026-03-11', E: '2026-03-05', F: '2026-03-13', G: '2026-03-11' });
    expect(await march('A')).toMatchObject({ resolved: 4, early: 0, onTime: 3, late: 1, pendingOverdue: 1 }); // P3: A C E on time, F late, D overdue
    expect(await march('B')).toMatchObject({ resolved: 1, early: 0, onTime: 0, late: 1 });
    expect(await march('G')).toMatchObject({ resolved: 1, early: 0, onTime: 1, late: 0 });
    await expectSummaryRowsRight();
  });
});

describe('declaring 11/03/2026 a holiday (the issue’s known answer)', () => {
  let issuedBefore: unknown;
  it('moves the computed due dates received on or before it and due on or after it, in the same transaction', async () => {
    issuedBefore = await annualRow();
    const res = await admin.post('/admin/holidays', { date: '2026-03-11', kind: 'holiday', name: 'Ngày nghỉ thử' });
    expect(res.status).toBe(303);
    expect(await dueOf()).toEqual({ A: '2026-03-13', B: '2026-03-12', C: '2026-03-17', D: '2026-03-12', E: '2026-03-05', F: '2026-03-13', G: '2026-03-12' });
    // the dossier that was late (B, returned one day after its old due date) is now on time
    expect(await march('B')).toMatchObject({ resolved: 1, early: 0, onTime: 1, late: 0 });
    expect(await march('A')).toMatchObject({ resolved: 4, early: 1, onTime: 2, late: 1, pendingOverdue: 1 });
    expect(await march('G')).toMatchObject({ resolved: 1, early: 1, onTime: 0, late: 0 });
    await expectSummaryRowsRight();
  });

  it('says how many dossiers moved in the audit entry and on the page', async () => {
    expect((await holidayAudit()).at(-1)).toEqual({ action: 'create', new: { date: '2026-03-11', kind: 'holiday', name: 'Ngày nghỉ thử', dossiersMoved: 4 } });
    const page = await admin.get('/admin/holidays?year=2026');
    expect(page.text).toContain('Đã thêm. 4 hồ sơ được tính lại ngày hẹn trả.');
  });

  it('leaves the issued annual report as it was signed', async () => {
    expect(await annualRow()).toEqual(issuedBefore);
    expect(await annualRow()).toMatchObject({ status: 'issued' });
  });
});

describe('editing, cancelling, a make-up day and an import', () => {
  const holidayId = async () =>
    (await rows<{ id: number; version: number }>(t, "select id, version from holidays where date in ('2026-03-11', '2026-03-12') and cancelled = 0"))[0];

  it('an edit recomputes over the old and the new date', async () => {
    // 12/03 a holiday instead of 11/03: A 10,11,13 → 13 (unchanged); B 10,11 → 11; D 09,10,11 → 11; G 11 working → 11;
    // C received on the holiday 12 → 13,16,17 → 17 (unchanged). Moved: B, D, G = 3.
    const h = await holidayId();
    const res = await admin.post(`/admin/holidays/${h.id}`, { date: '2026-03-12', kind: 'holiday', name: 'Ngày nghỉ thử', version: String(h.version) });
    expect(res.status).toBe(303);
    expect(await dueOf()).toEqual({ A: '2026-03-13', B: '2026-03-11', C: '2026-03-17', D: '2026-03-11', E: '2026-03-05', F: '2026-03-13', G: '2026-03-11' });
    expect((await holidayAudit()).at(-1)).toMatchObject({ action: 'update', new: { date: '2026-03-12', dossiersMoved: 3 } });
    expect((await admin.get('/admin/holidays?year=2026')).text).toContain('Đã lưu. 3 hồ sơ được tính lại ngày hẹn trả.');
    await expectSummaryRowsRight();
  });

  it('a cancellation gives back the due dates without it', async () => {
    // Plain March again: A → 12 (moved); B, D, G already 11; C 17. Moved: 1.
    const h = await holidayId();
    expect((await admin.post(`/admin/holidays/${h.id}/cancel`, { version: String(h.version), reason: 'Nhập nhầm' })).status).toBe(303);
    expect(await dueOf()).toEqual({ A: '2026-03-12', B: '2026-03-11', C: '2026-03-17', D: '2026-03-11', E: '2026-03-05', F: '2026-03-13', G: '2026-03-11' });
    expect((await holidayAudit()).at(-1)).toMatchObject({ action: 'cancel', new: { cancelled: 1, dossiersMoved: 1 } });
    expect((await admin.get('/admin/holidays?year=2026')).text).toContain('Đã hủy ngày này. 1 hồ sơ được tính lại ngày hẹn trả.');
    await expectSummaryRowsRight();
  });

  it('a make-up Saturday counts as a working day for the dossiers around it', async () => {
    // Sat 07/03 a make-up day: D (Fri 06) → 07, 09, 10 → 10. E is due 05 < 07; A B C G received after 07. Moved: 1.
    expect((await admin.post('/admin/holidays', { date: '2026-03-07', kind: 'workday', name: 'Làm bù thử' })).status).toBe(303);
    expect(await dueOf()).toMatchObject({ D: '2026-03-10', E: '2026-03-05', A: '2026-03-12' });
    expect((await holidayAudit()).at(-1)).toMatchObject({ action: 'create', new: { kind: 'workday', dossiersMoved: 1 } });
    await expectSummaryRowsRight();
  });

  it('an import of holidays recomputes too, with the count in each entry and in the summary', async () => {
    // 11/03 a holiday again, Sat 07 still a make-up day: A 10,12,13 → 13; B 10,12 → 12; G → 12; D 07,09,10 → 10
    // (due 10 < 11: unchanged). Moved: A, B, G = 3.
    const path = join(t.dir, 'ngay-nghi.csv');
    writeFileSync(path, 'date,kind,name\n2026-03-11,holiday,Ngày nghỉ thử\n');
    expect(await importHolidaysFile(t.ctx, path, 'ngay-nghi.csv')).toBe(
      'ngay-nghi.csv: 1 rows — 1 added, 0 updated, 0 unchanged; due dates of 3 dossiers recomputed',
    );
    expect(await dueOf()).toEqual({ A: '2026-03-13', B: '2026-03-12', C: '2026-03-17', D: '2026-03-10', E: '2026-03-05', F: '2026-03-13', G: '2026-03-12' });
    expect((await holidayAudit()).at(-1)).toMatchObject({ action: 'import', new: { date: '2026-03-11', dossiersMoved: 3 } });
    await expectSummaryRowsRight();
  });

  it('an issued annual report still has the figures it was signed with', async () => {
    const row = (await annualRow()) as { status: string; figures_json: string };
    expect(row.status).toBe('issued');
    // Signed with B and F late (2) and A C E G on time (4); recomputed now: F late only, A B G early or on time.
    expect(JSON.parse(row.figures_json).dossiers).toMatchObject({ resolved: 6, early: 0, onTime: 4, late: 2 });
    const now = await dossierFigures(t.ctx.db, ids.P3, '2026-01-01', '2026-11-26');
    expect(now).toMatchObject({ resolved: 4, early: 1, onTime: 2, late: 1 }); // P3: A early, C E on time, F late
    expect(await rows(t, "select count(*) as n from audit_log where entity = 'annual_report' and action = 'issue'")).toEqual([{ n: 1 }]);
  });
});

describe('recomputeProcedureDueDates (for a change of processing days)', () => {
  it('moves the computed due dates of the procedure’s dossiers received in the range', async () => {
    // P2 now 4 days (its terms since registration); calendar: Sat 07/03 make-up, 11/03 holiday. B (Mon 09) → 10, 12, 13, 16 → 16/03. Received before
    // 10/03 only: B is in [2026-03-01, 2026-03-10). No other P2 dossier.
    await run(t, 'update procedure_terms set processing_days = 4 where procedure_id = ?', ids.P2);
    const at = t.clock.now();
    const outside = await t.ctx.db
      .transaction()
      .execute(async (trx) => recomputeProcedureDueDates(trx, { procedureId: ids.P2, from: '2026-03-10', until: null, at }, await loadWorkCalendar(trx)));
    expect(outside).toEqual([]);
    const moved = await t.ctx.db
      .transaction()
      .execute(async (trx) =>
        recomputeProcedureDueDates(trx, { procedureId: ids.P2, from: '2026-03-01', until: '2026-03-10', at }, await loadWorkCalendar(trx)),
      );
    expect(moved).toEqual([
      { id: (await rows<{ id: number }>(t, "select id from dossiers where code = 'B'"))[0].id, receivedOn: '2026-03-09', from: '2026-03-12', to: '2026-03-16' },
    ]);
    expect(await dueOf()).toMatchObject({ B: '2026-03-16', A: '2026-03-13' });
    await expectSummaryRowsRight();
  });
});
