import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFiguresForProcedure, lastAuditDateForProcedure } from '../../src/features/audits/audits.report.queries';
import { reportAuditFigures } from '../../src/features/reports/reports.procedure.queries';
import { createTestApp, run, type TestApp } from '../support/app';
import { audit, buildScenario } from './fixtures';

/**
 * The report reads its audit figures and last audit date in one statement (reportAuditFigures): for every procedure
 * of the report scenario, plus audits held then cancelled later, cancelled before being recorded, of another type,
 * with findings of another procedure or withdrawn, and many periods, it gives exactly what the audits feature's own
 * functions give for internal audits. Both engines.
 */
let t: TestApp;
let ids: number[];

beforeAll(async () => {
  t = await createTestApp();
  const { p1, p2, p3 } = await buildScenario(t);
  const lead = t.users.quality_officer;
  const later = await audit(t, lead, {
    start: '2025-11-20',
    procedures: [p2, p3],
    findings: [
      { grade: 'major_nc', procedureId: p2 },
      { grade: 'minor_nc', procedureId: p3 },
      { grade: 'ofi', procedureId: p2, withdrawn: true },
    ],
  });
  await run(t, "update audits set status = 'cancelled', cancel_reason = 'Hủy', cancelled_on = '2026-01-15' where id = ?", later);
  await audit(t, lead, { start: '2025-12-01', type: 'certification', procedures: [p2], findings: [{ grade: 'major_nc', procedureId: p2 }] });
  await audit(t, lead, {
    start: '2026-01-05',
    procedures: [p2],
    findings: [
      { grade: 'observation', procedureId: p2 },
      { grade: 'ofi', procedureId: p1 },
    ],
  });
  ids = [p1, p2, p3];
});
afterAll(async () => t.close());

const PERIODS = [
  ['2025-01-01', '2025-12-31'],
  ['2026-01-01', '2026-03-31'],
  ['2026-01-01', '2026-12-31'],
  ['2025-11-20', '2025-11-20'],
  ['2025-12-01', '2026-01-14'],
  ['2026-01-15', '2026-01-31'],
  ['2024-01-01', '2024-12-31'],
];

describe("the report's audit figures in one statement", () => {
  it("equal the audits feature's figures and last audit date for internal audits", async () => {
    let withAudits = 0;
    for (const id of [...ids, 999_999])
      for (const [from, to] of PERIODS) {
        const got = await reportAuditFigures(t.ctx.db, id, from, to);
        const want = {
          audits: await auditFiguresForProcedure(t.ctx.db, id, from, to, 'internal'),
          last: await lastAuditDateForProcedure(t.ctx.db, id, to, 'internal'),
        };
        expect({ id, from, to, ...got }).toEqual({ id, from, to, ...want });
        if (want.audits.count > 0) withAudits++;
      }
    expect(withAudits).toBeGreaterThan(5);
  });

  it('count an audit cancelled after the period, and a finding only for its own procedure', async () => {
    const [, p2, p3] = ids;
    expect(await reportAuditFigures(t.ctx.db, p2, '2025-11-01', '2025-12-31')).toEqual({
      audits: { count: 1, majorNc: 1, minorNc: 0, observation: 0, ofi: 0 },
      last: '2025-11-20',
    });
    expect((await reportAuditFigures(t.ctx.db, p3, '2025-11-01', '2026-01-31')).audits.count).toBe(0);
  });
});
