import { sql } from 'kysely';
import { describeVerify, verify } from '../audit-log/audit-log';
import type { Config } from '../../config';
import type { Db } from './database';
import { bulkInsert } from './dialect/bulk';
import { createMigrator, migrateToLatest } from './migrate';
import { openConfiguredDatabase } from './open';
import { openPostgresKysely } from './postgres';

/**
 * `qms db:copy --to postgres://…`: an office's SQLite database copied into an empty PostgreSQL database, so that it
 * can move up without losing anything. The source is migrated and its audit log verified first; the target is
 * migrated to the same version, then every table is copied in ONE transaction (the target's own triggers held off
 * for it, so rows arrive as they were, not re-derived), foreign keys in order (a column that points forward or to
 * its own table is filled in once every row is there), the identity counters moved past the copied ids. Then the
 * row count of every table is compared and the audit log's chain verified on the target with the same key.
 * The target must be empty (no table): a copy never merges into a database in use.
 */

const PAGE = 5_000;
/** Tables that belong to the engine, the migrator, or SQLite's full-text index internals. */
const SKIPPED = /^(sqlite_|kysely_|documents_fts_)/;

interface TablePlan {
  name: string;
  columns: string[];
  /** Columns copied as null first and set once every table is copied (forward or self references). */
  deferred: string[];
  /** The source's key to page by: primary-key columns, or rowid. */
  key: string[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function sourceTables(db: Db): Promise<string[]> {
  const r = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db);
  return r.rows.map((t) => t.name).filter((n) => !SKIPPED.test(n));
}

async function sourceColumns(db: Db, table: string): Promise<{ name: string; pk: number }[]> {
  const r = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${table}) order by cid`.execute(db);
  return r.rows;
}

async function targetColumns(db: Db, table: string): Promise<string[]> {
  const r = await sql<{ column_name: string }>`select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return r.rows.map((c) => c.column_name);
}

interface ForeignKey {
  table: string;
  column: string;
  ref: string;
  nullable: boolean;
}

/** The foreign keys of the target's tables. */
async function targetForeignKeys(db: Db): Promise<ForeignKey[]> {
  const r = await sql<{ tbl: string; col: string; ref: string; notnull: boolean }>`select c.conrelid::regclass::text as tbl, a.attname as col,
      c.confrelid::regclass::text as ref, a.attnotnull as notnull
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
    where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(db);
  return r.rows.map((fk) => ({ table: fk.tbl, column: fk.col, ref: fk.ref, nullable: !fk.notnull }));
}

/**
 * The tables in an order where each one's references are copied before it. A reference to its own table, or one
 * that closes a cycle (audit checklist items ↔ findings), must be a nullable column: it is held back (copied as
 * null, set afterwards).
 */
function order(tables: string[], fks: ForeignKey[]): { name: string; deferred: string[] }[] {
  const edges = fks.filter((fk) => tables.includes(fk.table) && tables.includes(fk.ref));
  const deferred = new Set(edges.filter((fk) => fk.ref === fk.table));
  const out: { name: string; deferred: string[] }[] = [];
  const left = new Set(tables);
  while (left.size > 0) {
    const ready = [...left].filter((t) => edges.every((fk) => fk.table !== t || deferred.has(fk) || !left.has(fk.ref)));
    if (ready.length === 0) {
      const breakable = edges.find((fk) => !deferred.has(fk) && fk.nullable && left.has(fk.table) && left.has(fk.ref));
      if (!breakable) throw new Error(`the tables ${[...left].join(', ')} reference each other through required columns`);
      deferred.add(breakable);
      continue;
    }
    for (const t of ready.sort()) {
      left.delete(t);
      out.push({ name: t, deferred: edges.filter((fk) => fk.table === t && deferred.has(fk)).map((fk) => fk.column) });
    }
  }
  return out;
}

/**
 * A reference to its own table need not be held back when every row points to an earlier one (a correction to the
 * reading it corrects): the rows are copied in id order, so the row referred to is already there or in the same
 * statement. Held back, such a row would break the checks that tie the reference to its other columns (a reading
 * with a correction reason names what it corrects) and the unique indexes over rows without it.
 */
async function stillDeferred(db: Db, table: string, held: string[], fks: ForeignKey[]): Promise<string[]> {
  const out: string[] = [];
  for (const column of held) {
    const self = fks.some((fk) => fk.table === table && fk.ref === table && fk.column === column);
    if (!self) {
      out.push(column);
      continue;
    }
    const forward = await sql<{ n: number }>`select count(*) as n from ${sql.raw(ident(table))} where ${sql.raw(ident(column))} >= id`.execute(db);
    if (Number(forward.rows[0].n) > 0) out.push(column);
  }
  return out;
}

async function countRows(db: Db, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.raw(ident(table))}`.execute(db);
  return Number(r.rows[0].n);
}

/** Reads a source table page by page (keyset on its key), giving each page's rows as tuples of `columns`. */
async function* pages(db: Db, plan: TablePlan): AsyncGenerator<unknown[][]> {
  const cols = plan.columns.map(ident).join(', ');
  const key = plan.key.map((k) => (k === 'rowid' ? 'rowid' : ident(k)));
  const keyList = key.join(', ');
  let last: unknown[] | undefined;
  for (;;) {
    const after = last ? sql` where (${sql.raw(keyList)}) > (${sql.join(last)})` : sql``;
    const r = await sql<Record<string, unknown>>`select ${sql.raw(cols)}, ${sql.raw(key.map((k, i) => `${k} as __k${i}`).join(', '))}
      from ${sql.raw(ident(plan.name))}${after} order by ${sql.raw(keyList)} limit ${PAGE}`.execute(db);
    if (r.rows.length === 0) return;
    yield r.rows.map((row) => plan.columns.map((c) => (plan.deferred.includes(c) ? null : row[c])));
    const tail = r.rows[r.rows.length - 1];
    last = key.map((_, i) => tail[`__k${i}`]);
    if (r.rows.length < PAGE) return;
  }
}

export interface CopyResult {
  tables: { name: string; rows: number }[];
  auditRows: number;
}

export async function copyToPostgres(config: Config, targetUrl: string): Promise<CopyResult> {
  const source = await openConfiguredDatabase({ ...config, databaseUrl: undefined }, { quickCheck: true });
  try {
    await migrateToLatest(source.db);
    const chain = await verify(source.db);
    if (!chain.ok) throw new Error(`the audit log of ${config.databasePath} does not verify (${describeVerify(chain)}): nothing copied`);
    const target = openPostgresKysely(targetUrl, { auditKey: source.auditKey, poolSize: 2 });
    try {
      const existing = await sql<{ n: number }>`select count(*) as n from pg_catalog.pg_tables where schemaname = current_schema()`.execute(target.db);
      if (Number(existing.rows[0].n) > 0) throw new Error('the target database is not empty: db:copy copies only into an empty PostgreSQL database');
      const migrated = await createMigrator(target.db).migrateToLatest();
      if (migrated.error) throw migrated.error instanceof Error ? migrated.error : new Error(String(migrated.error));

      const names = await sourceTables(source.db);
      const fks = await targetForeignKeys(target.db);
      const plans: TablePlan[] = [];
      for (const { name, deferred: held } of order(names, fks)) {
        const deferred = await stillDeferred(source.db, name, held, fks);
        const there = new Set(await targetColumns(target.db, name));
        if (there.size === 0) throw new Error(`table ${name} of the SQLite database has no counterpart on PostgreSQL`);
        const cols = await sourceColumns(source.db, name);
        const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
        plans.push({
          name,
          columns: cols.map((c) => c.name).filter((c) => there.has(c)),
          deferred,
          key: pk.length > 0 && name !== 'documents_fts' ? pk.map((c) => c.name) : ['rowid'],
        });
      }

      await target.db.transaction().execute(async (trx) => {
        for (const p of plans) await sql.raw(`alter table ${ident(p.name)} disable trigger user`).execute(trx);
        // What the migrations wrote into the fresh target (their starting rows) gives way to the source's rows.
        for (const p of [...plans].reverse()) await sql.raw(`delete from ${ident(p.name)}`).execute(trx);
        for (const p of plans) for await (const rows of pages(source.db, p)) await bulkInsert(trx, p.name, p.columns, rows);
        // The references held back: set now that every row they point to is there (a few rows: one update each).
        for (const p of plans) {
          if (p.deferred.length === 0) continue;
          const idAt = p.columns.indexOf('id');
          if (idAt < 0) throw new Error(`table ${p.name}: a reference held back needs an id column`);
          for await (const rows of pages(source.db, { ...p, deferred: [] }))
            for (const row of rows)
              for (const c of p.deferred) {
                const value = row[p.columns.indexOf(c)];
                if (value !== null) await sql`update ${sql.raw(ident(p.name))} set ${sql.raw(ident(c))} = ${value} where id = ${row[idAt]}`.execute(trx);
              }
        }
        for (const p of plans) await sql.raw(`alter table ${ident(p.name)} enable trigger user`).execute(trx);
        // Identity columns: the next id follows the copied ones.
        const identities = await sql<{ table_name: string; column_name: string }>`select table_name, column_name from information_schema.columns
          where table_schema = current_schema() and is_identity = 'YES'`.execute(trx);
        for (const { table_name, column_name } of identities.rows)
          await sql`select setval(pg_get_serial_sequence(${ident(table_name)}, ${column_name}),
            coalesce((select max(${sql.raw(ident(column_name))}) from ${sql.raw(ident(table_name))}), 0) + 1, false)`.execute(trx);
      });

      const tables: CopyResult['tables'] = [];
      for (const p of plans) {
        const [from, to] = [await countRows(source.db, p.name), await countRows(target.db, p.name)];
        if (from !== to) throw new Error(`table ${p.name}: ${from} rows in the SQLite database, ${to} copied`);
        tables.push({ name: p.name, rows: to });
      }
      const copied = await verify(target.db, { headFile: null });
      if (!copied.ok) throw new Error(`the copied audit log does not verify: ${describeVerify(copied)}`);
      if (copied.checked !== chain.checked) throw new Error(`audit log: ${chain.checked} rows verified in the source, ${copied.checked} in the copy`);
      return { tables, auditRows: copied.checked };
    } finally {
      await target.db.destroy();
    }
  } finally {
    await source.close();
  }
}
