import { sql, type Selectable } from 'kysely';
import type { Db, RawSqlite } from '../../core/db/database';
import type { DossierValues } from './dossiers.packed';
import type { DossierImportsTable, DossierImportVia } from './dossiers.tables';

/** Import history and the bulk writes of a dossier import. */

/** An import with the full name of its importer and the import it repeats, if any. */
export type DossierImportRow = Selectable<DossierImportsTable> & {
  imported_by_name: string | null;
  /** The earliest import of the same bytes, when this one repeats it. */
  same_as_id: number | null;
};

export async function insertDossierImport(
  trx: Db,
  values: { file_name: string; sha256: string; via: DossierImportVia; imported_by: number | null; imported_at: string },
): Promise<number> {
  const row = await trx.insertInto('dossier_imports').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDossierImportCounts(
  trx: Db,
  id: number,
  counts: { rows_total: number; rows_added: number; rows_updated: number; rows_unchanged: number },
): Promise<void> {
  await trx.updateTable('dossier_imports').set(counts).where('id', '=', id).execute();
}

const importBase = (db: Db) =>
  db
    .selectFrom('dossier_imports as i')
    .leftJoin('users as u', 'u.id', 'i.imported_by')
    .select((eb) => [
      'i.id',
      'i.file_name',
      'i.sha256',
      'i.via',
      'i.imported_by',
      'u.full_name as imported_by_name',
      'i.imported_at',
      'i.rows_total',
      'i.rows_added',
      'i.rows_updated',
      'i.rows_unchanged',
      eb
        .selectFrom('dossier_imports as e')
        .select((e) => e.fn.min('e.id').as('m'))
        .whereRef('e.sha256', '=', 'i.sha256')
        .whereRef('e.id', '<', 'i.id')
        .as('same_as_id'),
    ]);

export function listDossierImports(db: Db, limit: number, offset: number): Promise<DossierImportRow[]> {
  return importBase(db).orderBy('i.id', 'desc').limit(limit).offset(offset).execute();
}

export function findDossierImport(db: Db, id: number): Promise<DossierImportRow | undefined> {
  return importBase(db).where('i.id', '=', id).executeTakeFirst();
}

export async function countDossierImports(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dossier_imports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A stored dossier as a positional tuple (fast path of bulk imports). */
export type StoredDossierTuple = [
  id: number,
  procedure_id: number,
  received_on: string,
  received_at: string | null,
  due_on: string,
  due_computed: number,
  returned_on: string | null,
  returned_at: string | null,
  outcome: string | null,
  channel: string,
  handling_unit: string | null,
  unit_id: number | null,
];

export interface DossierWriter {
  find(code: string): StoredDossierTuple | undefined;
  /** Buffers the row; rows are inserted INSERT_BATCH at a time. Call flush() before relying on them. */
  insert(code: string, v: DossierValues, importId: number, at: string): void;
  flush(): void;
  update(id: number, v: DossierValues, importId: number, at: string): void;
}

const INSERT_BATCH = 32;
const INSERT_COLUMNS = `code, procedure_id, received_on, received_at, due_on, due_computed, returned_on, returned_at, outcome, channel,
  handling_unit, unit_id, created_import_id, updated_import_id, created_at, updated_at`;
const INSERT_WIDTH = 16;
const INSERT_TUPLE = `(${Array(INSERT_WIDTH).fill('?').join(', ')})`;

/**
 * Prepared better-sqlite3 statements for writing a whole import synchronously. Call only inside a transaction that
 * holds the connection (the caller's Kysely transaction): the statements run on the same connection.
 */
export function prepareDossierWriter(sqlite: RawSqlite): DossierWriter {
  const find = sqlite
    .prepare(
      `select id, procedure_id, received_on, received_at, due_on, due_computed, returned_on, returned_at, outcome, channel,
         handling_unit, unit_id
       from dossiers where code = ?`,
    )
    .raw(true);
  const insertOne = sqlite.prepare(`insert into dossiers (${INSERT_COLUMNS}) values ${INSERT_TUPLE}`);
  const insertBatch = sqlite.prepare(`insert into dossiers (${INSERT_COLUMNS}) values ${Array(INSERT_BATCH).fill(INSERT_TUPLE).join(', ')}`);
  let buffered: unknown[] = [];
  const update = sqlite.prepare(
    `update dossiers set procedure_id = ?, received_on = ?, received_at = ?, due_on = ?, due_computed = ?, returned_on = ?, returned_at = ?,
       outcome = ?, channel = ?, handling_unit = ?, unit_id = ?, updated_import_id = ?, updated_at = ?
     where id = ?`,
  );
  return {
    find: (code) => find.get(code) as StoredDossierTuple | undefined,
    insert: (code, v, importId, at) => {
      buffered.push(
        code,
        v.procedure_id,
        v.received_on,
        v.received_at,
        v.due_on,
        v.due_computed,
        v.returned_on,
        v.returned_at,
        v.outcome,
        v.channel,
        v.handling_unit,
        v.unit_id,
        importId,
        importId,
        at,
        at,
      );
      if (buffered.length === INSERT_BATCH * INSERT_WIDTH) {
        insertBatch.run(buffered);
        buffered = [];
      }
    },
    flush: () => {
      for (let at = 0; at < buffered.length; at += INSERT_WIDTH) insertOne.run(buffered.slice(at, at + INSERT_WIDTH));
      buffered = [];
    },
    update: (id, v, importId, at) => {
      update.run(
        v.procedure_id,
        v.received_on,
        v.received_at,
        v.due_on,
        v.due_computed,
        v.returned_on,
        v.returned_at,
        v.outcome,
        v.channel,
        v.handling_unit,
        v.unit_id,
        importId,
        at,
        id,
      );
    },
  };
}

export async function countAllDossiers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Bulk loads: drops the secondary indexes of `dossiers` (not the unique code index, which the import looks codes up
 * in) and returns their own CREATE statements, read from the schema, to rebuild them afterwards with
 * recreateIndexes — sorting once is far faster than a million random index insertions. Inside the import's
 * transaction, so a failure restores them.
 */
export async function dropDossierSecondaryIndexes(trx: Db): Promise<string[]> {
  const result = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master
    where type = 'index' and tbl_name = 'dossiers' and sql is not null and sql not like 'create unique%' collate nocase`.execute(trx);
  for (const index of result.rows) await sql`drop index ${sql.ref(index.name)}`.execute(trx);
  return result.rows.map((r) => r.sql);
}

/** Runs CREATE statements returned by dropDossierSecondaryIndexes or suspendDossierStatsTriggers. */
export async function recreateIndexes(trx: Db, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(trx);
}

/** Page cache while a bulk import rebuilds its indexes (KiB, as a negative cache_size): see rebuildIndexes. */
const REBUILD_CACHE_KIB = 4000;

/**
 * Rebuilds the indexes dropped by dropDossierSecondaryIndexes with a second sorting thread (PRAGMA threads = 2) and
 * a 4 MB page cache, then gives the connection back its own settings. Each sorting thread holds up to the page
 * cache in memory, so the smaller cache keeps the peak where one thread left it; the rebuild of the covering index
 * over 3,000,000 dossiers takes 2.4 s instead of 4.5 s (province benchmark). On the caller's connection, inside its
 * transaction.
 */
export async function rebuildIndexes(trx: Db, sqlite: RawSqlite, statements: string[]): Promise<void> {
  if (statements.length === 0) return;
  const threads = Number(sqlite.pragma('threads', { simple: true }));
  const cacheSize = Number(sqlite.pragma('cache_size', { simple: true }));
  sqlite.pragma('threads = 2');
  sqlite.pragma(`cache_size = ${-REBUILD_CACHE_KIB}`);
  try {
    await recreateIndexes(trx, statements);
  } finally {
    sqlite.pragma(`threads = ${threads}`);
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
}

/** The row triggers of migration …1900_performance_indexes that mark a changed dossier's procedure as dirty. */
const STATS_TRIGGERS = ['dossier_stats_on_insert', 'dossier_stats_on_update'];

/**
 * Bulk writes: drops the triggers that mark dossier_stats_dirty row by row (each firing costs more than the insert
 * itself) and returns their own CREATE statements for recreateIndexes. Inside the import's transaction, which marks
 * the procedures itself (markDossierStatsDirty): other connections never see the table without its triggers.
 */
export async function suspendDossierStatsTriggers(trx: Db): Promise<string[]> {
  const result = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master
    where type = 'trigger' and tbl_name = 'dossiers' and name in (${sql.join(STATS_TRIGGERS)}) order by name`.execute(trx);
  for (const trigger of result.rows) await sql`drop trigger ${sql.ref(trigger.name)}`.execute(trx);
  return result.rows.map((r) => r.sql);
}

/** Marks procedures whose dossiers changed, so that their summary rows are recomputed before the next read. */
export async function markDossierStatsDirty(trx: Db, procedureIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(procedureIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await sql`insert or ignore into dossier_stats_dirty (procedure_id) values ${sql.join(chunk.map((id) => sql`(${id})`))}`.execute(trx);
  }
}
