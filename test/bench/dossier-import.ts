/**
 * Standalone benchmark (not run by npm test): generates a 1,000,000-row dossier CSV, imports it into a fresh
 * database and prints rows/s and peak RSS; then re-imports it (all unchanged).
 *   npx tsx test/bench/dossier-import.ts [rows]
 * With DATABASE_URL=postgres://…/any, the same on PostgreSQL: a new database `qms_import_bench_<pid>` is created on
 * that server, migrated, and dropped at the end (kept with BENCH_KEEP=1).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { FakeClock } from '../../src/core/clock';
import type { AppContext } from '../../src/core/context';
import pg from 'pg';
import { memoryAuditKey } from '../../src/core/audit-log/audit-key';
import { openDatabase, type Db } from '../../src/core/db/database';
import { migrateToLatest } from '../../src/core/db/migrate';
import { isPostgresUrl, openPostgresKysely } from '../../src/core/db/postgres';
import { insertProcedure } from '../../src/features/procedures/procedures.queries';
import { importDossiers, settleAfterImport } from '../../src/features/dossiers/dossiers.import.service';
import { writeDossierCsv } from '../dossiers/generate';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'qms-bench-'));
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const serverUrl = isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined;

/** A fresh database: SQLite in the temporary folder, or a new PostgreSQL database on DATABASE_URL's server. */
async function freshDatabase(path: string): Promise<{ db: Db; close: () => Promise<void>; label: string }> {
  if (!serverUrl) {
    const opened = openDatabase(path);
    return { db: opened.db, close: opened.close, label: 'SQLite' };
  }
  const name = `qms_import_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const { db } = openPostgresKysely(url.toString(), { auditKey: memoryAuditKey() });
  return {
    db,
    label: `PostgreSQL (${name})`,
    close: async () => {
      await db.destroy();
      if (process.env.BENCH_KEEP === '1') return console.log(`database kept: ${url.toString()}`);
      const again = new pg.Client({ connectionString: serverUrl });
      await again.connect();
      await again.query(`drop database ${name}`);
      await again.end();
    },
  };
}

async function main() {
  const file = join(dir, 'dossiers.csv');
  const codes = Array.from({ length: 20 }, (_, i) => `QT-B-${String(i + 1).padStart(2, '0')}`);
  let t = performance.now();
  await writeDossierCsv(file, rows, codes);
  console.log(
    `generated ${rows.toLocaleString('en')} rows (${Math.round(statSync(file).size / 1e6)} MB) in ${Math.round(performance.now() - t)} ms; peak RSS so far ${mb(process.resourceUsage().maxRSS)}`,
  );

  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite') });
  const opened = await freshDatabase(config.databasePath);
  await migrateToLatest(opened.db);
  // The import reads only ctx.db (the SQLite handle, when there is one, travels with it: core/db/dialect/engine.ts);
  // ctx.sqlite is on its way out of AppContext.
  const ctx: AppContext = { config, db: opened.db, sqlite: undefined, clock: new FakeClock('2026-11-26T02:00:00Z') };
  console.log(`database: ${opened.label}`);
  for (const [i, code] of codes.entries()) {
    await insertProcedure(
      ctx.db,
      { code, title: `Quy trình ${code}`, field: '', national_code: `9.${i}`, processing_days: 5 + i, online_level: 'none', unit_id: null, on_time_target: 1 },
      '2026-01-01T00:00:00Z',
    );
  }
  const rssBefore = process.memoryUsage().rss;
  for (const label of ['first import', 're-import']) {
    t = performance.now();
    const cpu = process.cpuUsage();
    const s = await importDossiers(ctx, { path: file }, { fileName: 'dossiers.csv', actorId: null, via: 'cli' });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    // What the CLI does after the commit, timed apart: the rows/s above are the import's own, as before.
    const settle = performance.now();
    await settleAfterImport(ctx);
    const settleMs = performance.now() - settle;
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(
      `${label}: ${s.rows.toLocaleString('en')} rows (added ${s.added}, updated ${s.updated}, unchanged ${s.unchanged}) in ${seconds.toFixed(1)} s = ` +
        `${Math.round(s.rows / seconds).toLocaleString('en')} rows/s (CPU ${cpuSeconds.toFixed(1)} s = ${Math.round(s.rows / cpuSeconds).toLocaleString('en')} rows per CPU-second); peak RSS ${mb(process.resourceUsage().maxRSS)} (RSS before imports ${Math.round(rssBefore / 1048576)} MB); then ${Math.round(settleMs)} ms to settle (checkpoint or analyze)`,
    );
  }
  await opened.close();
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
