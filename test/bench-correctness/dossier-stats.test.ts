import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { hasTable } from '../../src/core/db/dialect/catalog';
import { setLockWait } from '../../src/core/db/dialect/storage';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import {
  selectFigures,
  selectFiguresByProcedure,
  selectFiguresByProcedureFromDossiers,
  selectFiguresFromDossiers,
  selectMonthlyResolved,
  selectMonthlyResolvedFromDossiers,
} from '../../src/features/dossiers/dossiers.figures.queries';
import { refreshDossierStats } from '../../src/features/dossiers/dossiers.stats.queries';
import { addDays } from '../../src/core/calendar';
import { createMigrator } from '../../src/core/db/migrate';

/**
 * The dossier summary tables (migration 2026_11_26_1900_performance_indexes, dossiers.stats.queries.ts) must give
 * exactly the figures of REPORTING.md computed straight from the dossiers, for any period, after any insert, update
 * or deletion, through the import or behind its back.
 */
let t: TestApp;
const procs: number[] = [];
let importId = 0;

beforeAll(async () => {
  t = await createTestApp();
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1, national_code: null, processing_days: 5 };
  for (const code of ['QT-ST-01', 'QT-ST-02', 'QT-ST-03']) procs.push(await createProcedure(t.ctx, { ...base, code, title: `Thủ tục ${code}` }, null));
  importId = Number(
    (
      await one<{ id: number }>(
        t,
        `insert into dossier_imports (file_name, sha256, via, imported_at, organisation_id) values ('test.csv', ?, 'cli', '2026-01-01T00:00:00Z', 1) returning id`,
        '0'.repeat(64),
      )
    )?.id,
  );
});
afterAll(async () => t.close());

/** Every figure, the grouped figures and the monthly series equal the direct computation for these periods. */
async function expectSameFigures(periods: { from: string; to: string }[]): Promise<void> {
  for (const { from, to } of periods) {
    for (const id of procs)
      expect(await selectFigures(t.ctx.db, id, from, to), `${id} ${from}..${to}`).toEqual(await selectFiguresFromDossiers(t.ctx.db, id, from, to));
    expect(await selectFiguresByProcedure(t.ctx.db, from, to), `all ${from}..${to}`).toEqual(await selectFiguresByProcedureFromDossiers(t.ctx.db, from, to));
    for (const id of [null, ...procs]) {
      expect(await selectMonthlyResolved(t.ctx.db, id, from, to), `monthly ${id} ${from}..${to}`).toEqual(
        await selectMonthlyResolvedFromDossiers(t.ctx.db, id, from, to),
      );
    }
  }
}

const START = '2025-10-01';
const day = (n: number) => addDays(START, n);
let seq = 0;

const dossierArb = fc.record({
  proc: fc.integer({ min: 0, max: 2 }),
  r: fc.integer({ min: 0, max: 300 }),
  due: fc.integer({ min: 0, max: 25 }),
  ret: fc.option(fc.integer({ min: 0, max: 45 }), { freq: 4 }),
  withdrawn: fc.boolean(),
  channel: fc.constantFrom('direct', 'online', 'postal'),
});
type DossierSpec = typeof dossierArb extends fc.Arbitrary<infer T> ? T : never;

function valuesOf(d: DossierSpec) {
  const returned = d.ret === null ? null : day(d.r + d.ret);
  return {
    procedure_id: procs[d.proc],
    received_on: day(d.r),
    due_on: day(d.r + d.due),
    returned_on: returned,
    outcome: returned === null ? null : d.withdrawn ? 'withdrawn' : 'returned',
    channel: d.channel,
  };
}

async function insert(d: DossierSpec): Promise<void> {
  const v = valuesOf(d);
  await run(
    t,
    `insert into dossiers (code, procedure_id, received_on, due_on, due_computed, returned_on, outcome, channel, created_import_id, updated_import_id, created_at, updated_at, organisation_id)
     values (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)`,
    `ST-${++seq}`,
    v.procedure_id,
    v.received_on,
    v.due_on,
    v.returned_on,
    v.outcome,
    v.channel,
    importId,
    importId,
  );
}

async function update(id: number, d: DossierSpec): Promise<void> {
  const v = valuesOf(d);
  await run(
    t,
    'update dossiers set procedure_id = ?, received_on = ?, due_on = ?, returned_on = ?, outcome = ?, channel = ? where id = ?',
    v.procedure_id,
    v.received_on,
    v.due_on,
    v.returned_on,
    v.outcome,
    v.channel,
    id,
  );
}

const periodArb = fc.oneof(
  fc.tuple(fc.integer({ min: -40, max: 360 }), fc.integer({ min: 0, max: 200 })).map(([a, len]) => ({ from: day(a), to: day(a + len) })),
  // Whole months (years, quarters and months are the common case: no day rows involved).
  fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 6 })).map(([m, len]) => {
    const first = new Date(Date.UTC(2025, 9 + m, 1)).toISOString().slice(0, 10);
    const last = new Date(Date.UTC(2025, 9 + m + len, 0)).toISOString().slice(0, 10);
    return { from: first, to: last };
  }),
);

describe('dossier summary tables', () => {
  it('give the figures of the dossiers themselves for any period, after random inserts, updates and deletions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(dossierArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(), dossierArb), { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(periodArb, { minLength: 1, maxLength: 3 }),
        async (added, changed, deleted, periods) => {
          for (const d of added) await insert(d);
          const ids = (await rows<{ id: number }>(t, 'select id from dossiers order by id')).map((r) => r.id);
          for (const [pick, d] of changed) await update(ids[pick % ids.length], d);
          for (const pick of deleted) await run(t, 'delete from dossiers where id = ?', ids[pick % ids.length]);
          // Kept by the writes themselves: nothing is left for a reader to recompute.
          expect(await rows(t, 'select * from dossier_stats_dirty')).toEqual([]);
          await expectSameFigures(periods);
          expect(await rows(t, 'select * from dossier_stats_dirty')).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('are updated by the transaction that writes a dossier, which also moves its procedure in figure_changes', async () => {
    await refreshDossierStats(t.ctx.db);
    const before = await rows<{ procedure_id: number; day: string; ro: number }>(
      t,
      `select procedure_id, day, ro from dossier_stats_day where day = ?`,
      day(10),
    );
    const lastSeq = (await rows<{ s: number }>(t, 'select max(seq) as s from figure_changes'))[0].s ?? 0;
    await insert({ proc: 1, r: 10, due: 3, ret: 2, withdrawn: false, channel: 'online' });
    expect(await rows(t, 'select procedure_id from dossier_stats_dirty')).toEqual([]);
    const ro = (list: { procedure_id: number; ro: number }[]) => list.find((r) => r.procedure_id === procs[1])?.ro ?? 0;
    expect(ro(await rows(t, `select procedure_id, day, ro from dossier_stats_day where day = ?`, day(10)))).toBe(ro(before) + 1);
    expect(await rows(t, 'select procedure_id from figure_changes where seq > ?', lastSeq)).toEqual([{ procedure_id: procs[1] }]);
    await expectSameFigures([{ from: day(0), to: day(30) }]);
  });

  it('stay right through the import: added, updated (another procedure, returned later) and re-imported files', async () => {
    const csv = (lines: string[]) => Buffer.from(`code,procedure_code,received_at,due_date,returned_at,outcome,channel\n${lines.join('\n')}\n`);
    await importDossiers(
      t.ctx,
      {
        buffer: csv([
          'IM-1,QT-ST-01,2026-03-02,2026-03-09,2026-03-05,,direct',
          'IM-2,QT-ST-02,2026-03-03,2026-03-06,,,online',
          'IM-3,QT-ST-03,2026-02-27,2026-03-04,2026-03-10,withdrawn,postal',
        ]),
      },
      { fileName: 'a.csv', actorId: null, via: 'cli' },
    );
    const periods = [
      { from: '2026-03-01', to: '2026-03-31' },
      { from: '2026-03-04', to: '2026-03-07' },
      { from: '2026-01-01', to: '2026-06-30' },
    ];
    await expectSameFigures(periods);
    await importDossiers(
      t.ctx,
      {
        buffer: csv([
          'IM-1,QT-ST-03,2026-03-02,2026-03-09,2026-03-12,,direct',
          'IM-2,QT-ST-02,2026-03-03,2026-03-06,2026-03-06,,online',
          'IM-4,QT-ST-01,2026-03-05,2026-03-06,,,direct',
        ]),
      },
      { fileName: 'b.csv', actorId: null, via: 'cli' },
    );
    await expectSameFigures(periods);
    await importDossiers(t.ctx, { buffer: csv(['IM-4,QT-ST-01,2026-03-05,2026-03-06,,,direct']) }, { fileName: 'b.csv', actorId: null, via: 'cli' });
    await expectSameFigures(periods);
  });

  it('stay right through a bulk import (secondary indexes dropped and rebuilt) and its re-import', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const r = day(i % 250);
      const ret = i % 7 === 0 ? '' : addDays(r, i % 11);
      lines.push(
        `BK-${i},QT-ST-0${1 + (i % 3)},${r},${addDays(r, 1 + (i % 6))},${ret},${ret && i % 13 === 0 ? 'withdrawn' : ''},${['direct', 'online', 'postal'][i % 3]}`,
      );
    }
    const buffer = Buffer.from(`code,procedure_code,received_at,due_date,returned_at,outcome,channel\n${lines.join('\n')}\n`);
    const s = await importDossiers(t.ctx, { buffer }, { fileName: 'bulk.csv', actorId: null, via: 'cli' });
    expect(s.added).toBe(60_000);
    await expectSameFigures([
      { from: '2025-10-01', to: '2026-06-30' },
      { from: '2025-11-15', to: '2026-02-10' },
    ]);
  });

  // SQLite only: a second connection holds the file's write lock and this one is told not to wait (busy_timeout 0);
  // on PostgreSQL a reader never waits for a writer, and the figures are kept by the writes' own triggers.
  it.skipIf(onPostgres)('are computed from the dossiers when the database cannot be written now (another writer holds the lock)', async () => {
    await insert({ proc: 2, r: 40, due: 5, ret: null, withdrawn: false, channel: 'direct' });
    // As a bulk import leaves a procedure: its rows out of date, and the procedure marked.
    await run(t, 'delete from dossier_stats_day where procedure_id = ?', procs[2]);
    await run(t, 'delete from dossier_stats_month where procedure_id = ?', procs[2]);
    await run(t, 'insert into dossier_stats_dirty (procedure_id) values (?)', procs[2]);
    const other = new Database(t.config.databasePath);
    other.exec('begin immediate');
    setLockWait(t.ctx.db, 0);
    try {
      expect(await refreshDossierStats(t.ctx.db)).toBeNull();
      for (const id of procs)
        expect(await selectFigures(t.ctx.db, id, day(0), day(90))).toEqual(await selectFiguresFromDossiers(t.ctx.db, id, day(0), day(90)));
      expect(await rows(t, 'select procedure_id from dossier_stats_dirty')).toEqual([{ procedure_id: procs[2] }]);
    } finally {
      other.exec('rollback');
      other.close();
      setLockWait(t.ctx.db, 10000);
    }
    await expectSameFigures([{ from: day(0), to: day(90) }]);
  });

  it('are rebuilt for every procedure when the migration runs on a database that already has dossiers', async () => {
    const migrator = createMigrator(t.ctx.db);
    const down = await migrator.migrateTo('2026_11_26_1490_drop_dossier_date_indexes');
    expect(down.error).toBeUndefined();
    // Later migrations are undone first; the last three undone are these.
    expect(down.results?.map((r) => r.migrationName).slice(-3)).toEqual([
      '2026_12_05_1000_dossier_stats_deltas',
      '2026_12_05_0900_figure_changes',
      '2026_11_26_1900_performance_indexes',
    ]);
    expect(await hasTable(t.ctx.db, 'dossier_stats_day')).toBe(false);
    expect(await hasTable(t.ctx.db, 'dossier_stats_dirty')).toBe(false);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect((await rows<{ n: number }>(t, 'select count(*) as n from dossier_stats_dirty'))[0].n).toBe(3);
    await expectSameFigures([
      { from: '2025-10-01', to: '2026-06-30' },
      { from: '2026-01-10', to: '2026-01-20' },
    ]);
  });
});
