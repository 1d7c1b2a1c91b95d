import { sql, type Kysely } from 'kysely';
import { engineOf } from './engine';

/**
 * What the migrations write differently on SQLite and PostgreSQL: triggers, value checks, date arithmetic in trigger
 * bodies and SQLite-only table options. Every migration is written once; these helpers give each engine its form.
 * (Migrations import nothing else from src/: these helpers are part of the migrations' toolkit and stay stable.)
 */

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>

/** A trigger statement that refuses the change with a message (SQLite `raise(abort)`, PostgreSQL `raise exception`). */
export const refuse = (message: string): string => `select raise(abort, '${message.replace(/'/g, "''")}');`;

const REFUSE = /select raise\(abort, '((?:[^']|'')*)'\);/g;
const INSERT_OR_IGNORE = /insert or ignore into ([^;]+);/g;
const HEADER = /^(before|after)\s+(insert|update|delete)(?:\s+of\s+([\w\s,]+?))?\s+on\s+(\w+)(?:\s+when\s+([\s\S]+))?$/i;

/** The PostgreSQL form of a trigger body written for SQLite: refusals raise exceptions, `insert or ignore` skips conflicts. */
function plpgsqlBody(body: string): string {
  return body.replace(REFUSE, "raise exception '$1';").replace(INSERT_OR_IGNORE, 'insert into $1 on conflict do nothing;');
}

/** The setting that holds a suspendable trigger back for the rest of a transaction on PostgreSQL (see createTrigger). */
export const suspendSetting = (trigger: string): string => `qms.suspend_${trigger}`;

export interface TriggerOptions {
  /**
   * An AFTER trigger that keeps derived figures (never one that protects data) may be held back by a bulk write that
   * does its work once instead. SQLite: the writer drops and recreates it inside its transaction. PostgreSQL: the
   * writer sets suspendSetting(name) to 'on' for its transaction (set_config(…, true)), which the app's role may do
   * without owning the table; the protecting triggers read no setting, so no role can switch them off that way.
   */
  suspendable?: boolean;
}

/**
 * Creates a row trigger. `on` is SQLite's trigger header after the name (`before update of status on t when …`);
 * `body` its statements, in SQL both engines read (use `refuse(…)` to abort, `addDays`, `greatest`, `boolInt`).
 * On PostgreSQL the body becomes a PL/pgSQL function of the same name, run FOR EACH ROW.
 */
export async function createTrigger(db: AnyDb, name: string, on: string, body: string, options: TriggerOptions = {}): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    await sql.raw(`create trigger ${name} ${on} begin ${body} end`).execute(db);
    return;
  }
  const header = HEADER.exec(on.trim());
  if (!header) throw new Error(`trigger ${name}: cannot read "${on}"`);
  const [, timing, event, of, table, when] = header;
  const result = timing.toLowerCase() === 'after' ? 'null' : event.toLowerCase() === 'delete' ? 'old' : 'new';
  if (options.suspendable && result !== 'null') throw new Error(`trigger ${name}: only an AFTER trigger may be suspendable`);
  const held = options.suspendable ? `if current_setting('${suspendSetting(name)}', true) = 'on' then return null; end if; ` : '';
  await sql
    .raw(`create or replace function ${name}() returns trigger language plpgsql as $fn$ begin ${held}${plpgsqlBody(body)} return ${result}; end $fn$`)
    .execute(db);
  await sql
    .raw(
      `create trigger ${name} ${timing} ${event}${of ? ` of ${of.trim()}` : ''} on ${table} for each row` +
        `${when ? ` when (${when.trim()})` : ''} execute function ${name}()`,
    )
    .execute(db);
}

/** Drops a trigger made by createTrigger (and, on PostgreSQL, its function). */
export async function dropTrigger(db: AnyDb, name: string, table: string): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    await sql.raw(`drop trigger if exists ${name}`).execute(db);
    return;
  }
  await sql.raw(`drop trigger if exists ${name} on ${table}`).execute(db);
  await sql.raw(`drop function if exists ${name}()`).execute(db);
}

/** Refuses UPDATE and DELETE on a table (an append-only record), each with its message. */
export async function appendOnly(db: AnyDb, table: string, names: { update?: string; delete?: string }, message: string): Promise<void> {
  if (names.update) await createTrigger(db, names.update, `before update on ${table}`, refuse(message));
  if (names.delete) await createTrigger(db, names.delete, `before delete on ${table}`, refuse(message));
}

/** A check that a TEXT column holds a calendar date written YYYY-MM-DD (digits in place; the app checks the rest). */
export function isoDate(db: AnyDb, column: string) {
  return engineOf(db) === 'sqlite'
    ? sql.raw(`${column} glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`)
    : sql.raw(`${column} ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'`);
}

/** A check that a TEXT column holds lower-case hexadecimal digits only. */
export function hexOnly(db: AnyDb, column: string) {
  return engineOf(db) === 'sqlite' ? sql.raw(`${column} not glob '*[^0-9a-f]*'`) : sql.raw(`${column} ~ '^[0-9a-f]*$'`);
}

/** A check that a TEXT column holds a JSON value of the given type ('array' or 'object'); null passes (use not null). */
export function jsonOf(db: AnyDb, column: string, type: 'array' | 'object' | 'any') {
  if (engineOf(db) === 'sqlite')
    return type === 'any' ? sql.raw(`json_valid(${column})`) : sql.raw(`json_valid(${column}) and json_type(${column}) = '${type}'`);
  // PostgreSQL has no json_valid: a cast of invalid text fails the statement, which refuses the row as well.
  return type === 'any' ? sql.raw(`${column}::jsonb is not null`) : sql.raw(`jsonb_typeof(${column}::jsonb) = '${type}'`);
}

/** SQL text: the date `days` days after a YYYY-MM-DD text expression, as YYYY-MM-DD text (null stays null). */
export function addDays(db: AnyDb, expr: string, days: number): string {
  return engineOf(db) === 'sqlite' ? `date(${expr}, '${days >= 0 ? '+' : ''}${days} day')` : `to_char(cast(${expr} as date) + ${days}, 'YYYY-MM-DD')`;
}

/** SQL text: the greater of two values, null when either is null (SQLite's two-argument max()). */
export function greatest(db: AnyDb, a: string, b: string): string {
  return engineOf(db) === 'sqlite' ? `max(${a}, ${b})` : `case when (${a}) is null or (${b}) is null then null else greatest(${a}, ${b}) end`;
}

/** SQL text: 1 when the condition holds, else 0 (SQLite's comparisons are integers already, PostgreSQL's booleans). */
export function boolInt(db: AnyDb, condition: string): string {
  return engineOf(db) === 'sqlite' ? `(${condition})` : `(case when ${condition} then 1 else 0 end)`;
}

/** SQLite's WITHOUT ROWID table option (a clustered primary key); PostgreSQL tables have no such option. */
export function withoutRowid(db: AnyDb) {
  return engineOf(db) === 'sqlite' ? sql`without rowid` : sql``;
}

/** One change to a table's stored definition on SQLite: `from` must occur exactly once and is replaced by `to`. */
export interface TableEdit {
  from: string | RegExp;
  to: string;
}

/** What a rebuild adds: a column (before the table's constraints, where SQLite wants it) and table constraints. */
export interface RebuildAdditions {
  column?: string;
  constraints?: string;
  /** Edits of the table's index and trigger statements when they are recreated. */
  indexEdits?: TableEdit[];
}

const END_OF_TABLE = /\)\s*$/;

/** A table of SQLite's schema: its stored CREATE statement, its indexes' and triggers' statements and its columns. */
async function storedTable(db: AnyDb, table: string): Promise<{ create: string; others: string[]; columns: string[] }> {
  const rows = await sql<{ type: string; sql: string | null }>`select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const create = rows.rows.find((r) => r.type === 'table')?.sql;
  if (!create) throw new Error(`rebuild: table ${table} not found`);
  const others = rows.rows.filter((r) => r.type === 'index' || r.type === 'trigger').map((r) => r.sql!);
  const columns = (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db)).rows.map((r) => r.name);
  return { create, others, columns };
}

/**
 * Rebuilds a SQLite table from its own stored definition with `edits` applied (SQLite cannot alter a constraint):
 * creates the new table, copies every row of the columns both have, drops the old one, renames the new one, and
 * recreates its indexes and triggers from their stored SQL (`indexEdits` applied to them). The AUTOINCREMENT counter
 * is kept and the row count compared. Run it inside withForeignKeysOff.
 */
export async function rebuildSqliteTable(db: AnyDb, table: string, edits: TableEdit[], add: RebuildAdditions = {}): Promise<void> {
  const { create: stored, others, columns } = await storedTable(db, table);
  const indexEdits = add.indexEdits ?? [];
  let create = stored;
  if (add.column) {
    const at = create.search(/, constraint "/i);
    const end = create.search(END_OF_TABLE);
    create = `${create.slice(0, at >= 0 ? at : end)}, ${add.column}${create.slice(at >= 0 ? at : end)}`;
  }
  if (add.constraints) create = create.replace(END_OF_TABLE, `${add.constraints})`);
  const apply = (text: string, list: TableEdit[], what: string) =>
    list.reduce((s, e) => {
      const parts = s.split(e.from);
      if (parts.length !== 2) throw new Error(`rebuild: ${what} does not contain ${String(e.from)} exactly once`);
      return parts.join(e.to);
    }, text);
  const temp = `${table}_rebuilt`;
  const created = apply(create, edits, `${table}'s definition`).replace(/^CREATE TABLE\s+("?)\w+\1/i, `create table "${temp}"`);
  const count = async (t: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0].n);
  const seq = await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${table}`.execute(db).catch(() => ({ rows: [] }));
  const before = await count(table);
  await sql.raw(created).execute(db);
  const kept = (await sql<{ name: string }>`select name from pragma_table_info(${temp})`.execute(db)).rows
    .map((r) => r.name)
    .filter((c) => columns.includes(c));
  const list = kept.map((c) => `"${c}"`).join(', ');
  await sql.raw(`insert into "${temp}" (${list}) select ${list} from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${temp}" rename to "${table}"`).execute(db);
  for (const statement of others) {
    const edited = indexEdits.reduce((s, e) => (typeof e.from === 'string' ? s.split(e.from).join(e.to) : s.replace(e.from, e.to)), statement);
    await sql.raw(edited).execute(db);
  }
  if (seq.rows.length === 1) await sql`update sqlite_sequence set seq = max(seq, ${seq.rows[0].seq}) where name = ${table}`.execute(db);
  const after = await count(table);
  if (after !== before) throw new Error(`rebuild: ${table} had ${before} rows, ${after} after the rebuild`);
}

/**
 * Runs `work` in one SQLite transaction with foreign keys off (they are checked before COMMIT: a broken reference
 * rolls everything back) and legacy ALTER TABLE on, as table rebuilds need. On PostgreSQL it just runs `work`
 * (the migration's own transaction holds it).
 */
export async function withForeignKeysOff(db: AnyDb, work: () => Promise<void>): Promise<void> {
  if (engineOf(db) !== 'sqlite') return work();
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`pragma legacy_alter_table = on`.execute(db);
    await sql`begin immediate`.execute(db);
    try {
      await work();
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`rebuild: ${broken.rows.length} foreign keys broken`);
      await sql`commit`.execute(db);
    } catch (err) {
      await sql`rollback`.execute(db);
      throw err;
    }
  } finally {
    await sql`pragma legacy_alter_table = off`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
