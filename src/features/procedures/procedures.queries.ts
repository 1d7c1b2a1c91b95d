import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import type { OnlineLevel, ProcedureStatus } from '../../core/db/schema';
import { escapeLike, foldDiacritics } from '../../core/text/fold';

export interface ProcedureRow {
  id: number;
  code: string;
  title: string;
  field: string;
  national_code: string | null;
  processing_days: number | null;
  online_level: OnlineLevel;
  unit_id: number | null;
  unit_code: string | null;
  unit_name: string | null;
  on_time_target: number;
  status: ProcedureStatus;
  retired_reason: string | null;
  retired_at: string | null;
  version: number;
}

export interface ProcedureValues {
  code: string;
  title: string;
  field: string;
  national_code: string | null;
  processing_days: number | null;
  online_level: OnlineLevel;
  unit_id: number | null;
  on_time_target: number;
}

const base = (db: Db) =>
  db
    .selectFrom('procedures')
    .leftJoin('units', 'units.id', 'procedures.unit_id')
    .select([
      'procedures.id',
      'procedures.code',
      'procedures.title',
      'procedures.field',
      'procedures.national_code',
      'procedures.processing_days',
      'procedures.online_level',
      'procedures.unit_id',
      'units.code as unit_code',
      'units.name as unit_name',
      'procedures.on_time_target',
      'procedures.status',
      'procedures.retired_reason',
      'procedures.retired_at',
      'procedures.version',
    ]);

export function findProcedure(db: Db, id: number): Promise<ProcedureRow | undefined> {
  return base(db).where('procedures.id', '=', id).executeTakeFirst();
}

export function findProcedureByCode(db: Db, code: string): Promise<ProcedureRow | undefined> {
  return base(db).where('procedures.code', '=', code).executeTakeFirst();
}

/** A procedure by its own code or, failing that, its national code (mã TTHC). */
export async function findProcedureByAnyCode(db: Db, code: string): Promise<ProcedureRow | undefined> {
  return (await findProcedureByCode(db, code)) ?? base(db).where('procedures.national_code', '=', code).executeTakeFirst();
}

export interface ProcedureFilter {
  q?: string;
  field?: string;
  unitId?: number;
  status?: ProcedureStatus;
}

/** The register, filtered; `q` matches code, national code and title, ignoring diacritics. */
export function listProcedures(db: Db, filter: ProcedureFilter, limit = 500, offset = 0): Promise<ProcedureRow[]> {
  return applyFilter(base(db), filter).orderBy('procedures.code').limit(limit).offset(offset).execute();
}

export async function countProcedures(db: Db, filter: ProcedureFilter): Promise<number> {
  const row = await applyFilter(db.selectFrom('procedures').select((eb) => eb.fn.countAll<number>().as('n')), filter).executeTakeFirstOrThrow();
  return Number(row.n);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function applyFilter<Q extends { where: (...args: any[]) => Q }>(q: Q, filter: ProcedureFilter): Q {
  let out = q;
  if (filter.q) {
    const needle = `%${escapeLike(foldDiacritics(filter.q))}%`;
    out = out.where(sql<boolean>`procedures.search_text like ${needle} escape '\\'`);
  }
  if (filter.field) out = out.where('procedures.field', '=', filter.field);
  if (filter.unitId) out = out.where('procedures.unit_id', '=', filter.unitId);
  if (filter.status) out = out.where('procedures.status', '=', filter.status);
  return out;
}

export async function listFields(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('procedures').select('field').distinct().where('field', '!=', '').orderBy('field').execute();
  return rows.map((r) => r.field);
}

/** Active procedures for selects in other features. */
export function listProcedureOptions(db: Db): Promise<{ id: number; code: string; title: string; unit_id: number | null }[]> {
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'title', 'unit_id'])
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
}

export function searchTextOf(v: Pick<ProcedureValues, 'code' | 'title' | 'national_code' | 'field'>): string {
  return foldDiacritics(`${v.code} ${v.national_code ?? ''} ${v.title} ${v.field}`);
}

export async function insertProcedure(db: Db, values: ProcedureValues, at: string): Promise<number> {
  const row = await db
    .insertInto('procedures')
    .values({ ...values, search_text: searchTextOf(values), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProcedure(db: Db, id: number, values: ProcedureValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('procedures')
    .set({ ...values, search_text: searchTextOf(values), updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateProcedureStatus(
  db: Db,
  id: number,
  change: { status: ProcedureStatus; retired_reason: string | null; retired_at: string | null },
  version: number,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('procedures')
    .set({ ...change, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
