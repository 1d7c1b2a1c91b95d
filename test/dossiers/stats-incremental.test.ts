import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { markDossierStatsDirty } from '../../src/features/dossiers/dossiers.import.queries';
import { refreshDossierStats } from '../../src/features/dossiers/dossiers.stats.queries';

/**
 * An import adds its new dossiers' counts to the summary rows (addNewDossierStats) instead of recomputing their
 * procedures from all their dossiers: the rows must equal a full recomputation exactly, after imports that add,
 * update (a dossier moving to another procedure, returned, withdrawn), leave dossiers pending, and fall in months
 * that already have rows and in new ones — and when a procedure's rows were stale before the import.
 */
let t: TestApp;
const ids: number[] = [];

const procedure = (code: string, days: number) =>
  createProcedure(
    t.ctx,
    { code, title: code, field: '', national_code: null, processing_days: days, online_level: 'none', unit_id: null, on_time_target: 1 },
    null,
  );

type Row = Record<string, unknown>;
/** Both summary tables, ordered (rows whose counters are all zero count for nothing and are left out). */
async function snapshot(): Promise<{ day: Row[]; month: Row[] }> {
  const nonZero = sql`rd + ro + rp + te + tt + tl + d1 + o <> 0`;
  const norm = (rows: Row[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])));
  const day = await sql<Row>`select procedure_id, day, rd, ro, rp, te, tt, tl, d1, o from dossier_stats_day where ${nonZero}
    order by procedure_id, day`.execute(t.ctx.db);
  const month = await sql<Row>`select procedure_id, month, rd, ro, rp, te, tt, tl, d1, o from dossier_stats_month where ${nonZero}
    order by procedure_id, month`.execute(t.ctx.db);
  return { day: norm(day.rows), month: norm(month.rows) };
}

/** The summary rows as a full recomputation of every procedure makes them. */
async function recomputed(): Promise<{ day: Row[]; month: Row[] }> {
  await t.ctx.db.transaction().execute(async (trx) => {
    await markDossierStatsDirty(trx, ids);
    await refreshDossierStats(trx);
  });
  return snapshot();
}

async function importCsv(name: string, lines: string[]) {
  return importDossiers(
    t.ctx,
    { buffer: Buffer.from(['code,procedure_code,received_at,due_date,returned_at,status,channel', ...lines].join('\n')) },
    {
      fileName: name,
      actorId: null,
      via: 'cli',
    },
  );
}

async function expectSameAsFullRecomputation() {
  const incremental = await snapshot();
  expect(incremental.day.length).toBeGreaterThan(0);
  const dirty = await sql<{ n: number }>`select count(*) as n from dossier_stats_dirty`.execute(t.ctx.db);
  expect(Number(dirty.rows[0].n)).toBe(0);
  expect(await recomputed()).toEqual(incremental);
}

beforeAll(async () => {
  t = await createTestApp();
  ids.push(await procedure('QT-INC-01', 5), await procedure('QT-INC-02', 3), await procedure('QT-INC-03', 10));
});
afterAll(async () => t.close());

describe('summary rows after an import', () => {
  it('equal a full recomputation after adds only (a first import)', async () => {
    const s = await importCsv('a.csv', [
      'A1,QT-INC-01,2026-03-02,,2026-03-05,Đã trả kết quả,direct',
      'A2,QT-INC-01,02/03/2026 08:00,,2026-03-20,Đã trả kết quả,online',
      'A3,QT-INC-01,2026-03-30,,,Đang xử lý,postal',
      'A4,QT-INC-02,2026-04-01,2026-04-03,2026-04-03,Đã trả kết quả,online',
      'A5,QT-INC-02,2026-04-01,,2026-04-02,Rút hồ sơ,direct',
      'A6,QT-INC-02,2026-04-28,,,Đang xử lý,',
    ]);
    expect(s).toMatchObject({ added: 6, updated: 0 });
    await expectSameAsFullRecomputation();
  });

  it('equal a full recomputation after adds into existing and new months, with updates in the same file', async () => {
    const s = await importCsv('b.csv', [
      'A1,QT-INC-01,2026-03-02,,2026-03-05,Đã trả kết quả,direct', // unchanged
      'A3,QT-INC-02,2026-03-30,,2026-04-09,Đã trả kết quả,postal', // moves to QT-INC-02, returned late
      'A6,QT-INC-02,2026-04-28,,2026-05-02,Rút hồ sơ,', // withdrawn
      'B1,QT-INC-01,2026-03-02,,2026-03-03,Đã trả kết quả,online', // a day that has a row
      'B2,QT-INC-01,2026-05-15,2026-05-31,,Đang xử lý,direct', // a new month, pending, due at a month's end
      'B3,QT-INC-03,2026-01-05,,2026-02-20,Đã trả kết quả,postal', // a procedure without rows yet
      'B4,QT-INC-03,2026-02-27,,,Đang xử lý,online',
      'B5,QT-INC-03,2026-02-27,,2026-02-27,Rút hồ sơ,direct',
    ]);
    expect(s).toMatchObject({ added: 5, updated: 2, unchanged: 1 });
    await expectSameAsFullRecomputation();
  });

  it('equal a full recomputation when a procedure was marked stale before an import that only adds to it', async () => {
    await t.ctx.db.transaction().execute(async (trx) => {
      // Its rows made wrong by hand, as a failed or older writer might have left them, and the procedure marked.
      await sql`update dossier_stats_day set rd = rd + 7 where procedure_id = ${ids[0]}`.execute(trx);
      await markDossierStatsDirty(trx, [ids[0]]);
    });
    const s = await importCsv('c.csv', [
      'C1,QT-INC-01,2026-03-02,,2026-03-04,Đã trả kết quả,direct',
      'C2,QT-INC-02,2026-06-01,,,Đang xử lý,online',
      'C3,QT-INC-03,2026-02-27,,2026-03-01,Đã trả kết quả,postal',
    ]);
    expect(s).toMatchObject({ added: 3, updated: 0 });
    await expectSameAsFullRecomputation();
  });
});
