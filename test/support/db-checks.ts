import { createHash } from 'node:crypto';
import { verify, type VerifyResult } from '../../src/core/audit-log/audit-log';
import type { Config } from '../../src/config';
import { kyselyOver, type Db, type RawSqlite } from '../../src/core/db/database';
import { engineOf } from '../../src/core/db/dialect/engine';
import { triggerCheckedOrphans } from '../../src/core/db/dialect/references';
import { query } from './engine';
import { watchStatements } from './faults';

/**
 * Whole-database checks for the security suites: a checksum of every table's rows (to prove a refused
 * request changed nothing), and the health checks a crash or a fuzzing run must leave clean.
 * - On a database of either engine, through its Kysely connection: `databaseChecksums`, `databaseHealth`, `ChangeWatch`.
 * - On a SQLite file opened by the test itself (a backup, a file after a crash): `checksums`, `health`.
 */
const VOLATILE = new Set(['sessions', 'login_attempts']);

type Row = Record<string, unknown>;
const rowsOf = async <T = Row>(db: Db, text: string, ...params: unknown[]) => (await query<T>(db, text, params)).rows;
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const serialise = (values: unknown[]) =>
  JSON.stringify(values, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v));

// ---------------------------------------------------------------------------------------------------------------
// Either engine

/** The tables of the database (not sessions and sign-in attempts), by name. */
export async function databaseTables(db: Db): Promise<string[]> {
  const names =
    engineOf(db) === 'sqlite'
      ? await rowsOf<{ name: string }>(db, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      : await rowsOf<{ name: string }>(db, 'select tablename as name from pg_catalog.pg_tables where schemaname = current_schema() order by tablename');
  return names.map((r) => r.name).filter((n) => !VOLATILE.has(n));
}

/** `order by` that lists a table's rows in a stable order: SQLite's rowid, PostgreSQL's primary key (else every column). */
async function stableOrder(db: Db, table: string): Promise<string> {
  if (engineOf(db) === 'sqlite') {
    const withoutRowid = await rowsOf(db, "select 1 from sqlite_master where type = 'table' and name = ? and sql like '%without rowid%'", table);
    return withoutRowid.length ? 'order by 1, 2' : 'order by rowid';
  }
  const key = await rowsOf<{ name: string }>(
    db,
    `select a.attname as name from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
     where i.indrelid = ?::regclass and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`,
    ident(table),
  );
  if (key.length) return `order by ${key.map((k) => ident(k.name)).join(', ')}`;
  const columns = await rowsOf<{ n: number }>(
    db,
    'select count(*) as n from pg_attribute where attrelid = ?::regclass and attnum > 0 and not attisdropped',
    ident(table),
  );
  return `order by ${Array.from({ length: columns[0].n }, (_, i) => i + 1).join(', ')}`;
}

/** SHA-256 over every row of every table except sessions and sign-in attempts, per table ("rows:hash"). */
export async function databaseChecksums(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await databaseTables(db)) {
    const hash = createHash('sha256');
    const rows = await rowsOf(db, `select * from ${ident(name)} ${await stableOrder(db, name)}`);
    for (const row of rows) hash.update(serialise(Object.values(row)));
    out[name] = `${rows.length}:${hash.digest('hex').slice(0, 16)}`;
  }
  return out;
}

/**
 * Rows whose foreign key points nowhere, as SQLite's foreign_key_check reports them ({ table, parent }); on PostgreSQL
 * every foreign-key constraint of the schema is checked the same way by a query (its triggers can be disabled).
 */
async function foreignKeyProblems(db: Db): Promise<unknown[]> {
  if (engineOf(db) === 'sqlite') return rowsOf(db, 'pragma foreign_key_check');
  const constraints = await rowsOf<{ name: string; child: string; parent: string; columns: string[]; referenced: string[] }>(
    db,
    `select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
       (select array_agg(a.attname::text order by k.i) from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n) as columns,
       (select array_agg(a.attname::text order by k.i) from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n) as referenced
     from pg_constraint c join pg_namespace s on s.oid = c.connamespace
     where c.contype = 'f' and s.nspname = current_schema() order by c.conname`,
  );
  const problems: unknown[] = [];
  for (const c of constraints) {
    const set = c.columns.map((col) => `c.${ident(col)} is not null`).join(' and ');
    const match = c.columns.map((col, i) => `p.${ident(c.referenced[i])} = c.${ident(col)}`).join(' and ');
    const orphans = await rowsOf<{ n: number }>(
      db,
      `select count(*) as n from ${c.child} c where ${set} and not exists (select 1 from ${c.parent} p where ${match})`,
    );
    if (orphans[0].n > 0) problems.push({ table: c.child, parent: c.parent, constraint: c.name, rows: orphans[0].n });
  }
  // The references PostgreSQL checks by statement triggers instead of foreign keys, checked the same way.
  for (const o of await triggerCheckedOrphans(db)) problems.push({ table: o.table, parent: o.parent, constraint: `${o.table}.${o.column}`, rows: o.rows });
  return problems;
}

/**
 * SQLite's integrity_check; on PostgreSQL the amcheck extension's checks of every table's heap and every B-tree
 * index of the schema (indexes against their tables too), "ok" when they find nothing.
 */
async function integrity(db: Db): Promise<string> {
  if (engineOf(db) === 'sqlite') return (await rowsOf<{ integrity_check: string }>(db, 'pragma integrity_check')).map((r) => r.integrity_check).join('\n');
  await rowsOf(db, 'create extension if not exists amcheck');
  const heap = await rowsOf<{ t: string; msg: string }>(
    db,
    `select c.relname as t, v.msg from pg_class c join pg_namespace s on s.oid = c.relnamespace, lateral verify_heapam(c.oid) v
     where s.nspname = current_schema() and c.relkind = 'r'`,
  );
  const indexes = await rowsOf<{ name: string }>(
    db,
    `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace s on s.oid = c.relnamespace
     join pg_am am on am.oid = c.relam where s.nspname = current_schema() and am.amname = 'btree' and i.indisvalid order by c.relname`,
  );
  const problems = heap.map((h) => `${h.t}: ${h.msg}`);
  for (const index of indexes) {
    try {
      await rowsOf(db, 'select bt_index_check(?::regclass, true)', ident(index.name));
    } catch (err) {
      problems.push(`${index.name}: ${(err as Error).message}`);
    }
  }
  return problems.length ? problems.join('\n') : 'ok';
}

export interface Health {
  integrity: string;
  foreignKeyProblems: unknown[];
  auditLog: VerifyResult;
}

/** The health of a database opened by the app (either engine): integrity, foreign keys, the audit log's chain. */
export async function databaseHealth(db: Db): Promise<Health> {
  return { integrity: await integrity(db), foreignKeyProblems: await foreignKeyProblems(db), auditLog: await verify(db) };
}

/**
 * Whether a statement may change the rows ChangeWatch compares: anything but a query, the start or end of a
 * transaction, and writes to the tables it leaves out (sessions, sign-in attempts). A refused request that only
 * opened and rolled back a transaction and set its flash message then costs no checksum of the whole database.
 */
function mayChangeRows(sqlText: string): boolean {
  const text = sqlText.trim().toLowerCase();
  if (/^(begin|commit|rollback|end|savepoint|release)\b/.test(text)) return false;
  if (/^(select|with)\b/.test(text) && !/\b(insert|update|delete|replace)\b/.test(text)) return false;
  const volatile = /^(?:insert\s+into|update|delete\s+from)\s+"?([a-z_]+)"?/.exec(text)?.[1];
  return volatile === undefined || !VOLATILE.has(volatile);
}

/**
 * Cheap "did anything change?" for many requests in a row: the full checksum is recomputed only when a statement that
 * may change the compared rows (mayChangeRows) ran on the app's database since the last look (writes later rolled
 * back too), and only real differences in the tables count. Start with `await ChangeWatch.start(ctx)`; `stop()` it.
 */
export class ChangeWatch {
  private constructor(
    private readonly db: Db,
    private snapshot: Record<string, string>,
    /** Set by the statement watcher when a statement that may write ran. */
    private readonly seen: { moved: boolean },
    readonly stop: () => void,
  ) {}

  static async start(ctx: { db: Db; config: Config }): Promise<ChangeWatch> {
    const seen = { moved: false };
    const stop = watchStatements(ctx, {
      ran: (sqlText) => {
        if (mayChangeRows(sqlText)) seen.moved = true;
      },
    });
    return new ChangeWatch(ctx.db, await databaseChecksums(ctx.db), seen, stop);
  }

  /** Tables whose rows changed since the previous call (or since the watch began). */
  async changed(): Promise<string[]> {
    if (!this.seen.moved) return [];
    this.seen.moved = false;
    const after = await databaseChecksums(this.db);
    const diff = changedTables(this.snapshot, after);
    this.snapshot = after;
    return diff;
  }
}

/** The tables whose checksum differs between two snapshots. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

// ---------------------------------------------------------------------------------------------------------------
// A SQLite file opened by the test (backups, a file after a crash): SQLite itself, synchronous

export function tableNames(sqlite: RawSqlite): string[] {
  return (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !VOLATILE.has(n));
}

/** SHA-256 over every row of every table of a SQLite file except sessions and login attempts, per table. */
export function checksums(sqlite: RawSqlite): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of tableNames(sqlite)) {
    const hash = createHash('sha256');
    let statement;
    try {
      statement = sqlite.prepare(`select * from "${name}" order by rowid`);
    } catch {
      statement = sqlite.prepare(`select * from "${name}" order by 1, 2`); // WITHOUT ROWID
    }
    let n = 0;
    for (const row of statement.raw().iterate() as IterableIterator<unknown[]>) {
      hash.update(serialise(row));
      n++;
    }
    out[name] = `${n}:${hash.digest('hex').slice(0, 16)}`;
  }
  return out;
}

/** `db`: the database opened on `sqlite` (its key and head file), else a file opened here (those beside it). */
export async function health(sqlite: RawSqlite, db: Db = kyselyOver(sqlite)): Promise<Health> {
  return {
    integrity: String(sqlite.pragma('integrity_check', { simple: true })),
    foreignKeyProblems: sqlite.pragma('foreign_key_check') as unknown[],
    auditLog: await verify(db),
  };
}
