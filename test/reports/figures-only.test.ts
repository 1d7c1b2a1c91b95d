import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProcedureFigures, buildProcedureReport } from '../../src/features/reports/reports.procedure';
import { createTestApp, type TestApp } from '../support/app';
import { buildScenario } from './fixtures';

/**
 * The JSON and CSV forms are built without the printable page's extras (monthly series, acknowledgement coverage):
 * everything they show is the same as the page's report, for every procedure of the report scenario and periods
 * over, across and not yet over.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
});
afterAll(async () => t.close());

const PERIODS = [
  { from: '2026-01-01', to: '2026-03-31' },
  { from: '2025-01-01', to: '2025-12-31' },
  { from: '2026-02-15', to: '2026-02-15' },
  { from: '2026-01-01', to: '2026-12-31' },
];
const TODAY = '2026-06-30';

describe('the figures alone (JSON, CSV)', () => {
  it("equal the printable page's report, figure for figure", async () => {
    for (const code of ['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03']) {
      for (const period of PERIODS) {
        const page = await buildProcedureReport(t.ctx, code, period, 'vi', TODAY);
        // the survey's figures, always on the page, join the figures when asked (JSON ?include=satisfaction)
        const figures = await buildProcedureFigures(t.ctx, code, period, 'vi', TODAY, [], true);
        expect((await buildProcedureFigures(t.ctx, code, period, 'vi', TODAY))!.report).not.toHaveProperty('satisfaction');
        expect(page).toBeDefined();
        const { acknowledgement, monthly, ...rest } = page!;
        expect(monthly.length).toBeGreaterThan(0);
        expect(acknowledgement === null || typeof acknowledgement.required === 'number').toBe(true);
        const strip = <T extends { report: { generatedAt: string } }>(d: T) => ({ ...d, report: { ...d.report, generatedAt: '' } });
        expect(strip(figures!)).toEqual(strip(rest));
        expect(figures).not.toHaveProperty('monthly');
        expect(figures).not.toHaveProperty('acknowledgement');
      }
    }
  });

  it('answer undefined for an unknown procedure, as the page does', async () => {
    expect(await buildProcedureFigures(t.ctx, 'QT-NONE', PERIODS[0], 'vi', TODAY)).toBeUndefined();
    expect(await buildProcedureReport(t.ctx, 'QT-NONE', PERIODS[0], 'vi', TODAY)).toBeUndefined();
  });
});
