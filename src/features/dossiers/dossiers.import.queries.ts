import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { bulkInsert, bulkInsertIds, bulkUpdate, dropSecondaryIndexes, findByKeys, suspendTriggers, type Suspended } from '../../core/db/dialect/bulk';
import type { DossierValues } from './dossiers.packed';
import type { DossierImportsTable, DossierImportVia } from './dossiers.tables';

/** Import history and the bulk writes of a dossier import. */

/** An import with the full name of its importer and the import it repeats, if any. */
export type DossierImportRow = Omit<Selectable<DossierImportsTable>, 'organisation_id'> & {
  imported_by_name: string | null;
  /** The earliest import of the same bytes, when this one repeats it. */
  same_as_id: number | null;
};

export async function insertDossierImport(
  trx: Db,
  values: {
    file_name: string;
    sha256: string;
    via: DossierImportVia;
    imported_by: number | null;
    imported_at: string;
    rows_total: number;
    rows_added: number;
    rows_updated: number;
    rows_unchanged: number;
  },
): Promise<number> {
  const row = await trx
    .insertInto('dossier_imports')
    .values({ ...values, organisation_id: organisationOf(trx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
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
        // The same bytes imported earlier by the same organisation (another's imports are not this one's history).
        .where('e.organisation_id', '=', organisationOf(db))
        .whereRef('e.sha256', '=', 'i.sha256')
        .whereRef('e.id', '<', 'i.id')
        .as('same_as_id'),
    ])
    .where('i.organisation_id', '=', organisationOf(db));

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
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A stored dossier as a positional tuple (fast path of bulk imports), in the order of STORED_COLUMNS. */
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

const VALUE_COLUMNS = [
  'procedure_id',
  'received_on',
  'received_at',
  'due_on',
  'due_computed',
  'returned_on',
  'returned_at',
  'outcome',
  'channel',
  'handling_unit',
  'unit_id',
] as const satisfies readonly (keyof DossierValues)[];
const STORED_COLUMNS = ['id', ...VALUE_COLUMNS];
const INSERT_COLUMNS = ['code', ...VALUE_COLUMNS];
const UPDATE_COLUMNS = [...VALUE_COLUMNS, 'updated_import_id', 'updated_at'];

/** The stored dossiers of these codes, in their order (undefined: not stored). */
export async function findDossiersByCode(trx: Db, codes: readonly string[]): Promise<(StoredDossierTuple | undefined)[]> {
  return (await findByKeys(trx, 'dossiers', 'code', codes, STORED_COLUMNS, { column: 'organisation_id', value: organisationOf(trx) })) as (
    StoredDossierTuple | undefined
  )[];
}

const valuesRow = (v: DossierValues) => [
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
];

/**
 * New dossiers of the organisation, in the given order (their ids follow it), created and last changed by the import
 * `importId`. The organisation is written with the values every row shares (once per statement).
 */
export async function insertDossiers(trx: Db, dossiers: readonly { code: string; values: DossierValues }[], importId: number, at: string): Promise<void> {
  await bulkInsert(trx, 'dossiers', INSERT_COLUMNS, insertRows(dossiers), insertSame(trx, importId, at));
}

/** insertDossiers, answering the new dossiers' ids in the given order (for their audit entries). */
export async function insertDossiersIds(
  trx: Db,
  dossiers: readonly { code: string; values: DossierValues }[],
  importId: number,
  at: string,
): Promise<number[]> {
  if (dossiers.length === 0) return [];
  const organisation = organisationOf(trx);
  return bulkInsertIds(trx, 'dossiers', INSERT_COLUMNS, insertRows(dossiers), insertSame(trx, importId, at), {
    column: 'code',
    within: { column: 'organisation_id', value: organisation },
  });
}

const insertRows = (dossiers: readonly { code: string; values: DossierValues }[]) => dossiers.map((d) => [d.code, ...valuesRow(d.values)]);
const insertSame = (trx: Db, importId: number, at: string) => ({
  created_import_id: importId,
  updated_import_id: importId,
  created_at: at,
  updated_at: at,
  organisation_id: organisationOf(trx),
});

/** Stored dossiers given new values by the import `importId` (their ids were found within the organisation: findDossiersByCode). */
export async function updateDossiers(trx: Db, dossiers: readonly { id: number; values: DossierValues }[], importId: number, at: string): Promise<void> {
  await bulkUpdate(
    trx,
    'dossiers',
    'id',
    UPDATE_COLUMNS,
    dossiers.map((d) => [d.id, ...valuesRow(d.values), importId, at]),
  );
}

/** Every procedure of the organisation: id, own code and national code, by id (what an import recognises a procedure by). */
export function listProcedureCodes(db: Db): Promise<{ id: number; code: string; national_code: string | null }[]> {
  return db.selectFrom('procedures').select(['id', 'code', 'national_code']).where('organisation_id', '=', organisationOf(db)).orderBy('id').execute();
}

/** A procedure an import recognises, with one of its terms (effective_from null: a procedure without any). */
export interface ProcedureTermRow {
  id: number;
  code: string;
  national_code: string | null;
  effective_from: string | null;
  processing_days: number | null;
}

/**
 * The procedures of the organisation whose own or national code is one of `codes`, each with its terms (one row per
 * term), by id then date: one statement for up to 500 codes (an API push names few).
 */
export async function listProcedureTermsIn(db: Db, codes: readonly string[]): Promise<ProcedureTermRow[]> {
  const organisation = organisationOf(db);
  const out: ProcedureTermRow[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500);
    const rows = await db
      .selectFrom('procedures as p')
      .leftJoin('procedure_terms as t', (j) => j.onRef('t.procedure_id', '=', 'p.id').on('t.organisation_id', '=', organisation))
      .select(['p.id', 'p.code', 'p.national_code', 't.effective_from', 't.processing_days'])
      .where('p.organisation_id', '=', organisation)
      .where((eb) => eb.or([eb('p.code', 'in', chunk), eb('p.national_code', 'in', chunk)]))
      .orderBy('p.id')
      .orderBy('t.effective_from')
      .execute();
    // a procedure named in two chunks comes back twice: keep its rows once
    for (const r of rows) {
      const key = `${r.id} ${r.effective_from}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out.sort((x, y) => x.id - y.id || (x.effective_from ?? '').localeCompare(y.effective_from ?? ''));
}

/**
 * The largest dossier id (0 when there are none): the import's new rows all come after it. Over every organisation's
 * dossiers on purpose: it is a bound of the table's ids, not a figure of anyone's data (the rows after it are then
 * picked by this import's id), and the primary key answers it at once where a per-organisation max walks the rows.
 */
export async function maxDossierId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  return Number(row?.m ?? 0);
}

/** The organisation's dossiers. */
export async function countAllDossiers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Bulk loads: drops the secondary indexes of `dossiers` (not the unique code index, which the import looks codes up
 * in), to be rebuilt by restore() — sorting once is far faster than a million random index insertions. Inside the
 * import's transaction, so a failure restores them. SQLite only (see dropSecondaryIndexes).
 */
export function dropDossierSecondaryIndexes(trx: Db): Promise<Suspended> {
  return dropSecondaryIndexes(trx, 'dossiers');
}

/** The row triggers of migration 2026_12_05_1000_dossier_stats_deltas that move a changed dossier's counts. */
const STATS_TRIGGERS = ['dossier_stats_on_insert', 'dossier_stats_on_update'];

/**
 * Bulk writes: suspends the triggers that keep the summary rows row by row (each firing costs more than the insert
 * itself) until restore(). Inside the import's transaction, which marks the procedures itself
 * (markDossierStatsDirty): other connections never see the table without its triggers.
 */
export function suspendDossierStatsTriggers(trx: Db): Promise<Suspended> {
  return suspendTriggers(trx, 'dossiers', STATS_TRIGGERS);
}

/** Marks procedures whose dossiers changed, so that their summary rows are recomputed before the next read. */
export async function markDossierStatsDirty(trx: Db, procedureIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(procedureIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await sql`insert into dossier_stats_dirty (procedure_id) values ${sql.join(chunk.map((id) => sql`(${id})`))}
      on conflict (procedure_id) do nothing`.execute(trx);
  }
}

/** Takes procedures off dossier_stats_dirty: their summary rows were brought up to date (addNewDossierStats). */
export async function unmarkDossierStats(trx: Db, procedureIds: readonly number[]): Promise<void> {
  for (let i = 0; i < procedureIds.length; i += 500) {
    await sql`delete from dossier_stats_dirty where procedure_id in (${sql.join(procedureIds.slice(i, i + 500))})`.execute(trx);
  }
}
