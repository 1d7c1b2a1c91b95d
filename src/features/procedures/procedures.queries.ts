import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { OnlineLevel, ProcedureKind, ProcedureStatus, ProceduresTable } from '../../core/db/schema';
import { escapeLike, foldDiacritics } from '../../core/text/fold';

/** A procedure with the code and name of its unit (null when it has none). */
export type ProcedureRow = Pick<
  Selectable<ProceduresTable>,
  | 'id'
  | 'code'
  | 'title'
  | 'field'
  | 'national_code'
  | 'processing_days'
  | 'online_level'
  | 'unit_id'
  | 'on_time_target'
  | 'kind'
  | 'status'
  | 'retired_reason'
  | 'retired_at'
  | 'version'
> & {
  unit_code: string | null;
  unit_name: string | null;
};

export interface ProcedureValues {
  code: string;
  title: string;
  field: string;
  national_code: string | null;
  processing_days: number | null;
  online_level: OnlineLevel;
  unit_id: number | null;
  on_time_target: number;
  /** Default 'administrative'; an import or form that does not give it keeps the procedure's kind. */
  kind?: ProcedureKind;
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
      'procedures.kind',
      'procedures.status',
      'procedures.retired_reason',
      'procedures.retired_at',
      'procedures.version',
    ])
    .where('procedures.organisation_id', '=', organisationOf(db));

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
  kind?: ProcedureKind;
}

/** The register, filtered; `q` matches code, national code and title, ignoring diacritics. */
export function listProcedures(db: Db, filter: ProcedureFilter, limit = 500, offset = 0): Promise<ProcedureRow[]> {
  return applyFilter(base(db), filter).orderBy('procedures.code').limit(limit).offset(offset).execute();
}

/** A row of the register page: the columns it shows. */
export type ProcedurePageRow = Pick<
  ProcedureRow,
  'id' | 'code' | 'title' | 'field' | 'national_code' | 'processing_days' | 'online_level' | 'kind' | 'status' | 'unit_code'
>;

/**
 * A page of the register with the number of procedures the filter matches, in one statement: the total is a window
 * count over the matches (computed before LIMIT), where the page used to count them in a second statement (the same
 * LIKE over every procedure again, and a round trip: on PostgreSQL about a quarter of a search page's CPU). Only the
 * columns the page shows are read. A page past the last one has no row to carry the total: then it is counted.
 */
export async function listProcedurePage(db: Db, filter: ProcedureFilter, limit: number, offset: number): Promise<{ rows: ProcedurePageRow[]; total: number }> {
  const found = await applyFilter(
    db
      .selectFrom('procedures')
      .leftJoin('units', 'units.id', 'procedures.unit_id')
      .where('procedures.organisation_id', '=', organisationOf(db))
      .select((eb) => [
        'procedures.id',
        'procedures.code',
        'procedures.title',
        'procedures.field',
        'procedures.national_code',
        'procedures.processing_days',
        'procedures.online_level',
        'procedures.kind',
        'procedures.status',
        'units.code as unit_code',
        eb.fn.countAll<number>().over().as('matching'),
      ]),
    filter,
  )
    .orderBy('procedures.code')
    // The first page's LIMIT as SQL text and no OFFSET: a prepared statement whose LIMIT is a parameter is planned
    // again on every run on PostgreSQL (no generic plan for an unknown limit).
    .limit(offset === 0 ? sql.lit(limit) : limit)
    .$if(offset > 0, (q) => q.offset(offset))
    .execute();
  if (found.length === 0) return { rows: [], total: offset === 0 ? 0 : await countProcedures(db, filter) };
  const total = Number(found[0].matching);
  return { rows: found.map(({ matching: _, ...row }) => row), total };
}

export async function countProcedures(db: Db, filter: ProcedureFilter): Promise<number> {
  const row = await applyFilter(
    db
      .selectFrom('procedures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('procedures.organisation_id', '=', organisationOf(db)),
    filter,
  ).executeTakeFirstOrThrow();
  return Number(row.n);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query builder with a where() of its own kind (Kysely has no type for it)
function applyFilter<Q extends { where: (...args: any[]) => Q }>(q: Q, filter: ProcedureFilter): Q {
  let out = q;
  if (filter.q) {
    const needle = `%${escapeLike(foldDiacritics(filter.q))}%`;
    out = out.where(sql<boolean>`procedures.search_text like ${needle} escape '\\'`);
  }
  if (filter.field) out = out.where('procedures.field', '=', filter.field);
  if (filter.unitId) out = out.where('procedures.unit_id', '=', filter.unitId);
  if (filter.status) out = out.where('procedures.status', '=', filter.status);
  if (filter.kind) out = out.where('procedures.kind', '=', filter.kind);
  return out;
}

export async function listFields(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('procedures')
    .select('field')
    .distinct()
    .where('organisation_id', '=', organisationOf(db))
    .where('field', '!=', '')
    .orderBy('field')
    .execute();
  return rows.map((r) => r.field);
}

/** Active procedures for selects in other features. */
export function listProcedureOptions(db: Db): Promise<{ id: number; code: string; title: string; unit_id: number | null }[]> {
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'title', 'unit_id'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
}

/** Whether more than `max` procedures are active: stops at the (max+1)-th, reading only an index. */
export async function hasMoreActiveProcedures(db: Db, max: number): Promise<boolean> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('procedures')
        .select(sql<number>`1`.as('one'))
        .where('organisation_id', '=', organisationOf(db))
        .where('status', '=', 'active')
        .limit(max + 1)
        .as('a'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n) > max;
}

/**
 * A procedure typed into a filter by its code or its national code (mã TTHC), any status; the code as typed, then
 * in capitals (codes are written in capitals), then the national code. One statement, by the unique and the
 * national-code indexes.
 */
export async function findProcedureByTypedCode(db: Db, typed: string): Promise<{ id: number; code: string } | undefined> {
  const upper = typed.toUpperCase();
  return (
    db
      .selectFrom('procedures')
      .select(['id', 'code'])
      // The organisation in each alternative: each is then one index's search ((organisation_id, code) or
      // (organisation_id, national_code)), not a walk of the organisation's procedures.
      .where((eb) => {
        const mine = eb('organisation_id', '=', organisationOf(db));
        return eb.or([eb.and([mine, eb('code', '=', typed)]), eb.and([mine, eb('code', '=', upper)]), eb.and([mine, eb('national_code', '=', typed)])]);
      })
      .orderBy(sql`case when code = ${typed} then 0 when code = ${upper} then 1 else 2 end`)
      .orderBy('code')
      .limit(1)
      .executeTakeFirst()
  );
}

/** A procedure's code by id (a filter reached by id shows the code in its text field). */
export async function findProcedureCode(db: Db, id: number): Promise<string | undefined> {
  return (await db.selectFrom('procedures').select('code').where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst())?.code;
}

export function searchTextOf(v: Pick<ProcedureValues, 'code' | 'title' | 'national_code' | 'field'>): string {
  return foldDiacritics(`${v.code} ${v.national_code ?? ''} ${v.title} ${v.field}`);
}

export async function insertProcedure(db: Db, values: ProcedureValues, at: string): Promise<number> {
  const row = await db
    .insertInto('procedures')
    .values({ ...values, search_text: searchTextOf(values), created_at: at, updated_at: at, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Its first terms row ("since registration") is written by the trigger procedure_terms_first.
  return row.id;
}

export async function updateProcedure(db: Db, id: number, values: ProcedureValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('procedures')
    .set({ ...values, search_text: searchTextOf(values), updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
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
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
