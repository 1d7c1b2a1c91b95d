import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { writeDossierCsv } from './generate';

/**
 * A generated 200,000-row file (with a personal-data column) imports completely, re-imports unchanged, and the
 * memory the import needs stays bounded: the file is streamed and only compact values are kept (about 40 bytes and
 * the code's characters per row). No timing is asserted; the standalone benchmark (test/bench/dossier-import.ts)
 * measures speed.
 */
const ROWS = 200_000;
const MB = 1024 * 1024;
let t: TestApp;
let file: string;
const codes = ['QT-L-01', 'QT-L-02', 'QT-L-03', '3.000777'];

beforeAll(async () => {
  t = await createTestApp();
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1 };
  for (const [i, code] of ['QT-L-01', 'QT-L-02', 'QT-L-03', 'QT-L-04'].entries()) {
    await createProcedure(t.ctx, { ...base, code, title: code, national_code: i === 3 ? '3.000777' : null, processing_days: 3 + i * 5 }, null);
  }
  file = join(t.dir, 'large.csv');
  await writeDossierCsv(file, ROWS, codes);
}, 120_000);
afterAll(async () => t.close());

describe(`a ${ROWS.toLocaleString('en')}-row file`, () => {
  it('imports every row with bounded memory growth', async () => {
    // SQLite rebuilds the indexes with two sorting threads and a small page cache, then restores both settings.
    const settings = async () => (onPostgres ? {} : { ...(await one(t, 'pragma threads')), ...(await one(t, 'pragma cache_size')) });
    if (!onPostgres) await run(t, 'pragma cache_size = -12345');
    const settingsBefore = await settings();
    if (!onPostgres) expect(settingsBefore).toEqual({ threads: 0, cache_size: -12345 });
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const s = await importDossiers(t.ctx, { path: file }, { fileName: 'large.csv', actorId: null, via: 'cli' }).finally(() => clearInterval(sampler));
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(s).toMatchObject({ rows: ROWS, added: ROWS, updated: 0, unchanged: 0 });
    expect((await rows(t, 'select count(*) as n from dossiers'))[0]).toEqual({ n: ROWS });
    expect(await settings()).toEqual(settingsBefore);
    // The file is 23 MB and its rows, kept as JavaScript objects, would take several hundred MB.
    const growthMb = (peak - rssBefore) / MB;
    console.info(`large import: RSS before ${Math.round(rssBefore / MB)} MB, peak ${Math.round(peak / MB)} MB, growth ${Math.round(growthMb)} MB`);
    expect(growthMb).toBeLessThan(150);
  }, 300_000);

  it('stores what the generator wrote (spot checks) and keeps the indexes', async () => {
    // row 0: 2025-01-01T08:00:00 local, due given 2025-02-01, returned 2025-02-01T10:00+07:00, outcome returned, direct
    expect(
      (await rows(t, "select received_on, received_at, due_on, due_computed, returned_on, outcome, channel from dossiers where code = 'HS-00000000'"))[0],
    ).toEqual({
      received_on: '2025-01-01',
      received_at: '2025-01-01T01:00:00.000Z',
      due_on: '2025-02-01',
      due_computed: 0,
      returned_on: '2025-02-01',
      outcome: 'returned',
      channel: 'direct',
    });
    // row 7: pending (i % 10 === 7); received 08/01/2025 14:30 local, due computed: QT-L-04 (national code 3.000777, 18 days)
    expect((await rows(t, "select received_on, received_at, returned_on, outcome, due_computed, channel from dossiers where code = 'HS-00000007'"))[0]).toEqual(
      {
        received_on: '2025-01-08',
        received_at: '2025-01-08T07:30:00.000Z',
        returned_on: null,
        outcome: null,
        due_computed: 1,
        channel: 'postal',
      },
    );
    expect((await rows(t, "select count(*) as n from dossiers where outcome = 'withdrawn'"))[0]).toEqual({ n: ROWS / 50 });
    expect((await rows(t, 'select count(*) as n from dossiers where returned_on is null'))[0]).toEqual({ n: ROWS / 10 });
    // SQLite's bulk import dropped and rebuilt the secondary index, the unique code index (no sql) stayed throughout;
    // PostgreSQL kept them all (its readers would wait for a dropped index until the commit).
    const indexes = (
      await rows<{ name: string }>(
        t,
        onPostgres
          ? "select indexname as name from pg_indexes where tablename = 'dossiers' and indexdef not like 'CREATE UNIQUE%' order by indexname"
          : "select name from sqlite_master where type = 'index' and tbl_name = 'dossiers' and sql is not null order by name",
      )
    ).map((r) => r.name);
    expect(indexes).toEqual(['dossiers_procedure_figures_idx']);
    expect(JSON.stringify(await rows(t, "select * from dossiers where code in ('HS-00000001', 'HS-00000002')"))).not.toContain('Nguyễn');
  });

  it('re-imports unchanged, changing nothing', async () => {
    const before = (await rows(t, 'select max(updated_at) as at, sum(updated_import_id) as s from dossiers'))[0];
    const s = await importDossiers(t.ctx, { path: file }, { fileName: 'large.csv', actorId: null, via: 'cli' });
    expect(s).toMatchObject({ rows: ROWS, added: 0, updated: 0, unchanged: ROWS });
    expect((await rows(t, 'select max(updated_at) as at, sum(updated_import_id) as s from dossiers'))[0]).toEqual(before);
  }, 300_000);
});
