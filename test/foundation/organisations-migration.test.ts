import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { FakeClock } from '../../src/core/clock';
import { verify } from '../../src/core/audit-log/audit-log';
import type { Db } from '../../src/core/db/database';
import { createMigrator, migrateToLatest } from '../../src/core/db/migrate';
import { MIGRATIONS } from '../../src/core/db/migrations/index';
import { NC_REGISTER_COUNTS_FILL, OPEN_ACTION_DUE_COUNTS_FILL, OVERVIEW_COUNTS_FILL } from '../../src/core/db/migrations/2026_12_10_0900_organisations';
import { OVERVIEW_AUDIT_LOG_FILL } from '../../src/core/db/migrations/2026_12_10_1600_org_indexes_dashboard';
import { openConfiguredDatabase, type Opened } from '../../src/core/db/open';
import { scopedDb } from '../../src/core/db/scope';
import { DEMO_PASSWORD_SUFFIX, runDemo } from '../../src/features/demo';
import { signInWith } from '../support/agents';
import { freshPostgresDatabase, onPostgres, query, type TestDatabase } from '../support/engine';

/**
 * Issue 22: an existing single-office database migrates to exactly one organisation with nothing else changed. The
 * database as a user has it before the organisations: the demo's model office (runDemo without its province: the demo
 * without the province it now adds) loaded on the latest schema, then migrated down to the migration before
 * 2026_12_10_0900_organisations (which also proves every organisation migration's `down` keeps the data). Then up
 * again, as the new version does on start: every row of every table is as it was, with organisation_id 1 (the
 * holidays: everyone's, NULL), one organisation DV1, the figures kept by triggers equal to their tables, the audit
 * chain intact, and the demo's quality officer sees the same compliance summary.
 */
const ORGANISATIONS = '2026_12_10_0900_organisations';
const BEFORE = Object.keys(MIGRATIONS)
  .sort()
  .filter((name) => name < ORGANISATIONS)
  .at(-1)!;
const NOW = '2026-11-26T02:00:00Z';
const SUMMARY = '/reports/summary?from=2026-01-01&to=2026-10-31';
/** The migrator's own tables. */
const NOT_DATA = new Set(['kysely_migration', 'kysely_migration_lock']);
/** The figures kept by triggers, which the migrations rebuild and refill (compared without their zero rows). */
const FIGURES = ['overview_counts', 'nc_register_counts', 'open_action_due_counts'];
/** Tables the organisations add. */
const NEW_TABLES = ['organisation_lineage'];

/** Each table's columns and rows (values made comparable). */
type Snapshot = Map<string, { columns: string[]; rows: Record<string, unknown>[] }>;

let dir: string;
let pg: TestDatabase | undefined;
let config: Config;
let opened: Opened | undefined;
let before: Snapshot; // after the down migration: the database of a single office
let latest: Snapshot; // the demo on the latest schema, before the round trip
let after: Snapshot; // migrated up again
let summaryBefore: string;

async function tablesOf(db: Db): Promise<string[]> {
  const text = onPostgres
    ? "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'"
    : "select name from sqlite_master where type = 'table' and name not like 'sqlite_stat%'";
  const names = (await query<{ name: string }>(db, text, [])).rows.map((r) => r.name);
  return names.filter((n) => !NOT_DATA.has(n)).sort();
}

const plain = (v: unknown): unknown => (Buffer.isBuffer(v) ? `bytes:${v.toString('hex')}` : typeof v === 'bigint' ? String(v) : v);

/** Every row of every table. */
async function snapshot(db: Db): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const table of await tablesOf(db)) {
    const result = await query<Record<string, unknown>>(db, `select * from "${table}"`, []);
    const columns = onPostgres
      ? (
          await query<{ c: string }>(db, 'select column_name as c from information_schema.columns where table_schema = current_schema() and table_name = ?', [
            table,
          ])
        ).rows.map((r) => r.c)
      : (await query<{ c: string }>(db, 'select name as c from pragma_table_info(?)', [table])).rows.map((r) => r.c);
    out.set(table, { columns: columns.sort(), rows: result.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]))) });
  }
  return out;
}

async function summaryPage(db: Db): Promise<string> {
  const app = createApp({ config, db, sqlite: opened!.sqlite, clock: new FakeClock(NOW) });
  const officer = await signInWith(app, 'thuky', `thuky${DEMO_PASSWORD_SUFFIX}`);
  const res = await officer.get(SUMMARY);
  expect(res.status).toBe(200);
  return res.text;
}

/** The summary's figures: each procedure's row and the totals line (data-f / data-v cells), in page order. */
function figuresOf(html: string): string[] {
  const rows = [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
    .map((m) => [...m[0].matchAll(/data-(?:code|f|v)="([^"]*)"/g)].map((c) => c[1]).join(' '))
    .filter((line) => line.length > 0);
  return rows;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qms-org-migration-'));
  pg = onPostgres ? await freshPostgresDatabase() : undefined;
  config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite'), ...(pg ? { DATABASE_URL: pg.url } : {}) });
  opened = await openConfiguredDatabase(config);
  await migrateToLatest(opened.db);
  // the model office alone: a database made before organisations holds one office
  await runDemo({ config, db: scopedDb(opened.db, 1), sqlite: opened.sqlite, clock: new FakeClock(NOW) }, () => undefined, { province: false });
  summaryBefore = await summaryPage(opened.db);
  // a database of that time holds no record of a later feature that lives in its tables: the actions of risks
  // (2026_12_13_0900_risks, whose `down` removes them with its tables) and of management reviews' decisions
  // (2026_12_13_1100_management_reviews, likewise) are taken out before the comparison
  for (const statement of [
    'delete from nc_action_notes where action_id in (select id from nc_actions where risk_id is not null)',
    'delete from nc_action_files where action_id in (select id from nc_actions where risk_id is not null)',
    'delete from nc_action_due_history where action_id in (select id from nc_actions where risk_id is not null)',
    'delete from nc_actions where risk_id is not null',
    'delete from nc_action_notes where action_id in (select id from nc_actions where review_decision_id is not null)',
    'delete from nc_action_files where action_id in (select id from nc_actions where review_decision_id is not null)',
    'delete from nc_action_due_history where action_id in (select id from nc_actions where review_decision_id is not null)',
    'delete from nc_actions where review_decision_id is not null',
  ])
    await query(opened.db, statement, []);
  latest = await snapshot(opened.db);

  const down = await createMigrator(opened.db).migrateTo(BEFORE);
  if (down.error) throw down.error instanceof Error ? down.error : new Error(String(down.error));
  before = await snapshot(opened.db);
  await opened.close();

  // the new version starts on the office's database: opens it and migrates it
  opened = await openConfiguredDatabase(config);
  await migrateToLatest(opened.db);
  after = await snapshot(opened.db);
}, 240_000);

afterAll(async () => {
  await opened?.close();
  await pg?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * A table's rows as compared across the schemas: the figures without their zero rows (a trigger leaves a count at 0,
 * a recomputation has no row: the same figure) and without the admin's audit-log count (kept since 2026_12_10_1600,
 * not by the former schema); SQLite's sequences without the organisation's (its id became autoincrement).
 */
function comparable(snap: Snapshot, table: string, columns: string[]): string[] {
  const { rows } = snap.get(table)!;
  const kept = rows.filter((row) => {
    if (FIGURES.includes(table)) return Number(row.n) !== 0 && row.name !== 'audit_log';
    // the counters of tables that exist before the organisations (a later migration's table goes with its `down`)
    if (table === 'sqlite_sequence') return row.name !== 'organisation' && before.has(String(row.name));
    return true;
  });
  return kept.map((row) => JSON.stringify(columns.map((c) => row[c]))).sort();
}

describe('an existing single-office database migrated to organisations', () => {
  it('went down to the schema before the organisations without losing a row', () => {
    expect(BEFORE).toBe('2026_12_09_1400_revisions_due_index');
    for (const [table, { columns }] of before) {
      expect(columns, table).not.toContain('organisation_id');
      expect(latest.has(table), table).toBe(true);
      if (table === 'organisation') continue; // compared with the migrated organisation below
      expect(comparable(before, table, columns), table).toEqual(comparable(latest, table, columns));
    }
    expect(before.get('organisation')!.rows).toHaveLength(1);
  });

  it('keeps every row of every table, organisation_id 1 on each (holidays: everyone’s)', () => {
    const added = [...after.keys()].filter((table) => !before.has(table));
    expect(added).toEqual(expect.arrayContaining(NEW_TABLES));
    for (const table of added) expect(after.get(table)!.rows, table).toEqual([]);
    for (const [table, { columns }] of before) {
      if (table === 'organisation') continue;
      const { columns: now, rows } = after.get(table)!;
      expect(now, table).toEqual(expect.arrayContaining(columns));
      expect(comparable(after, table, columns), table).toEqual(comparable(before, table, columns));
      // columns the migrations added: organisation_id, 1 (holidays: NULL, everyone's days); any other, one value on every row
      for (const column of now.filter((c) => !columns.includes(c))) {
        const values = new Set(rows.map((row) => row[column]));
        if (column === 'organisation_id') expect([...values], table).toEqual(rows.length === 0 ? [] : [table === 'holidays' ? null : 1]);
        else expect(values.size, `${table}.${column}`).toBeLessThanOrEqual(1);
      }
    }
    // the migrated figures have the admin's audit-log count again, as it was before the round trip
    const auditLogCount = (snap: Snapshot) => snap.get('overview_counts')!.rows.filter((row) => row.name === 'audit_log');
    expect(auditLogCount(after)).toEqual(auditLogCount(latest));
    expect(auditLogCount(after)).toEqual([{ organisation_id: 1, name: 'audit_log', n: before.get('audit_log')!.rows.length }]);
  });

  it('has exactly one organisation: DV1, an active office, with the settings the demo wrote', () => {
    const orgs = after.get('organisation')!.rows;
    expect(orgs).toHaveLength(1);
    expect(orgs[0]).toMatchObject({ id: 1, code: 'DV1', kind: 'office', status: 'active', parent_id: null });
    const former = before.get('organisation')!.rows[0];
    for (const column of before.get('organisation')!.columns) expect(orgs[0][column], column).toEqual(former[column]);
    expect(former).toMatchObject({
      name: 'Phòng Lao động - Thương binh và Xã hội',
      parent_agency: 'UBND huyện Nghĩa Hưng',
      place_name: 'Nghĩa Hưng',
      signer_name: 'Phạm Văn Minh',
      not_applicable_clauses: '["8.3"]',
    });
  });

  it('keeps the figures of the triggers equal to their tables', async () => {
    const db = opened!.db;
    const fills: [string, string[]][] = [
      ['overview_counts', [OVERVIEW_COUNTS_FILL, OVERVIEW_AUDIT_LOG_FILL]],
      ['nc_register_counts', [NC_REGISTER_COUNTS_FILL]],
      ['open_action_due_counts', [OPEN_ACTION_DUE_COUNTS_FILL]],
    ];
    for (const [table, statements] of fills) {
      // each fill is `insert into TABLE (columns) select …`: its select, against the table's rows in that column order
      const columns = /^insert into \w+ \(([^)]*)\)/.exec(statements[0])![1];
      const recomputed = (await Promise.all(statements.map((fill) => valuesOf(db, fill.replace(/^insert into \w+ \([^)]*\)/, ''))))).flat().sort();
      const kept = await valuesOf(db, `select ${columns} from ${table} where n <> 0`);
      expect(kept.length, table).toBeGreaterThan(0);
      expect(kept.sort(), table).toEqual(recomputed);
    }
  });

  it('keeps an audit chain that verifies', async () => {
    const result = await verify(opened!.db);
    expect(result).toMatchObject({ ok: true });
    expect(result.checked).toBe(before.get('audit_log')!.rows.length);
    expect(result.checked).toBeGreaterThan(50);
  });

  it('lets the demo’s quality officer sign in and see the same compliance summary', async () => {
    const page = await summaryPage(opened!.db);
    const figures = figuresOf(page);
    expect(figures.length).toBeGreaterThan(5);
    expect(figures).toEqual(figuresOf(summaryBefore));
  });
});

/** Rows as lists of their values in column order (the fills name their columns differently). */
async function valuesOf(db: Db, text: string): Promise<string[]> {
  const rows = (await query<Record<string, unknown>>(db, text, [])).rows;
  return rows.map((r) => JSON.stringify(Object.values(r).map((v) => String(plain(v)))));
}
