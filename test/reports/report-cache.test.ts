import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';

/**
 * A procedure's compliance report is kept until the data changes (reports.cache.ts). These checks change the data the
 * ways a user does — a dossier import, a correction by a later file — and read the report again through HTTP: the
 * figures follow at once, and each answer carries the time it was asked.
 */
let t: TestApp;
let quality: SignedIn;
const URL = '/reports/procedures/QT-RC-01.json?from=2026-03-01&to=2026-03-31';
const HEADER = 'code,procedure_code,received_at,due_date,returned_at,outcome,channel';
const importText = (lines: string[]) =>
  importDossiers(t.ctx, { buffer: Buffer.from([HEADER, ...lines].join('\n')) }, { fileName: 'ho-so.csv', actorId: t.users.quality_officer, via: 'upload' });
const dossiersOf = async () => {
  const res = await quality.get(URL);
  expect(res.status, res.text).toBe(200);
  return res.body as { dossiers: Record<string, number>; generatedAt: string };
};

beforeAll(async () => {
  t = await createTestApp();
  await createProcedure(t.ctx, { code: 'QT-RC-01', title: 'Thủ tục thử bộ nhớ đệm', field: '', online_level: 'none', unit_id: null, on_time_target: 1, national_code: null, processing_days: 5 }, null);
  quality = await t.signIn('quality_officer');
});
afterAll(async () => t.close());

describe('the cached compliance report', () => {
  it('follows an import and a later correction at once, with a fresh generatedAt', async () => {
    const empty = await dossiersOf();
    expect(empty.dossiers).toMatchObject({ received: 0, resolved: 0 });

    await importText(['RC-1,QT-RC-01,2026-03-02,2026-03-09,2026-03-05,,online', 'RC-2,QT-RC-01,2026-03-03,2026-03-10,,,online']);
    const first = await dossiersOf();
    expect(first.dossiers).toMatchObject({ received: 2, resolved: 1, early: 1, onTime: 0, late: 0, pending: 1 });

    // The same answer again comes from the cache: same figures.
    expect((await dossiersOf()).dossiers).toEqual(first.dossiers);

    // A later file returns RC-2 after its due date: one more resolved, late.
    await importText(['RC-2,QT-RC-01,2026-03-03,2026-03-10,2026-03-20,,online']);
    expect((await dossiersOf()).dossiers).toMatchObject({ received: 2, resolved: 2, early: 1, onTime: 0, late: 1, pending: 0 });

    t.clock.advance(60_000);
    const later = await dossiersOf();
    expect(later.generatedAt).toBe(t.clock.now().toISOString());
    expect(later.generatedAt).not.toBe(first.generatedAt);
  });
});
