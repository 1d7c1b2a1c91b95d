/**
 * Generates a province-scale database (scale 1: 2,000 procedures across 50 units, 20,000 documents with 60,000
 * revisions, 5,000 audits, 100,000 nonconformities with 250,000 actions, 2,000,000 dossiers over three years, 1,000
 * users and an audit log with one entry per generated record and NC transition, as a valid hash chain).
 * The schema comes from the real migrations; rows go in through prepared statements in big transactions with
 * journal and fsync off and the indexes rebuilt at the end; then the file is reopened normally (WAL, FULL).
 *   npx tsx test/bench/generate.ts PATH [scale]
 */
import { writeFileSync } from 'node:fs';
import { openDatabase } from '../../src/core/db/database';
import { migrateToLatest } from '../../src/core/db/migrate';
import { hashPassword } from '../../src/core/security/passwords';
import type { DB, Role } from '../../src/core/db/schema';
import { Kysely, SqliteDialect } from 'kysely';
import { AuditCollector, inTransaction, openForGeneration, suspendIndexesAndTriggers, type Sqlite } from './gen/db';
import { NC_REGISTER_COUNTS_FILL, OPEN_ACTION_DUE_COUNTS_FILL, OVERVIEW_COUNTS_FILL } from '../../src/core/db/migrations/2026_12_10_0900_organisations';
import { OVERVIEW_AUDIT_LOG_FILL } from '../../src/core/db/migrations/2026_12_10_1600_org_indexes_dashboard';
import { FILL_NC_REPORT_SPANS } from '../../src/core/db/migrations/2026_12_09_1000_nc_report_spans';
import { generateAudits } from './gen/audits';
import { generateDocuments } from './gen/documents';
import { generateDossiers } from './gen/dossiers';
import { generateNonconformities } from './gen/nonconformities';
import { generatePeople } from './gen/people';
import { generateProcedures } from './gen/procedures';
import { Days, Rng } from './gen/random';
import { fromDayNumber } from '../../src/core/calendar/dates';
import { todayLocal } from '../../src/core/calendar';

export const BENCH_PASSWORD = 'Bench@Password2026';

export interface Generated {
  path: string;
  seconds: number;
  counts: Record<string, number>;
  today: string;
  /** The procedure with the most dossiers, and its unit id. */
  busyProcedure: { code: string; unitId: number };
  /** The busiest procedure's main document. */
  documentId: number;
  users: Record<Role, string>;
}

/**
 * The dossier summary tables (when the schema has them) are kept by triggers that the generation dropped: mark every
 * procedure for recomputation and let the application's own refresh build them, as after a bulk import.
 */
async function buildDossierStats(db: Sqlite): Promise<void> {
  if (!db.prepare(`select 1 from sqlite_master where name = 'dossier_stats_dirty'`).get()) return;
  db.exec('insert or ignore into dossier_stats_dirty (procedure_id) select id from procedures');
  const stats = (await import('../../src/features/dossiers/dossiers.stats.queries')) as { refreshDossierStats(db: Kysely<DB>): Promise<number> };
  const kysely = new Kysely<DB>({ dialect: new SqliteDialect({ database: db }) });
  await stats.refreshDossierStats(kysely);
}

export async function generateDatabase(path: string, scale = 1, log: (line: string) => void = () => {}): Promise<Generated> {
  const t0 = performance.now();
  const n = (full: number, min: number) => Math.max(min, Math.round(full * scale));
  const opened = openDatabase(path);
  await migrateToLatest(opened.db);
  await opened.close();

  const today = todayLocal(new Date(), 'Asia/Ho_Chi_Minh');
  const todayNum = Days.num(today);
  const start = todayNum - 3 * 365;
  const days = new Days(fromDayNumber(start - 800), fromDayNumber(todayNum + 900));
  const rng = new Rng(20261126);
  const audit = new AuditCollector();
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const db = openForGeneration(path);
  const suspended = suspendIndexesAndTriggers(db);
  const lap = (() => {
    let t = performance.now();
    return (what: string) => {
      log(`  ${what} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      t = performance.now();
    };
  })();

  const people = inTransaction(db, () => generatePeople(db, rng, days, start, audit, passwordHash, n(1000, 40), 50));
  const procs = inTransaction(db, () => generateProcedures(db, rng, days, start, people, audit, n(2000, 100)));
  lap(`organisation, ${people.unitIds.length} units, users, holidays, ${procs.ids.length} procedures`);
  const docs = inTransaction(db, () => generateDocuments(db, rng, days, start, todayNum, people, procs, audit, n(20_000, 300), n(60_000, 900)));
  lap(`${docs.ids.length} documents`);
  const audits = inTransaction(db, () => generateAudits(db, rng, days, start, todayNum, people, procs, audit, n(5000, 100)));
  lap(`${audits.audits} audits, ${audits.findings} findings`);
  const ncs = inTransaction(db, () => generateNonconformities(db, rng, days, start, todayNum, people, procs, docs, audit, n(100_000, 1000), n(250_000, 2500)));
  lap(`${ncs.ncs} nonconformities, ${ncs.history} status changes, ${ncs.actions} actions`);
  const dossiers = inTransaction(db, () => generateDossiers(db, rng, days, start, todayNum, procs, audit, n(2_000_000, 20_000), people.byRole.admin[0]));
  lap(`${dossiers} dossiers`);
  const auditRows = audit.write(db);
  lap(`${auditRows} audit-log entries`);
  suspended.restore();
  // Each procedure's first processing term, as the trigger procedure_terms_first writes it (suspended above): the
  // due dates of imported dossiers without one are computed from it.
  const hasTerms = db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'procedure_terms'`).get();
  if (hasTerms)
    db.exec(`insert into procedure_terms (procedure_id, effective_from, processing_days, online_level, recorded_by, recorded_at)
      select id, '1900-01-01', processing_days, online_level, null, created_at from procedures p
      where not exists (select 1 from procedure_terms t where t.procedure_id = p.id)`);
  // The register's counts per (year, status, severity), which its triggers (suspended above) keep: the NC pages read
  // their totals and deep pages' starting rows from them.
  db.exec(`delete from nc_register_counts; ${NC_REGISTER_COUNTS_FILL}`);
  // The other figures kept by triggers (suspended above), filled as their migrations fill them for an existing
  // database: the admin's and the quality officer's home-page counts, and the compliance report's NC date ranges.
  db.exec(`delete from overview_counts; ${OVERVIEW_COUNTS_FILL}; ${OVERVIEW_AUDIT_LOG_FILL}`);
  db.exec(`delete from open_action_due_counts; ${OPEN_ACTION_DUE_COUNTS_FILL}`);
  db.exec(FILL_NC_REPORT_SPANS);
  lap('indexes and triggers rebuilt');
  await buildDossierStats(db);
  lap('dossier summary tables built');
  db.unsafeMode(false);
  db.pragma('journal_mode = WAL');
  const counts: Record<string, number> = {};
  for (const table of [
    'units',
    'users',
    'procedures',
    'documents',
    'document_revisions',
    'audits',
    'nonconformities',
    'nc_status_history',
    'nc_actions',
    'dossiers',
    'audit_log',
  ]) {
    counts[table] = db.prepare(`select count(*) from ${table}`).pluck().get() as number;
  }
  db.close();

  // Reopen the way the application does (WAL, synchronous FULL, foreign keys), which also checks the pragmas.
  const reopened = openDatabase(path);
  await reopened.close();
  return {
    path,
    seconds: (performance.now() - t0) / 1000,
    counts,
    today,
    busyProcedure: { code: procs.codes[0], unitId: procs.unitIds[0] },
    documentId: docs.mainDocOf[0],
    users: people.benchUsers,
  };
}

if (process.argv[1]?.endsWith('generate.ts')) {
  const [path, scale] = process.argv.slice(2);
  if (!path) {
    console.error('usage: tsx test/bench/generate.ts PATH [scale]');
    process.exit(2);
  }
  generateDatabase(path, scale ? Number(scale) : 1, console.log)
    .then((g) => {
      writeFileSync(`${g.path}.bench.json`, JSON.stringify(g, null, 2));
      console.log(JSON.stringify(g, null, 2));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
