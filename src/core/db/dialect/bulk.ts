import { suspendSetting } from './ddl';
import { sql, type Kysely } from 'kysely';
import type Database from 'better-sqlite3';
import { engineOf, pluginOf, sqliteHandleOf } from './engine';

/**
 * Bulk writes (imports of hundreds of thousands of rows) on both engines, behind one async API taking the
 * transaction first. SQLite: prepared better-sqlite3 statements on the transaction's own connection (the only
 * synchronous driver calls of a bulk write live here), multi-row inserts of INSERT_BATCH rows. PostgreSQL: one
 * statement per chunk of rows, passed as one array per column and turned back into rows by `unnest` (a handful of
 * parameters whatever the chunk's size, one round trip for thousands of rows).
 * Tables and columns are the caller's constants, never user input.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generic over every table, as the migrations are
type AnyDb = Kysely<any>;
type Statement = Database.Statement;

/** Rows per multi-row INSERT on SQLite (32 × 16 columns: the fastest measured for the dossier import). */
const INSERT_BATCH = 32;
/** Rows per statement on PostgreSQL (callers may pass more; they are split). */
const PG_CHUNK = 10_000;
/**
 * Rows a caller should hand to one bulk call on SQLite: its statements run in process, so large chunks save no
 * round trip, and the chunk's rows, built and held across awaits, outlive the young generation's collections and
 * grow the heap (10,000-row chunks doubled the memory a 200,000-row import needed).
 */
const SQLITE_CHUNK = 500;

/** How many rows to pass to one bulkInsert, findByKeys or bulkUpdate call: one round trip's worth on each engine. */
export function bulkChunkRows(db: AnyDb): number {
  return engineOf(db) === 'sqlite' ? SQLITE_CHUNK : PG_CHUNK;
}

// ---------------------------------------------------------------------------------------------------------------
// SQLite: statements kept per connection and SQL text (SQLite re-prepares them itself after a schema change).

const kept = new WeakMap<Database.Database, Map<string, Statement>>();

function statement(handle: Database.Database, text: string, raw = false): Statement {
  let cache = kept.get(handle);
  if (!cache) kept.set(handle, (cache = new Map()));
  let s = cache.get(text);
  if (!s) {
    s = handle.prepare(text);
    if (raw) s.raw(true);
    if (cache.size >= 100) cache.clear();
    cache.set(text, s);
  }
  return s;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const list = (names: readonly string[]) => names.map(ident).join(', ');
const tuple = (width: number) => `(${Array(width).fill('?').join(', ')})`;

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL: column types from the catalogue, for the array parameters' casts. Kept per database (its EnginePlugin)
// until the schema changes: createMigrator and migrateToLatest forget them, and a column not found is looked up again.

type ColumnTypes = Map<string, { type: string; bigint: boolean }>;
const pgTypes = new WeakMap<object, Map<string, ColumnTypes>>();

/** Forgets the column types kept for this database (its schema is about to change, or has changed). */
export function forgetColumnTypes(db: AnyDb): void {
  pgTypes.delete(pluginOf(db) ?? db);
}

async function columnTypes(trx: AnyDb, table: string, mustHave: readonly string[] = []): Promise<ColumnTypes> {
  const owner = pluginOf(trx) ?? trx;
  let byTable = pgTypes.get(owner);
  if (!byTable) pgTypes.set(owner, (byTable = new Map()));
  let types = byTable.get(table);
  if (!types || mustHave.some((c) => !types!.has(c))) {
    const { rows } = await sql<{ name: string; type: string }>`select attname as name, format_type(atttypid, atttypmod) as type
      from pg_attribute where attrelid = ${table}::regclass and attnum > 0 and not attisdropped`.execute(trx);
    types = new Map(rows.map((r) => [r.name, { type: r.type, bigint: r.type === 'bigint' }]));
    byTable.set(table, types);
  }
  return types;
}

async function arrayCasts(trx: AnyDb, table: string, columns: readonly string[]): Promise<string[]> {
  const types = await columnTypes(trx, table, columns);
  return columns.map((c) => {
    const t = types.get(c);
    if (!t) throw new Error(`${table}.${c}: no such column`);
    return `${t.type}[]`;
  });
}

/** The rows as one array per column (what `unnest` takes). */
function byColumn(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  const columns = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < width; c++) columns[c][r] = row[c];
  }
  return columns;
}

/** `unnest($1::type[], $2::type[], …) as v(c1, c2, …)` for a chunk of rows. */
function unnest(casts: string[], names: readonly string[], rows: readonly (readonly unknown[])[]) {
  const arrays = byColumn(rows, casts.length);
  const params = sql.join(arrays.map((a, i) => sql`${a}::${sql.raw(casts[i])}`));
  return sql`unnest(${params}) as v(${sql.raw(list(names))})`;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Inserts rows (each a tuple in the order of `columns`) into `table`, in the caller's order. `same`: values every row
 * shares (an import's id and time), passed once per statement instead of once per row: on PostgreSQL four such
 * columns were a quarter of the arrays node serialised and PostgreSQL parsed for each chunk.
 */
export async function bulkInsert(
  trx: AnyDb,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  same: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  if (rows.length === 0) return;
  const width = columns.length;
  const sameColumns = Object.keys(same);
  const sameValues = Object.values(same);
  const allColumns = [...columns, ...sameColumns];
  if (engineOf(trx) === 'sqlite') {
    const handle = sqliteHandleOf(trx);
    const full = allColumns.length;
    const head = `insert into ${ident(table)} (${list(allColumns)}) values `;
    const one = statement(handle, head + tuple(full));
    const batch = statement(handle, head + Array(INSERT_BATCH).fill(tuple(full)).join(', '));
    const buffer = new Array<unknown>(INSERT_BATCH * full);
    const args = new Array<unknown>(full);
    for (let c = 0; c < sameValues.length; c++) args[width + c] = sameValues[c];
    let r = 0;
    for (; r + INSERT_BATCH <= rows.length; r += INSERT_BATCH) {
      let at = 0;
      for (let i = r; i < r + INSERT_BATCH; i++) {
        const row = rows[i];
        for (let c = 0; c < width; c++) buffer[at++] = row[c];
        for (let c = 0; c < sameValues.length; c++) buffer[at++] = sameValues[c];
      }
      batch.run(buffer);
    }
    for (; r < rows.length; r++) {
      const row = rows[r];
      for (let c = 0; c < width; c++) args[c] = row[c];
      one.run(args);
    }
    return;
  }
  await pgInsert(trx, table, columns, rows, same);
}

/** PostgreSQL's bulkInsert: one statement per PG_CHUNK rows; `returning`: what each statement answers, its rows in turn. */
async function pgInsert(
  trx: AnyDb,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  same: Readonly<Record<string, unknown>>,
  returning?: string,
  answer?: (row: Record<string, unknown>) => void,
): Promise<void> {
  const sameColumns = Object.keys(same);
  const casts = await arrayCasts(trx, table, columns);
  const sameCasts = (await arrayCasts(trx, table, sameColumns)).map((t) => t.slice(0, -2));
  const constants = Object.values(same).map((v, i) => sql`, ${v}::${sql.raw(sameCasts[i])}`);
  const tail = returning ? sql` returning ${sql.raw(returning)}` : sql``;
  for (let r = 0; r < rows.length; r += PG_CHUNK) {
    const chunk = rows.slice(r, r + PG_CHUNK);
    const result = await sql<Record<string, unknown>>`insert into ${sql.raw(ident(table))} (${sql.raw(list([...columns, ...sameColumns]))})
      select v.*${sql.join(constants, sql``)} from ${unnest(casts, columns, chunk)}${tail}`.execute(trx);
    if (answer) for (const row of result.rows) answer(row);
  }
}

/**
 * bulkInsert, answering the new rows' ids in the caller's order, found by `key` (a column whose values are unique
 * among the rows, e.g. a text code within the organisation `within`): on PostgreSQL the insert returns them (no lookup
 * after it); on SQLite, in process, an indexed lookup per row after it.
 */
export async function bulkInsertIds(
  trx: AnyDb,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  same: Readonly<Record<string, unknown>>,
  key: { column: string; within?: { column: string; value: number } },
): Promise<number[]> {
  const at = columns.indexOf(key.column);
  if (at < 0) throw new Error(`bulkInsertIds: the key ${key.column} is not among the columns`);
  const keys = rows.map((r) => r[at] as string | number);
  if (engineOf(trx) === 'sqlite') {
    await bulkInsert(trx, table, columns, rows, same);
    return (await findByKeys(trx, table, key.column, keys, ['id'], key.within)).map((found) => Number(found![0]));
  }
  const ids = new Map<unknown, number>();
  await pgInsert(trx, table, columns, rows, same, `id, ${ident(key.column)} as "k"`, (row) => ids.set(row.k, Number(row.id)));
  return keys.map((k) => ids.get(k)!);
}

/**
 * The rows of `table` whose `keyColumn` is one of `keys`, as tuples of `columns` (in that order), in the order of
 * `keys`: `found[i]` is the row of `keys[i]`, undefined when it is not stored (an array rather than a Map: a million
 * lookups of fresh strings in a Map cost more than the indexed lookups on SQLite). The same values on both engines
 * (PostgreSQL's bigint columns as numbers).
 */
export async function findByKeys(
  trx: AnyDb,
  table: string,
  keyColumn: string,
  keys: readonly (string | number)[],
  columns: readonly string[],
  within?: { column: string; value: number },
): Promise<(unknown[] | undefined)[]> {
  const found = new Array<unknown[] | undefined>(keys.length);
  if (keys.length === 0) return found;
  const where = within ? `${ident(within.column)} = ${Number(within.value)} and ` : '';
  if (engineOf(trx) === 'sqlite') {
    // One indexed lookup per key, prepared once: as fast as an IN list and without its parsing.
    const find = statement(sqliteHandleOf(trx), `select ${list(columns)} from ${ident(table)} where ${where}${ident(keyColumn)} = ?`, true);
    for (let i = 0; i < keys.length; i++) found[i] = find.get(keys[i]) as unknown[] | undefined;
    return found;
  }
  const types = await columnTypes(trx, table, [keyColumn, ...columns]);
  const [keyCast] = await arrayCasts(trx, table, [keyColumn]);
  const bigints = columns.map((c) => types.get(c)?.bigint ?? false);
  const keyBig = types.get(keyColumn)?.bigint ?? false;
  for (let at = 0; at < keys.length; at += PG_CHUNK) {
    const chunk = keys.slice(at, at + PG_CHUNK);
    const { rows } = await sql<Record<string, unknown>>`select ${sql.raw(ident(keyColumn))} as "k", ${sql.raw(list(columns))}
      from ${sql.raw(ident(table))} where ${sql.raw(where)}${sql.raw(ident(keyColumn))} = any(${chunk}::${sql.raw(keyCast)})`.execute(trx);
    const byKey = new Map<unknown, unknown[]>();
    for (const row of rows)
      byKey.set(
        keyBig ? Number(row.k) : row.k,
        columns.map((c, i) => (bigints[i] && row[c] !== null ? Number(row[c]) : row[c])),
      );
    for (let i = 0; i < chunk.length; i++) found[at + i] = byKey.get(chunk[i]);
  }
  return found;
}

/**
 * Sets `columns` of the rows of `table` by `keyColumn`: each row is `[key, ...values in the order of columns]`.
 * Keys not present change nothing.
 */
export async function bulkUpdate(
  trx: AnyDb,
  table: string,
  keyColumn: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  if (engineOf(trx) === 'sqlite') {
    const set = columns.map((c) => `${ident(c)} = ?`).join(', ');
    const update = statement(sqliteHandleOf(trx), `update ${ident(table)} set ${set} where ${ident(keyColumn)} = ?`);
    const width = columns.length;
    const args = new Array<unknown>(width + 1);
    for (const row of rows) {
      for (let c = 0; c < width; c++) args[c] = row[c + 1];
      args[width] = row[0];
      update.run(args);
    }
    return;
  }
  const names = [keyColumn, ...columns];
  const casts = await arrayCasts(trx, table, names);
  const set = columns.map((c) => `${ident(c)} = v.${ident(c)}`).join(', ');
  for (let r = 0; r < rows.length; r += PG_CHUNK) {
    const chunk = rows.slice(r, r + PG_CHUNK);
    await sql`update ${sql.raw(ident(table))} as t set ${sql.raw(set)} from ${unnest(casts, names, chunk)}
      where t.${sql.raw(ident(keyColumn))} = v.${sql.raw(ident(keyColumn))}`.execute(trx);
  }
}

/** What suspendTriggers or dropSecondaryIndexes took away, to be put back by restore() in the same transaction. */
export interface Suspended {
  readonly names: readonly string[];
  readonly statements: readonly string[];
  /** Run with the engine's index-building settings (SQLite: two sorting threads, a small page cache). */
  readonly indexes: boolean;
}

/**
 * Takes the named row triggers of `table` out of action for the rest of the transaction, until restore(): a
 * trigger firing per row can cost more than the bulk insert itself, and the caller does their work once instead.
 * SQLite drops them (their CREATE statements, read from the schema, recreate them); PostgreSQL holds back those
 * made suspendable (ddl.ts) through a setting of this transaction. Triggers that do not exist are left out.
 * Other connections never see the table without them: both engines undo it all if the transaction fails.
 */
export async function suspendTriggers(trx: AnyDb, table: string, names: readonly string[]): Promise<Suspended> {
  if (names.length === 0) return { names: [], statements: [], indexes: false };
  if (engineOf(trx) === 'sqlite') {
    const { rows } = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master
      where type = 'trigger' and tbl_name = ${table} and name in (${sql.join([...names])}) order by name`.execute(trx);
    for (const t of rows) await sql.raw(`drop trigger ${ident(t.name)}`).execute(trx);
    return { names: rows.map((r) => r.name), statements: rows.map((r) => r.sql), indexes: false };
  }
  // PostgreSQL: the triggers are made suspendable (dialect/ddl.ts) and read a setting local to this transaction, so
  // the app's role needs no ownership of the table (no ALTER TABLE), and no lock is taken.
  const { rows } = await sql<{ name: string }>`select tgname as name from pg_trigger
    where tgrelid = ${table}::regclass and not tgisinternal and tgname = any(${[...names]}::text[])
    order by tgname`.execute(trx);
  for (const t of rows) await sql`select set_config(${suspendSetting(t.name)}, 'on', true)`.execute(trx);
  return {
    names: rows.map((r) => r.name),
    statements: rows.map((r) => `select set_config('${suspendSetting(r.name)}', '', true)`),
    indexes: false,
  };
}

/**
 * Drops the secondary indexes of `table` (not its unique ones, which bulk writes look keys up in and which keep
 * constraints) for a bulk load of many rows: building an index once from sorted rows is far faster than a million
 * random insertions. SQLite only. On PostgreSQL nothing is dropped: DROP INDEX would lock every reader of the table
 * out until the commit (SQLite's readers keep reading their snapshot), and maintaining its B-trees row by row costs
 * little there (see test/bench/README.md).
 */
export async function dropSecondaryIndexes(trx: AnyDb, table: string): Promise<Suspended> {
  if (engineOf(trx) !== 'sqlite') return { names: [], statements: [], indexes: true };
  const { rows } = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master
    where type = 'index' and tbl_name = ${table} and sql is not null and sql not like 'create unique%' collate nocase
    order by name`.execute(trx);
  for (const index of rows) await sql.raw(`drop index ${ident(index.name)}`).execute(trx);
  return { names: rows.map((r) => r.name), statements: rows.map((r) => r.sql), indexes: true };
}

/** Page cache while SQLite rebuilds indexes (KiB, as a negative cache_size): see restore. */
const REBUILD_CACHE_KIB = 4000;

/**
 * Puts back what suspendTriggers or dropSecondaryIndexes took away, in the same transaction. Indexes are rebuilt on
 * SQLite with a second sorting thread (PRAGMA threads = 2) and a 4 MB page cache, then the connection gets its own
 * settings back: each sorting thread holds up to the page cache in memory, so the smaller cache keeps the peak where
 * one thread left it; the covering index over 3,000,000 dossiers took 2.4 s instead of 4.5 s (province benchmark).
 */
export async function restore(trx: AnyDb, suspended: Suspended): Promise<void> {
  if (suspended.statements.length === 0) return;
  const run = async () => {
    for (const statement of suspended.statements) await sql.raw(statement).execute(trx);
  };
  if (!suspended.indexes || engineOf(trx) !== 'sqlite') return run();
  const handle = sqliteHandleOf(trx);
  const threads = Number(handle.pragma('threads', { simple: true }));
  const cacheSize = Number(handle.pragma('cache_size', { simple: true }));
  handle.pragma('threads = 2');
  handle.pragma(`cache_size = ${-REBUILD_CACHE_KIB}`);
  try {
    await run();
  } finally {
    handle.pragma(`threads = ${threads}`);
    handle.pragma(`cache_size = ${cacheSize}`);
  }
}

/**
 * Settings for the rest of a bulk write's transaction. PostgreSQL: no JIT compilation. Its default cost threshold
 * compiles (with inlining and optimisation) every statement over a million rows — the summary aggregate over an
 * import's new dossiers — and that compilation cost more than it saved: 6.5 s of CPU instead of 5.3 s for
 * 1,000,000 new dossiers. SQLite: nothing.
 */
export async function bulkTransactionSettings(trx: AnyDb): Promise<void> {
  if (engineOf(trx) === 'postgres') await sql`select set_config('jit', 'off', true)`.execute(trx);
}

/**
 * Lets a connection that will write in bulk (an import's own connection: a CLI process, a web import's worker) wait
 * this long for the write lock, since the wait blocks nothing else. SQLite: its busy timeout (a synchronous wait, on
 * that connection's thread). PostgreSQL: writers queue on the advisory lock taken at BEGIN, without a time limit.
 */
export async function waitForWriteLock(db: AnyDb, ms: number): Promise<void> {
  if (engineOf(db) === 'sqlite') sqliteHandleOf(db).pragma(`busy_timeout = ${Math.max(0, Math.round(ms))}`);
}

/**
 * After a bulk write has committed, from the connection that wrote it (outside any transaction):
 * - SQLite copies the pages it added to the write-ahead log into the database file, trying again while a reader
 *   still uses an older snapshot (PASSIVE never waits for a lock; at most `attempts` tenths of a second). SQLite
 *   checkpoints on the connection that commits next: left to the server, its next write would copy hundreds of
 *   megabytes synchronously, on its event loop.
 * - PostgreSQL refreshes the planner's statistics of the tables written (ANALYZE), which autovacuum would only do
 *   later: the plans of the next reports see the new rows at once.
 */
export async function afterBulkWrite(db: AnyDb, tables: readonly string[], attempts = 50): Promise<void> {
  if (engineOf(db) !== 'sqlite') {
    if (tables.length) await sql.raw(`analyze ${list(tables)}`).execute(db);
    return;
  }
  const handle = sqliteHandleOf(db);
  for (let i = 0; i < attempts; i++) {
    const [result] = handle.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (!result || result.log <= 0 || result.checkpointed >= result.log) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
