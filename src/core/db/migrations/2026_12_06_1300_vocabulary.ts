import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';

/**
 * One vocabulary (issue 20).
 *
 * - nc_actions.type: the 2008 "preventive" action becomes the risk-based action `risk` (ISO 9001:2015 clause 6.1).
 *   Existing rows are converted; past audit-log entries are not rewritten (the log is append-only) and are shown with
 *   the new label.
 * - audits.type and audit_programme_items.audit_type: a new type `inspection` (the Sở KH&CN's inspection).
 *
 * Each column has a CHECK constraint, which SQLite cannot alter: the table is rebuilt from its own stored definition
 * with only the CHECK's list changed (create the new table, copy every row, drop the old one, rename), its indexes
 * and triggers recreated from their stored SQL, with foreign keys off during the rebuild and checked before commit.
 * Row counts are compared before and after, so nothing is lost silently.
 */
interface Change {
  table: string;
  column: string;
  from: string;
  to: string;
}

const INSPECTION: Change[] = [
  { table: 'audits', column: 'type', from: "'surveillance')", to: "'surveillance', 'inspection')" },
  { table: 'audit_programme_items', column: 'audit_type', from: "'surveillance')", to: "'surveillance', 'inspection')" },
];
const ACTIONS = { table: 'nc_actions', column: 'type' };

const quoted = (text: string): string[] => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]);

/**
 * PostgreSQL alters a CHECK in place: the column's constraint (named <table>_<column>_check by PostgreSQL) is
 * replaced by one whose list has `from`'s values replaced by `to`'s, inside the migration's transaction.
 */
async function recheck(db: Kysely<any>, { table, column, from, to }: Change): Promise<void> {
  const name = `${table}_${column}_check`;
  const found = await sql<{ def: string }>`select pg_get_constraintdef(oid) as def from pg_constraint
    where conname = ${name} and conrelid = ${table}::regclass`.execute(db);
  if (found.rows.length !== 1) throw new Error(`vocabulary: constraint ${name} not found`);
  const values = quoted(found.rows[0].def);
  const [first, ...rest] = quoted(from);
  const at = values.indexOf(first);
  if (at < 0 || rest.some((v, i) => values[at + 1 + i] !== v)) throw new Error(`vocabulary: ${name} does not list ${from}`);
  values.splice(at, 1 + rest.length, ...quoted(to));
  const list = values.map((v) => `'${v}'`).join(', ');
  await sql.raw(`alter table ${table} drop constraint ${name}, add constraint ${name} check (${column} in (${list}))`).execute(db);
}

async function master(db: Kysely<any>, where: string, name: string): Promise<{ name: string; sql: string | null }[]> {
  const rows = await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where ${sql.raw(where)} = ${name}`.execute(db);
  return rows.rows;
}

async function count(db: Kysely<any>, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0].n);
}

/** Rebuilds a table whose stored definition contains `from` (exactly once) with `to` in its place. */
async function rebuild(db: Kysely<any>, { table, from, to }: Change): Promise<void> {
  const [def] = await master(db, "type = 'table' and name", table);
  if (!def?.sql) throw new Error(`vocabulary: table ${table} not found`);
  const parts = def.sql.split(from);
  if (parts.length !== 2) throw new Error(`vocabulary: ${table}'s definition does not contain ${from} exactly once`);
  const others = (await master(db, "type in ('index', 'trigger') and sql is not null and tbl_name", table)).map((r) => r.sql!);
  const before = await count(db, table);
  const temp = `${table}_vocabulary`;
  const created = parts.join(to).replace(/^CREATE TABLE\s+("?)\w+\1/i, `create table "${temp}"`);
  await sql.raw(created).execute(db);
  await sql.raw(`insert into "${temp}" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${temp}" rename to "${table}"`).execute(db);
  for (const statement of others) await sql.raw(statement).execute(db);
  const after = await count(db, table);
  if (after !== before) throw new Error(`vocabulary: ${table} had ${before} rows, ${after} after the rebuild`);
}

/** Rebuilds the tables, with `before` run ahead of the rebuilds and `after` once they are done, in one transaction. */
async function run(db: Kysely<any>, changes: Change[], before: () => Promise<void>, after: () => Promise<void>): Promise<void> {
  if (engineOf(db) !== 'sqlite') {
    await before();
    for (const change of changes) await recheck(db, change);
    await after();
    return;
  }
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`pragma legacy_alter_table = on`.execute(db);
    await sql`begin immediate`.execute(db);
    try {
      await before();
      for (const change of changes) await rebuild(db, change);
      await after();
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`vocabulary: ${broken.rows.length} foreign keys broken by the rebuild`);
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

const nothing = async () => {};

export async function up(db: Kysely<any>): Promise<void> {
  // The CHECK lists both values while the rows are converted, then 'risk' alone.
  await run(db, [{ ...ACTIONS, from: "'preventive'", to: "'preventive', 'risk'" }, ...INSPECTION], nothing, async () => {
    await sql`update nc_actions set type = 'risk' where type = 'preventive'`.execute(db);
  });
  await run(db, [{ ...ACTIONS, from: "'preventive', 'risk'", to: "'risk'" }], nothing, nothing);
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(db, [{ ...ACTIONS, from: "'risk'", to: "'preventive', 'risk'" }], nothing, async () => {
    await sql`update nc_actions set type = 'preventive' where type = 'risk'`.execute(db);
  });
  // Inspections become certification audits again: the closest type that existed before.
  await run(
    db,
    [{ ...ACTIONS, from: "'preventive', 'risk'", to: "'preventive'" }, ...INSPECTION.map((c) => ({ ...c, from: c.to, to: c.from }))],
    async () => {
      await sql`update audits set type = 'certification' where type = 'inspection'`.execute(db);
      await sql`update audit_programme_items set audit_type = 'certification' where audit_type = 'inspection'`.execute(db);
    },
    nothing,
  );
}
