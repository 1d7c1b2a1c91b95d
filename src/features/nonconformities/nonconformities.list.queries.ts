import { sql, type ExpressionBuilder, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { DB } from '../../core/db/schema';
import { escapeLike } from '../../core/text/fold';
import { sortVi } from '../../core/text/collate';
import { hasMoreActiveProcedures } from '../procedures/procedures.queries';
import type { NonconformitiesTable } from './nonconformities.tables';
import { ACTIVE_STATUSES, NC_SEVERITIES, type NcSeverity, type NcSource, type NcStatus } from './nonconformities.model';

/** The register: filters, sorting and pages, shared by the list page and the CSV export. */

export const SORTS = ['code', 'detected_on', 'severity', 'status', 'procedure', 'next_due'] as const;
export type NcSort = (typeof SORTS)[number];

export interface NcFilter {
  /** A status, 'active' (every state before the end) or undefined (all). */
  status?: NcStatus | 'active';
  severity?: NcSeverity;
  source?: NcSource;
  procedureId?: number;
  unitId?: number;
  /** Only NCs with an overdue open action or a verification past its scheduled date. */
  overdue?: boolean;
  q?: string;
  /** Today's local date, for "overdue". */
  today: string;
  sort?: NcSort;
  dir?: 'asc' | 'desc';
}

export type NcListRow = Pick<
  Selectable<NonconformitiesTable>,
  'id' | 'code' | 'title' | 'status' | 'severity' | 'source' | 'clause' | 'detected_on' | 'cause_category' | 'verify_due_on' | 'closed_on'
> & {
  procedure_code: string | null;
  unit_code: string | null;
  responsible_name: string | null;
  reporter_name: string | null;
  repeat_of_code: string | null;
  open_actions: number;
  overdue_actions: number;
  next_due: string | null;
};

/**
 * Province scale (100,000 NCs): the count and the choice of a page's rows read `nonconformities` alone, since no
 * filter needs a joined table (a filter on one would join only that table here); the joins and the three action
 * subqueries then run for the page's rows only (a deferred join). Counting through five LEFT JOINs walked every
 * row with five lookups each, and `limit 50 offset 74950` built 75,000 full rows to keep 50.
 */
function ncOnly(db: Db) {
  return db.selectFrom('nonconformities as n').where('n.organisation_id', '=', organisationOf(db));
}
type NcOnly = ReturnType<typeof ncOnly>;
type NcEb = ExpressionBuilder<DB & { n: DB['nonconformities'] }, 'n'>;

/**
 * The NCs with their joined rows, for the ids a page chose from ncOnly (the organisation's own): restricted to those
 * ids, they need no second organisation filter, which would turn the lookups by id into a search of another index.
 */
function joinedForIds(db: Db) {
  return db
    .selectFrom('nonconformities as n')
    .leftJoin('procedures as p', 'p.id', 'n.procedure_id')
    .leftJoin('units as u', 'u.id', 'n.responsible_unit_id')
    .leftJoin('users as resp', 'resp.id', 'n.responsible_user_id')
    .leftJoin('users as rep', 'rep.id', 'n.reported_by')
    .leftJoin('nonconformities as r', 'r.id', 'n.repeat_of_id');
}
type Joined = ReturnType<typeof joinedForIds>;

/** The organisation's NCs with their joined rows. */
const joined = (db: Db): Joined => joinedForIds(db).where('n.organisation_id', '=', organisationOf(db));

const OPEN = ['planned', 'in_progress'] as const;

function applyFilter(q: NcOnly, f: NcFilter): NcOnly {
  let out = q;
  if (f.status === 'active') out = out.where('n.status', 'in', [...ACTIVE_STATUSES]);
  else if (f.status) out = out.where('n.status', '=', f.status);
  if (f.severity) out = out.where('n.severity', '=', f.severity);
  if (f.source) out = out.where('n.source', '=', f.source);
  if (f.procedureId) out = out.where('n.procedure_id', '=', f.procedureId);
  if (f.unitId) out = out.where('n.responsible_unit_id', '=', f.unitId);
  if (f.q) {
    // Case-insensitive on both engines: SQLite's LIKE ignores ASCII case, PostgreSQL's does not, so both sides are lowered.
    const needle = `%${escapeLike(f.q)}%`;
    out = out.where(sql<boolean>`(lower(n.code) like lower(${needle}) escape '\\' or lower(n.title) like lower(${needle}) escape '\\')`);
  }
  if (f.overdue) {
    out = out.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('nc_actions as a')
            .select('a.id')
            .whereRef('a.nonconformity_id', '=', 'n.id')
            .where('a.status', 'in', OPEN)
            .where('a.due_date', '<', f.today),
        ),
        eb.and([eb('n.status', '=', 'awaiting_verification'), eb('n.verify_due_on', '<', f.today)]),
      ]),
    );
  }
  return out;
}

/** The earliest due date of an NC's open actions (the register's "next due" column and sort). */
function nextDue(eb: NcEb) {
  return eb
    .selectFrom('nc_actions as a')
    .select((e) => e.fn.min<string>('a.due_date').as('m'))
    .whereRef('a.nonconformity_id', '=', 'n.id')
    .where('a.status', 'in', OPEN);
}

function withColumns(q: Joined, today: string) {
  return q.select((eb) => [
    'n.id',
    'n.code',
    'n.title',
    'n.status',
    'n.severity',
    'n.source',
    'n.clause',
    'p.code as procedure_code',
    'u.code as unit_code',
    'resp.full_name as responsible_name',
    'rep.full_name as reporter_name',
    'n.detected_on',
    'n.cause_category',
    'r.code as repeat_of_code',
    'n.verify_due_on',
    'n.closed_on',
    ...actionColumns(eb, today),
  ]);
}

/** Open actions, those overdue, and the earliest due date of an NC. */
function actionColumns(eb: NcEb, today: string) {
  return [
    eb
      .selectFrom('nc_actions as a')
      .select((e) => e.fn.countAll<number>().as('c'))
      .whereRef('a.nonconformity_id', '=', 'n.id')
      .where('a.status', 'in', OPEN)
      .as('open_actions'),
    eb
      .selectFrom('nc_actions as a')
      .select((e) => e.fn.countAll<number>().as('c'))
      .whereRef('a.nonconformity_id', '=', 'n.id')
      .where('a.status', 'in', OPEN)
      .where('a.due_date', '<', today)
      .as('overdue_actions'),
    nextDue(eb).as('next_due'),
  ] as const;
}

/**
 * Open actions, those overdue, and the earliest due date of each NC of a page (`page_ids`), in one grouped read of
 * their open actions (nc_actions_nc_due_idx: one index range per NC) instead of three correlated subqueries per row:
 * on PostgreSQL 50 index probes instead of 150 (450 of the page's 925 buffer hits). An NC without open actions has
 * no group (its counts are 0 and its next due date null: coalesced by the caller).
 */
function pageActionFigures(db: WithPageIds, today: string) {
  return db
    .selectFrom('nc_actions as a')
    .select((eb) => [
      'a.nonconformity_id',
      eb.fn.countAll<number>().as('open_actions'),
      eb.fn.sum<number>(eb.case().when('a.due_date', '<', today).then(sql.lit(1)).else(sql.lit(0)).end()).as('overdue_actions'),
      eb.fn.min<string>('a.due_date').as('next_due'),
    ])
    .where('a.nonconformity_id', 'in', (eb) => eb.selectFrom('page_ids').select('page_ids.id'))
    .where('a.status', 'in', OPEN)
    .groupBy('a.nonconformity_id');
}

type WithPageIds = Kysely<DB & { page_ids: { id: number } }>;

/**
 * The columns the list page shows, and only the joins they need, for the NCs of `ids` (kept once, as the CTE
 * page_ids, and read twice: the page's rows and their actions): the CSV's reporter, clause, cause and closing date
 * are not read, and a repeat is told by repeat_of_id instead of joining the earlier NC for its code. On PostgreSQL
 * every value of the 50 rows is parsed by the driver (about 30 µs of node CPU per column of a page).
 */
function pageColumns(db: Db, ids: Ids, today: string) {
  return db
    .with('page_ids', () => ids as unknown as SelectQueryBuilder<DB, 'nonconformities', { id: number }>)
    .selectFrom('nonconformities as n')
    .leftJoin('procedures as p', 'p.id', 'n.procedure_id')
    .leftJoin('units as u', 'u.id', 'n.responsible_unit_id')
    .leftJoin('users as resp', 'resp.id', 'n.responsible_user_id')
    .leftJoin(
      (eb) => pageActionFigures(eb as unknown as WithPageIds, today).as('act'),
      (join) => join.onRef('act.nonconformity_id', '=', 'n.id'),
    )
    .where('n.id', 'in', (eb) => eb.selectFrom('page_ids').select('page_ids.id'))
    .select((eb) => [
      'n.id',
      'n.code',
      'n.title',
      'n.status',
      'n.severity',
      'n.source',
      'p.code as procedure_code',
      'u.code as unit_code',
      'resp.full_name as responsible_name',
      'n.detected_on',
      'n.repeat_of_id',
      'n.verify_due_on',
      eb.fn.coalesce('act.open_actions', sql.lit(0)).as('open_actions'),
      eb.fn.coalesce('act.overdue_actions', sql.lit(0)).as('overdue_actions'),
      'act.next_due',
    ]);
}

/** A row of the list page (pageColumns). */
export type NcPageRow = Omit<NcListRow, 'clause' | 'reporter_name' | 'cause_category' | 'repeat_of_code' | 'closed_on'> & {
  repeat_of_id: number | null;
};

/** Every order ends with a unique key, so a page is the same whichever plan produces it. */
const SORT_SQL: Record<NcSort, string> = {
  code: 'n.year %DIR%, n.seq %DIR%',
  detected_on: 'n.detected_on %DIR%, n.id %DIR%',
  severity: "case n.severity when 'major' then 0 else 1 end %DIR%, n.id desc",
  status: `case n.status ${ACTIVE_STATUSES.map((s, i) => `when '${s}' then ${i}`).join(' ')} when 'closed' then 10 when 'cancelled' then 11 else 12 end %DIR%, n.id desc`,
  procedure: 'p.code is null, p.code %DIR%, n.id desc',
  // The output column by its bare name (PostgreSQL reads no expression of an output column in ORDER BY).
  next_due: 'next_due %DIR% nulls last, n.id desc',
};

/**
 * The same orders on `nonconformities` alone, for choosing a page's ids: the procedure's code and the next due date
 * are read by a subquery per NC instead of the join and the column of the full query (the same values), once per
 * row ("x dir nulls last" is "x is null, x dir").
 */
function idOrder(sort: NcSort, dir: 'asc' | 'desc') {
  const d = sql.raw(dir);
  if (sort === 'procedure') {
    const code = (eb: NcEb) => eb.selectFrom('procedures as p').select('p.code').whereRef('p.id', '=', 'n.procedure_id');
    return (eb: NcEb) => sql`${code(eb)} ${d} nulls last, n.id desc`;
  }
  if (sort === 'next_due') return (eb: NcEb) => sql`${nextDue(eb)} ${d} nulls last, n.id desc`;
  return () => sql.raw(SORT_SQL[sort].replaceAll('%DIR%', dir));
}

/** Beyond this many rows before a page's end, the merge of per-status runs reads more than one sort of the matches. */
const MERGE_MAX_ROWS = 2_000;

/**
 * A page's ids in code order when the filter names statuses (one, or 'active': six) but no severity: the index
 * (status, severity, year, seq) holds one run in code order per (status, severity) pair, so each pair's first
 * `offset + limit` ids are read from its run in order and only those are merged — instead of reading and sorting
 * every match (75,000 closed NCs at province scale for a page of 50: 7.4 → 0.7 ms). Other filters apply within
 * each run. Undefined (the plain query) when a severity is named too: with six statuses, building and merging
 * six runs cost more than sorting the ~2,000 matches (measured); also when the page is deep.
 */
function mergedCodeOrderIds(db: Db, f: NcFilter, dir: 'asc' | 'desc', limit: number, offset: number) {
  if (!f.status || f.severity || offset + limit > MERGE_MAX_ROWS) return undefined;
  const statuses: readonly NcStatus[] = f.status === 'active' ? ACTIVE_STATUSES : [f.status];
  const runs = statuses.flatMap((status) =>
    NC_SEVERITIES.map((severity) =>
      db
        .selectFrom(
          applyFilter(ncOnly(db), { ...f, status, severity })
            .select(['n.id', 'n.year', 'n.seq'])
            .orderBy('n.year', dir)
            .orderBy('n.seq', dir)
            .limit(rowCount(offset + limit, offset))
            .as('run'),
        )
        .selectAll(),
    ),
  );
  const merged = runs.slice(1).reduce((all, run) => all.unionAll(run), runs[0]);
  const page = db.selectFrom(merged.as('m')).select('m.id').orderBy('m.year', dir).orderBy('m.seq', dir).limit(rowCount(limit, offset));
  return offset === 0 ? page : page.offset(offset);
}

/**
 * A row count as SQL text when the page is the first (offset 0), a parameter otherwise. On PostgreSQL a prepared
 * statement whose LIMIT or OFFSET is a parameter never gets a generic plan (its cost is estimated for an unknown
 * limit), so it was planned again on every request: 3 ms of the register's 3.5 ms of database CPU. A constant
 * limit (the page size) and no offset give one plan per connection.
 */
const rowCount = (n: number, offset: number) => (offset === 0 ? sql.lit(n) : n);

type Ids = ReturnType<NcOnly['select']>;
const orderOf = (sort: NcSort, dir: 'asc' | 'desc') => sql.raw(SORT_SQL[sort].replaceAll('%DIR%', dir));

/** The full rows of a page (joins and action subqueries for those ids only), in the register's order. */
function pageRows(db: Db, ids: Ids, f: NcFilter, sort: NcSort, dir: 'asc' | 'desc') {
  return withColumns(joinedForIds(db).where('n.id', 'in', ids), f.today).orderBy(orderOf(sort, dir));
}

/** The list page's rows (pageColumns) for those ids, in the register's order. */
function shownRows(db: Db, ids: Ids, f: NcFilter, sort: NcSort, dir: 'asc' | 'desc') {
  return pageColumns(db, ids, f.today).orderBy(orderOf(sort, dir));
}

/** The ids of a page (merged runs of the status index, or the plain order). */
function idsOf(db: Db, f: NcFilter, sort: NcSort, dir: 'asc' | 'desc', limit: number, offset: number): Ids {
  return ((sort === 'code' ? mergedCodeOrderIds(db, f, dir, limit, offset) : undefined) ?? pageIds(db, f, sort, dir, limit, offset)) as Ids;
}

/** The page's ids from nonconformities alone (an index scan for the default order). */
function pageIds(db: Db, f: NcFilter, sort: NcSort, dir: 'asc' | 'desc', limit: number, offset: number) {
  const ids = applyFilter(ncOnly(db), f).select('n.id').orderBy(idOrder(sort, dir)).limit(rowCount(limit, offset));
  return offset === 0 ? ids : ids.offset(offset);
}

export function listNonconformities(db: Db, f: NcFilter, limit: number, offset: number): Promise<NcListRow[]> {
  const sort = f.sort ?? 'code';
  const dir = f.dir === 'asc' ? 'asc' : 'desc';
  return pageRows(db, idsOf(db, f, sort, dir, limit, offset), f, sort, dir).execute() as Promise<NcListRow[]>;
}

export async function countNonconformities(db: Db, f: NcFilter): Promise<number> {
  const row = await applyFilter(ncOnly(db), f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** nc_register_counts (migration 2026_12_08_1100_nc_register_counts): NCs per (year, status, severity), kept by triggers. */
interface NcRegisterCountsTable {
  organisation_id: number;
  year: number;
  status: string;
  severity: string;
  n: number;
}
const withCounts = (db: Db) => db.withTables<{ nc_register_counts: NcRegisterCountsTable }>();

/** A filter by status and severity only (or none): its total is read from nc_register_counts instead of counted. */
const countedByTable = (f: NcFilter) => !f.source && !f.procedureId && !f.unitId && !f.q && !f.overdue;

function tableTotal(db: Db, f: NcFilter) {
  let q = withCounts(db)
    .selectFrom('nc_register_counts as c')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('c.n'), sql.lit(0)).as('total'))
    .where('c.organisation_id', '=', organisationOf(db));
  if (f.status === 'active') q = q.where('c.status', 'in', [...ACTIVE_STATUSES]);
  else if (f.status) q = q.where('c.status', '=', f.status);
  if (f.severity) q = q.where('c.severity', '=', f.severity);
  return q;
}

/** Per year: how many NCs, and the last seq (from the (year, seq) index). */
function yearCounts(db: Db) {
  const org = organisationOf(db);
  return withCounts(db)
    .selectFrom('nc_register_counts as c')
    .select((eb) => [
      'c.year',
      eb.fn.sum<number>('c.n').as('n'),
      eb
        .selectFrom('nonconformities as m')
        .select((e) => e.fn.max<number>('m.seq').as('s'))
        .where('m.organisation_id', '=', org)
        .whereRef('m.year', '=', 'c.year')
        .as('last'),
    ])
    .where('c.organisation_id', '=', org)
    .groupBy('c.year')
    .having((eb) => eb.fn.sum('c.n'), '>', 0)
    .execute();
}

/**
 * The (year, seq) of the row at `offset` in code order, from the per-year counts: within a year whose seqs run
 * without a gap from 1 (the year's count is its last seq: seqs are unique and ≥ 1), the row `k` places after the
 * year's first is seq last − k (newest first) or k + 1. 'end' past the last row; undefined when that year's seqs
 * have a gap (then the page is found by its offset).
 */
function seekKey(years: { year: number; n: number; last: number | null }[], dir: 'asc' | 'desc', offset: number): [number, number] | 'end' | undefined {
  let rest = offset;
  for (const y of [...years].sort((a, b) => (dir === 'desc' ? b.year - a.year : a.year - b.year))) {
    const n = Number(y.n);
    if (rest < n) {
      if (Number(y.last) !== n) return undefined;
      return [y.year, dir === 'desc' ? n - rest : rest + 1];
    }
    rest -= n;
  }
  return 'end';
}

/**
 * A page of the register (the list page) with the number of rows the filter matches. Filtered by status and
 * severity only, or not at all, the total is read from nc_register_counts (in the page's own statement), and a
 * page of the whole register in code order after the first starts at its first row's (year, seq) from the
 * per-year counts: 50 index entries instead of walking past the rows before it (page 1500: 75,000). Other filters
 * count their matches as before, and only when the page is full (a short page's rows give the total).
 */
export async function listRegisterPage(db: Db, f: NcFilter, limit: number, offset: number): Promise<{ rows: NcPageRow[]; total: number }> {
  const sort = f.sort ?? 'code';
  const dir = f.dir === 'asc' ? 'asc' : 'desc';
  const byOffset = () => shownRows(db, idsOf(db, f, sort, dir, limit, offset), f, sort, dir).execute() as Promise<NcPageRow[]>;
  if (!countedByTable(f)) {
    const rows = await byOffset();
    const total = rows.length < limit && (rows.length > 0 || offset === 0) ? offset + rows.length : await countNonconformities(db, f);
    return { rows, total };
  }
  if (sort === 'code' && !f.status && !f.severity && offset > 0) {
    const years = await yearCounts(db);
    const total = years.reduce((s, y) => s + Number(y.n), 0);
    const key = seekKey(years, dir, offset);
    if (key === 'end') return { rows: [], total };
    if (key === undefined) return { rows: await byOffset(), total };
    const ids = ncOnly(db)
      .select('n.id')
      .where((eb) => eb(eb.refTuple('n.year', 'n.seq'), dir === 'desc' ? '<=' : '>=', eb.tuple(key[0], key[1])))
      .orderBy('n.year', dir)
      .orderBy('n.seq', dir)
      .limit(sql.lit(limit));
    return { rows: await shownRows(db, ids, f, sort, dir).execute(), total };
  }
  const found = await shownRows(db, idsOf(db, f, sort, dir, limit, offset), f, sort, dir)
    .select(tableTotal(db, f).as('register_total'))
    .execute();
  if (found.length === 0) return { rows: [], total: offset === 0 ? 0 : Number((await tableTotal(db, f).executeTakeFirstOrThrow()).total) };
  const total = Number(found[0].register_total);
  return { rows: found.map(({ register_total: _, ...row }) => row), total };
}

/**
 * The register's filter form in one statement: the active units of the unit select (as listUnitOptions gives them:
 * "code — name", in Vietnamese order) and whether more than `maxProcedures` procedures are active (the procedure
 * filter is then a code field: procedures.filter.ts), the latter an uncorrelated subquery read once and carried by
 * every unit row. They were two statements, each a round trip (on PostgreSQL about 0.3 ms of node CPU per statement
 * for the driver's protocol work). With no active unit no row carries it: it is then read alone.
 */
export async function registerFormData(db: Db, maxProcedures: number): Promise<{ unitOptions: { value: number; label: string }[]; manyProcedures: boolean }> {
  const rows = await db
    .selectFrom('units as u')
    .select((eb) => [
      'u.id',
      'u.code',
      'u.name',
      eb
        .selectFrom((e) =>
          e
            .selectFrom('procedures as p')
            .select(sql<number>`1`.as('one'))
            .where('p.organisation_id', '=', organisationOf(db))
            .where('p.status', '=', 'active')
            .limit(sql.lit(maxProcedures + 1))
            .as('a'),
        )
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('active_procedures'),
    ])
    .where('u.organisation_id', '=', organisationOf(db))
    .where('u.active', '=', 1)
    .execute();
  const manyProcedures = rows.length > 0 ? Number(rows[0].active_procedures) > maxProcedures : await hasMoreActiveProcedures(db, maxProcedures);
  const unitOptions = sortVi(
    rows,
    (r) => r.code,
    (r) => r.name,
  ).map((r) => ({ value: r.id, label: `${r.code} — ${r.name}` }));
  return { unitOptions, manyProcedures };
}

/** NCs a user may see without being a manager: reported by them, under their responsibility, or with an action they own. */
export function listNcsOfUser(db: Db, userId: number, today: string): Promise<NcListRow[]> {
  const mine = joined(db).where((eb) =>
    eb.or([
      eb('n.reported_by', '=', userId),
      eb('n.responsible_user_id', '=', userId),
      eb.exists(eb.selectFrom('nc_actions as o').select('o.id').whereRef('o.nonconformity_id', '=', 'n.id').where('o.owner_id', '=', userId)),
    ]),
  );
  return withColumns(mine, today).orderBy('n.year', 'desc').orderBy('n.seq', 'desc').limit(200).execute() as Promise<NcListRow[]>;
}
