import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveChecklistItem, addChecklistItems } from '../../src/features/audits/audits.checklist.service';
import { listChecklistItems } from '../../src/features/audits/audits.checklist.queries';
import {
  auditedWithin12Months,
  auditFiguresForProcedure,
  lastAuditDateForProcedure,
  listUpcomingAudits,
  twelveMonthWindowStart,
} from '../../src/features/audits/audits.report.queries';
import { cancelAudit, createAudit, startAudit } from '../../src/features/audits/audits.service';
import type { ItemResult } from '../../src/features/audits/audits.tables';
import { createTestApp, type TestApp } from '../support/app';
import { fixture, type Fixture } from './support';

/** Known answers for the figures the compliance report and the dashboard read. */
let t: TestApp;
let f: Fixture;
beforeEach(async () => {
  t = await createTestApp();
  f = await fixture(t);
});
afterEach(async () => t.close());

async function audit(procedureIds: number[], planned: string, type: 'internal' | 'certification' = 'internal'): Promise<number> {
  const { id } = await createAudit(
    t.ctx,
    {
      type,
      title: `Đánh giá ${planned}`,
      objectives: '',
      criteria_other: '',
      external_body: null,
      auditee_unit_id: null,
      lead_auditor_id: f.auditor,
      planned_start: planned,
      planned_end: planned,
      actual_start: null,
      actual_end: null,
      scope: { procedureIds, unitIds: [], clauses: [], memberIds: [] },
    },
    {},
    f.auditor,
  );
  return id;
}

/** Starts the audit on `start` and records one result per entry: [procedure, result]. */
async function conduct(id: number, start: string, results: [number, ItemResult][]): Promise<void> {
  await startAudit(t.ctx, id, start, 1, f.auditor);
  await addChecklistItems(
    t.ctx,
    id,
    results.map(([p], i) => ({ procedure_id: p, clause: '8.5.1', question: `Câu ${i + 1}` })),
    'add',
    f.auditor,
  );
  const items = await listChecklistItems(t.ctx.db, id);
  for (const [i, [p, result]] of results.entries()) {
    await saveChecklistItem(
      t.ctx,
      id,
      items[i].id,
      { question: `Câu ${i + 1}`, clause: '8.5.1', procedure_id: p, result, evidence: '', statement: `Phát hiện ${i + 1}`, found_on: start },
      1,
      f.auditor,
    );
  }
}

describe('auditFiguresForProcedure', () => {
  it('counts audits conducted in the period whose scope includes the procedure, and their findings for it by grade', async () => {
    const a = await audit([f.p1, f.p2], '2026-02-10');
    await conduct(a, '2026-02-10', [
      [f.p1, 'major_nc'],
      [f.p1, 'minor_nc'],
      [f.p1, 'minor_nc'],
      [f.p1, 'observation'],
      [f.p1, 'ofi'],
      [f.p1, 'conform'],
      [f.p2, 'minor_nc'], // another procedure's finding
    ]);
    const b = await audit([f.p1], '2026-06-30');
    await conduct(b, '2026-06-30', [[f.p1, 'ofi']]);
    const before = await audit([f.p1], '2025-12-31'); // conducted before the period
    await conduct(before, '2025-12-31', [[f.p1, 'major_nc']]);
    const cancelled = await audit([f.p1], '2026-03-03');
    await conduct(cancelled, '2026-03-03', [[f.p1, 'observation']]);
    // Cancelled on 05/03/2026, within the period: it does not count (one cancelled after the period's end would:
    // test/audits/cancelled-on.test.ts).
    t.clock.set('2026-03-05T03:00:00Z');
    await cancelAudit(t.ctx, cancelled, 'Hủy', 2, f.auditor);
    t.clock.set('2026-11-26T02:00:00Z');
    await audit([f.p1], '2026-04-01'); // planned, never conducted
    const external = await audit([f.p1], '2026-07-01', 'certification');
    await conduct(external, '2026-07-01', [[f.p1, 'observation']]); // outside the period (ends 30/06)

    expect(await auditFiguresForProcedure(t.ctx.db, f.p1, '2026-01-01', '2026-06-30')).toEqual({ count: 2, majorNc: 1, minorNc: 2, observation: 1, ofi: 2 });
    expect(await auditFiguresForProcedure(t.ctx.db, f.p2, '2026-01-01', '2026-06-30')).toEqual({ count: 1, majorNc: 0, minorNc: 1, observation: 0, ofi: 0 });
    expect(await auditFiguresForProcedure(t.ctx.db, f.p1, '2026-06-30', '2026-07-01')).toEqual({ count: 2, majorNc: 0, minorNc: 0, observation: 1, ofi: 1 });
    expect(await auditFiguresForProcedure(t.ctx.db, f.p3, '2025-01-01', '2026-12-31')).toEqual({ count: 0, majorNc: 0, minorNc: 0, observation: 0, ofi: 0 });
    // A withdrawn finding no longer counts.
    const items = await listChecklistItems(t.ctx.db, b);
    await saveChecklistItem(
      t.ctx,
      b,
      items[0].id,
      { question: 'Câu 1', clause: '8.5.1', procedure_id: f.p1, result: 'conform', evidence: '', statement: '', found_on: null },
      2,
      f.auditor,
    );
    expect(await auditFiguresForProcedure(t.ctx.db, f.p1, '2026-06-30', '2026-06-30')).toEqual({ count: 1, majorNc: 0, minorNc: 0, observation: 0, ofi: 0 });
  });
});

describe('lastAuditDateForProcedure', () => {
  it('gives the first day of fieldwork of the latest audit on or before the date, ignoring cancelled ones', async () => {
    await conduct(await audit([f.p1], '2025-05-05'), '2025-05-05', []);
    await conduct(await audit([f.p1, f.p2], '2026-02-10'), '2026-02-12', []);
    const cancelled = await audit([f.p1], '2026-09-09');
    await conduct(cancelled, '2026-09-09', []);
    t.clock.set('2026-09-10T03:00:00Z'); // cancelled the next day
    await cancelAudit(t.ctx, cancelled, 'Hủy', 2, f.auditor);
    t.clock.set('2026-11-26T02:00:00Z');
    await audit([f.p1], '2026-10-10'); // planned only
    expect(await lastAuditDateForProcedure(t.ctx.db, f.p1, '2026-11-26')).toBe('2026-02-12');
    expect(await lastAuditDateForProcedure(t.ctx.db, f.p1, '2026-02-11')).toBe('2025-05-05');
    expect(await lastAuditDateForProcedure(t.ctx.db, f.p1, '2026-02-12')).toBe('2026-02-12');
    expect(await lastAuditDateForProcedure(t.ctx.db, f.p1, '2025-05-04')).toBeUndefined();
    expect(await lastAuditDateForProcedure(t.ctx.db, f.p3, '2026-11-26')).toBeUndefined();
  });

  it('decides "audited within 12 months" on the window that ends at the date', () => {
    expect(twelveMonthWindowStart('2026-11-26')).toBe('2025-11-27');
    expect(twelveMonthWindowStart('2024-02-29')).toBe('2023-03-01');
    expect(twelveMonthWindowStart('2026-03-01')).toBe('2025-03-02');
    expect(auditedWithin12Months('2025-11-27', '2026-11-26')).toBe(true);
    expect(auditedWithin12Months('2025-11-26', '2026-11-26')).toBe(false);
    expect(auditedWithin12Months('2026-11-26', '2026-11-26')).toBe(true);
    expect(auditedWithin12Months('2026-11-27', '2026-11-26')).toBe(false);
    expect(auditedWithin12Months(undefined, '2026-11-26')).toBe(false);
  });
});

describe('listUpcomingAudits', () => {
  it('lists audits in progress first, then planned ones by planned start, flagging planned audits already late', async () => {
    const late = await audit([f.p1], '2026-11-20');
    const soon = await audit([f.p1], '2026-12-03');
    const sooner = await audit([f.p2], '2026-11-28');
    const running = await audit([f.p1], '2026-11-02');
    await startAudit(t.ctx, running, '2026-11-24', 1, f.auditor);
    const done = await audit([f.p1], '2026-10-01');
    await startAudit(t.ctx, done, '2026-10-01', 1, f.auditor);
    await cancelAudit(t.ctx, done, 'Hủy', 2, f.auditor);
    const list = await listUpcomingAudits(t.ctx.db, '2026-11-26', 10);
    expect(list.map((a) => [a.id, a.status, a.overdue])).toEqual([
      [running, 'in_progress', false],
      [late, 'planned', true],
      [sooner, 'planned', false],
      [soon, 'planned', false],
    ]);
    expect(list[0]).toMatchObject({ code: 'ĐGNB-2026-04', lead_auditor_name: 'Chuyên gia auditor', planned_start: '2026-11-02' });
    expect((await listUpcomingAudits(t.ctx.db, '2026-11-26', 2)).map((a) => a.id)).toEqual([running, late]);
  });
});
