import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { createHoliday } from '../../src/features/holidays/holidays.service';

/**
 * Issue 20 point 3 in the reports: a report warns when its period, or a due date its figures depend on, falls in a
 * year whose holidays have not been entered.
 *
 * Today is Wed 30/12/2026 (09:00 local). No holiday is declared at first. Procedure P2 takes 2 working days; dossier
 * N1 received 30/12/2026 is pending, due 01/01/2027 (31/12 day 1, Fri 01/01 day 2 for lack of a 2027 calendar).
 * Report of 01/12–31/12/2026, computed as of 30/12: the period lies in 2026 (no holiday yet → warned) and N1's due
 * date lies in 2027 (no holiday → warned). Declaring 02/09/2026 clears the first; 01/01/2027 the second.
 */
let t: TestApp;
let leader: SignedIn;
const REPORT = '/reports/procedures/P2?from=2026-12-01&to=2026-12-31';
const SUMMARY = '/reports/summary?from=2026-12-01&to=2026-12-31';

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-12-30T02:00:00Z');
  leader = await t.signIn('leader');
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1, national_code: null };
  await createProcedure(t.ctx, { ...base, code: 'P2', title: 'Thủ tục hai ngày', processing_days: 2 }, null);
  const csv = 'code,procedure_code,received_at\nN1,P2,2026-12-30\n';
  expect(await importDossiers(t.ctx, { buffer: Buffer.from(csv) }, { fileName: 'cuoi-nam.csv', actorId: null, via: 'cli' })).toMatchObject({ added: 1 });
});
afterAll(async () => t.close());

const warnings = async (path: string) => {
  const res = await leader.agent.get(path);
  expect(res.status).toBe(200);
  return {
    period: /data-warning="no-calendar-period">⚠ [^<]*\((\d{4}(?:, \d{4})*)\)/.exec(res.text)?.[1] ?? null,
    pending: /data-warning="no-calendar-pending">⚠ [^<]*\((\d{4}(?:, \d{4})*)\)/.exec(res.text)?.[1] ?? null,
  };
};

describe('reports warn of years without holidays', () => {
  it('names the period’s year and the year of a pending due date, on the procedure report and the summary', async () => {
    expect(await warnings(REPORT)).toEqual({ period: '2026', pending: '2027' });
    expect(await warnings(SUMMARY)).toEqual({ period: '2026', pending: '2027' });
  });

  it('each warning goes once its year has a holiday', async () => {
    await createHoliday(t.ctx, { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh' }, null);
    expect(await warnings(REPORT)).toEqual({ period: null, pending: '2027' });
    await createHoliday(t.ctx, { date: '2027-01-01', kind: 'holiday', name: 'Tết Dương lịch' }, null);
    expect(await warnings(REPORT)).toEqual({ period: null, pending: null });
    expect(await warnings(SUMMARY)).toEqual({ period: null, pending: null });
  });
});
