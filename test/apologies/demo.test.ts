import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/features/demo';
import { apologyFigures } from '../../src/features/apologies/apologies.figures';
import { createTestApp, rows, type TestApp } from '../support/app';

/**
 * The demo's apology slips (the demo's "now" is the test clock's, 2026-11-26): every late dossier of the model office
 * but the last has one, issued on its due date; the last is on the quality officer's work list.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
}, 120_000);
afterAll(async () => t.close());

describe('demo apology slips', () => {
  it('gives each late dossier but the last a slip issued on its due date, promising a date after it', async () => {
    const late = await rows<{ id: number; due_on: string }>(
      t,
      "select id, due_on from dossiers where organisation_id = 1 and outcome = 'returned' and returned_on > due_on order by due_on, id",
    );
    expect(late.length).toBe(5);
    const slips = await rows<{ dossier_id: number; issued_on: string; new_due_on: string; status: string }>(
      t,
      'select dossier_id, issued_on, new_due_on, status from apology_slips where organisation_id = 1 order by id',
    );
    expect(new Set(slips.map((s) => Number(s.dossier_id)))).toEqual(new Set(late.slice(0, -1).map((d) => Number(d.id))));
    for (const s of slips) {
      const d = late.find((x) => Number(x.id) === Number(s.dossier_id))!;
      expect(s.status).toBe('recorded');
      expect(s.new_due_on > d.due_on).toBe(true);
      expect(s.issued_on >= d.due_on).toBe(true);
    }
    const year = await apologyFigures(t.ctx.db, '2025-11-27', '2026-11-26');
    expect(year.total.late).toBe(5);
    expect(year.total.lateWithSlip).toBe(4);
    expect(year.total.lateWithoutSlip).toBe(1);
    // the second late dossier has two slips, the second kept; the fourth misses its only new date
    expect(year.total.metNewDate).toBe(3);
    expect(year.total.returnedAfterNewDate).toBe(1);
    expect(slips.length).toBe(5);
  });
});
