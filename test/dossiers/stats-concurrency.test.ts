import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { dossierFigures, dossierFiguresForAll, monthlyOnTimeSeries } from '../../src/features/dossiers/dossiers.figures';

/** Several figures read at once inside one transaction (as the annual report does) refresh the summary rows safely. */
let t: TestApp;
let p1: number;

beforeAll(async () => {
  t = await createTestApp();
  p1 = await createProcedure(
    t.ctx,
    { code: 'QT-CC-01', title: 'x', field: '', national_code: null, processing_days: 2, online_level: 'none', unit_id: null, on_time_target: 1 },
    null,
  );
  const csv = [
    'code,procedure_code,received_at,returned_at',
    'C1,QT-CC-01,2026-03-02,2026-03-03',
    'C2,QT-CC-01,2026-03-02,2026-03-09',
    'C3,QT-CC-01,2026-03-20,',
  ].join('\n');
  await importDossiers(t.ctx, { buffer: Buffer.from(csv) }, { fileName: 'cc.csv', actorId: null, via: 'cli' });
});
afterAll(async () => t.close());

describe('concurrent figures in one transaction', () => {
  it('all succeed and agree', async () => {
    const [all, one, series] = await t.ctx.db
      .transaction()
      .execute((trx) =>
        Promise.all([
          dossierFiguresForAll(trx, '2026-03-01', '2026-03-31'),
          dossierFigures(trx, p1, '2026-03-01', '2026-03-31'),
          monthlyOnTimeSeries(trx, null, '2026-03-01', '2026-03-31'),
        ]),
      );
    // C1 early (due 4/3), C2 late (due 4/3), C3 pending, due 24/3 < 31/3 → overdue
    expect(one).toMatchObject({ received: 3, resolved: 2, early: 1, late: 1, pending: 1, pendingOverdue: 1, onTimeRate: 0.5 });
    expect(all.get(p1)).toEqual(one);
    expect(series).toEqual([{ month: '2026-03', resolved: 2, early: 1, onTime: 0, late: 1, onTimeRate: 0.5 }]);
  });
});
