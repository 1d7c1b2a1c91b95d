/**
 * Standalone benchmark (not run by npm test): generates a 1,000,000-row dossier CSV, imports it into a fresh
 * database and prints rows/s and peak RSS; then re-imports it (all unchanged).
 *   npx tsx test/bench/dossier-import.ts [rows]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { FakeClock } from '../../src/core/clock';
import type { AppContext } from '../../src/core/context';
import { openDatabase } from '../../src/core/db/database';
import { migrateToLatest } from '../../src/core/db/migrate';
import { insertProcedure } from '../../src/features/procedures/procedures.queries';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { writeDossierCsv } from '../dossiers/generate';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'qms-bench-'));
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

async function main() {
  const file = join(dir, 'dossiers.csv');
  const codes = Array.from({ length: 20 }, (_, i) => `QT-B-${String(i + 1).padStart(2, '0')}`);
  let t = performance.now();
  await writeDossierCsv(file, rows, codes);
  console.log(
    `generated ${rows.toLocaleString('en')} rows (${Math.round(statSync(file).size / 1e6)} MB) in ${Math.round(performance.now() - t)} ms; peak RSS so far ${mb(process.resourceUsage().maxRSS)}`,
  );

  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite') });
  const opened = openDatabase(config.databasePath);
  await migrateToLatest(opened.db);
  const ctx: AppContext = { config, db: opened.db, sqlite: opened.sqlite, clock: new FakeClock('2026-11-26T02:00:00Z') };
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
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(
      `${label}: ${s.rows.toLocaleString('en')} rows (added ${s.added}, updated ${s.updated}, unchanged ${s.unchanged}) in ${seconds.toFixed(1)} s = ` +
        `${Math.round(s.rows / seconds).toLocaleString('en')} rows/s (CPU ${cpuSeconds.toFixed(1)} s = ${Math.round(s.rows / cpuSeconds).toLocaleString('en')} rows per CPU-second); peak RSS ${mb(process.resourceUsage().maxRSS)} (RSS before imports ${Math.round(rssBefore / 1048576)} MB)`,
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
