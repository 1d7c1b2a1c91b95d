/**
 * Generates a province-scale database (scale 1: 2,000 procedures across 50 units, 20,000 documents with 60,000
 * revisions, 5,000 audits, 100,000 nonconformities with 250,000 actions, 2,000,000 dossiers over three years, 1,000
 * users and an audit log with one entry per generated record and NC transition, as a valid hash chain).
 * The schema comes from the real migrations; rows go in through prepared statements in big transactions with
 * journal and fsync off and the indexes rebuilt at the end; then the file is reopened normally (WAL, FULL).
 * BENCH_ORGS=N (N > 1, or the third argument): the same rows spread over a province's N organisations
 * (gen/organisations.ts), each with its own units, users and procedures, plus the province's inspector and admin.
 *   npx tsx test/bench/generate.ts PATH [scale] [organisations]
 */
import { writeFileSync } from 'node:fs';
import { openDatabase } from '../../src/core/db/database';
import { scopedDb } from '../../src/core/db/scope';
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
import { generateHolidays, generatePeople, type People } from './gen/people';
import { planOrganisations, PROVINCE, writeOrganisations, type Org } from './gen/organisations';
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
  /** One username per role (organisation 1's; the inspector the province's), and with several organisations the province's admin. */
  users: Record<Exclude<Role, 'inspector'>, string> & { inspector?: string; province_admin?: string };
  /** The organisations the rows are spread over (1: the one office of every earlier run); the province is one more. */
  organisations?: number;
}

/** BENCH_ORGS: how many organisations hold the generated rows (default 1, the one office). */
export function benchOrganisations(value = process.env.BENCH_ORGS): number {
  const n = value === undefined || value === '' ? 1 : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_ORGS must be a whole number ≥ 1, not ${value}`);
  return n;
}

/** The province's users of the oversight page: its inspector (Sở KH&CN), who the benchmark signs in as, and its admin. */
function provinceUsers(db: Sqlite, passwordHash: string, at: string, audit: AuditCollector): { admin: string; inspector: string } {
  const insert = db.prepare(
    `insert into users (organisation_id, username, full_name, role, unit_id, email, position_title, password_hash, active, password_changed_at, version, created_at, updated_at)
     values (2, ?, ?, ?, null, ?, ?, ?, 1, ?, 1, ?, ?)`,
  );
  audit.organisationId = 2;
  const add = (username: string, fullName: string, role: Role, title: string) => {
    const id = Number(insert.run(username, fullName, role, `${username}@ninhbinh.gov.vn`, title, passwordHash, at, at, at).lastInsertRowid);
    audit.add(at, null, 'create', 'user', id, { username, role });
    return username;
  };
  const admin = add('tinh.admin1', 'Trần Văn Quản', 'admin', 'Chuyên viên Văn phòng UBND tỉnh');
  const inspector = add('thanhtra1', 'Đinh Thị Thanh', 'inspector', 'Chuyên viên Sở Khoa học và Công nghệ');
  return { admin, inspector };
}

/**
 * With several organisations: no row may reference another organisation's row (a record's unit, procedure, owner …
 * belong to its own). Checks every foreign key between two tables that both have organisation_id.
 */
function checkNoCrossReferences(db: Sqlite): void {
  const tables = db.prepare(`select name from sqlite_master where type = 'table'`).pluck().all() as string[];
  const scoped = new Set(tables.filter((t) => db.prepare(`select 1 from pragma_table_info(?) where name = 'organisation_id'`).get(t)));
  for (const table of scoped) {
    const keys = db.prepare(`select "table" as parent, "from" as col, "to" as ref from pragma_foreign_key_list(?)`).all(table) as {
      parent: string;
      col: string;
      ref: string | null;
    }[];
    for (const k of keys) {
      if (!scoped.has(k.parent) || k.col === 'organisation_id') continue;
      const crossing = db
        .prepare(`select count(*) from "${table}" c join "${k.parent}" p on p."${k.ref ?? 'id'}" = c."${k.col}" where p.organisation_id <> c.organisation_id`)
        .pluck()
        .get() as number;
      if (crossing > 0) throw new Error(`${crossing} rows of ${table}.${k.col} reference another organisation's ${k.parent}`);
    }
  }
}

/**
 * The dossier summary tables (when the schema has them) are kept by triggers that the generation dropped: mark every
 * procedure for recomputation and let the application's own refresh build them, as after a bulk import.
 */
async function buildDossierStats(db: Sqlite, organisationIds: number[]): Promise<void> {
  if (!db.prepare(`select 1 from sqlite_master where name = 'dossier_stats_dirty'`).get()) return;
  db.exec('insert or ignore into dossier_stats_dirty (procedure_id) select id from procedures');
  const stats = (await import('../../src/features/dossiers/dossiers.stats.queries')) as { refreshDossierStats(db: Kysely<DB>): Promise<number> };
  const kysely = new Kysely<DB>({ dialect: new SqliteDialect({ database: db }) });
  // the refresh works for one organisation (its procedures' rows): each in turn
  for (const id of organisationIds) await stats.refreshDossierStats(scopedDb(kysely, id));
}

export async function generateDatabase(path: string, scale = 1, log: (line: string) => void = () => {}, organisations = 1): Promise<Generated> {
  const t0 = performance.now();
  const orgs = planOrganisations(organisations);
  const many = orgs.length > 1;
  // An organisation's share of a table's `full` rows at scale 1; `min` for the one office, `each` for each of many.
  const n = (o: Org, full: number, min: number, each = min) => Math.max(many ? each : min, Math.round(full * scale * o.share));
  /** Runs one generator for every organisation in one transaction, its audit entries theirs. */
  const forEach = <T>(fn: (o: Org) => T): Map<number, T> =>
    inTransaction(db, () => {
      const out = new Map<number, T>();
      for (const o of orgs) {
        audit.organisationId = o.id;
        out.set(o.id, fn(o));
      }
      return out;
    });
  const sum = <T>(m: Map<number, T>, f: (x: T) => number) => [...m.values()].reduce((s, x) => s + f(x), 0);
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

  const setupAt = days.instant(start - 30, 8 * 60);
  const people: Map<number, People> = inTransaction(db, () => {
    writeOrganisations(db, orgs, setupAt, audit);
    const out = new Map<number, People>();
    for (const o of orgs) {
      audit.organisationId = o.id;
      out.set(o.id, generatePeople(db, rng, days, start, audit, passwordHash, n(o, 1000, 40, 12), n(o, 50, 50, 3), o, many ? 1 : 3));
      // everyone's days, once (organisation 1's admin enters them, as before)
      if (o.id === 1) generateHolidays(db, days, start, audit, out.get(1)!.byRole.admin[0] ?? null);
    }
    return out;
  });
  const province = many ? inTransaction(db, () => provinceUsers(db, passwordHash, setupAt, audit)) : undefined;
  const procs = forEach((o) => generateProcedures(db, rng, days, start, people.get(o.id)!, audit, n(o, 2000, 100, 5), o.id));
  lap(
    `${orgs.length} organisation(s)${many ? ` under ${PROVINCE.name}` : ''}, ${sum(people, (p) => p.unitIds.length)} units, users, holidays, ${sum(procs, (p) => p.ids.length)} procedures`,
  );
  const docs = forEach((o) => {
    const documents = n(o, 20_000, 300, 3 * procs.get(o.id)!.ids.length);
    return generateDocuments(
      db,
      rng,
      days,
      start,
      todayNum,
      people.get(o.id)!,
      procs.get(o.id)!,
      audit,
      documents,
      many ? 3 * documents : n(o, 60_000, 900),
      o.id,
    );
  });
  lap(`${sum(docs, (d) => d.ids.length)} documents`);
  const audits = forEach((o) => generateAudits(db, rng, days, start, todayNum, people.get(o.id)!, procs.get(o.id)!, audit, n(o, 5000, 100, 3), o.id));
  lap(`${sum(audits, (a) => a.audits)} audits, ${sum(audits, (a) => a.findings)} findings`);
  const ncs = forEach((o) => {
    const count = n(o, 100_000, 1000, 10);
    return generateNonconformities(
      db,
      rng,
      days,
      start,
      todayNum,
      people.get(o.id)!,
      procs.get(o.id)!,
      docs.get(o.id)!,
      audit,
      count,
      many ? Math.round(count * 2.5) : n(o, 250_000, 2500),
      o.id,
    );
  });
  lap(`${sum(ncs, (x) => x.ncs)} nonconformities, ${sum(ncs, (x) => x.history)} status changes, ${sum(ncs, (x) => x.actions)} actions`);
  const dossiers = forEach((o) =>
    generateDossiers(db, rng, days, start, todayNum, procs.get(o.id)!, audit, n(o, 2_000_000, 20_000, 100), people.get(o.id)!.byRole.admin[0], o.id),
  );
  lap(`${sum(dossiers, (d) => d)} dossiers`);
  const auditRows = audit.write(db);
  lap(`${auditRows} audit-log entries`);
  suspended.restore();
  // Each procedure's first processing term, as the trigger procedure_terms_first writes it (suspended above): the
  // due dates of imported dossiers without one are computed from it.
  const hasTerms = db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'procedure_terms'`).get();
  if (hasTerms)
    db.exec(`insert into procedure_terms (organisation_id, procedure_id, effective_from, processing_days, online_level, recorded_by, recorded_at)
      select organisation_id, id, '1900-01-01', processing_days, online_level, null, created_at from procedures p
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
  await buildDossierStats(
    db,
    orgs.map((o) => o.id),
  );
  lap('dossier summary tables built');
  if (many) {
    checkNoCrossReferences(db);
    lap('no reference crosses organisations');
  }
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
    busyProcedure: { code: procs.get(1)!.codes[0], unitId: procs.get(1)!.unitIds[0] },
    documentId: docs.get(1)!.mainDocOf[0],
    users: {
      ...people.get(1)!.benchUsers,
      ...(province ? { province_admin: province.admin, inspector: province.inspector } : {}),
    },
    ...(many ? { organisations: orgs.length } : {}),
  };
}

if (process.argv[1]?.endsWith('generate.ts')) {
  const [path, scale, organisations] = process.argv.slice(2);
  if (!path) {
    console.error('usage: [BENCH_ORGS=N] tsx test/bench/generate.ts PATH [scale] [organisations]');
    process.exit(2);
  }
  generateDatabase(path, scale ? Number(scale) : 1, console.log, benchOrganisations(organisations ?? process.env.BENCH_ORGS))
    .then((g) => {
      writeFileSync(`${g.path}.bench.json`, JSON.stringify(g, null, 2));
      console.log(JSON.stringify(g, null, 2));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
