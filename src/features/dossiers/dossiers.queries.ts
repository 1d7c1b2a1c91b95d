import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { findProcedure, type ProcedureRow } from '../procedures/procedures.queries';
import { escapeLike } from '../../core/text/fold';
import { filterCondition, periodStatusColumn, type ListFilter, type PeriodStatus } from './dossiers.figures.queries';
import type { DossiersTable } from './dossiers.tables';

/** A dossier with the code and title of its procedure. */
export type DossierRow = Pick<
  Selectable<DossiersTable>,
  | 'id'
  | 'code'
  | 'procedure_id'
  | 'received_on'
  | 'received_at'
  | 'due_on'
  | 'due_computed'
  | 'returned_on'
  | 'returned_at'
  | 'outcome'
  | 'channel'
  | 'handling_unit'
  | 'unit_id'
  | 'updated_import_id'
> & {
  procedure_code: string;
  procedure_title: string;
  /** The organisation unit the handling unit names, when it names one. */
  unit_code: string | null;
  unit_name: string | null;
};

export interface DossierListRow extends DossierRow {
  /** Standing in the listed period (null when the period does not deal with it). */
  period_status: PeriodStatus | null;
}

export interface DossierFilter {
  procedureId: number;
  from: string;
  to: string;
  status: ListFilter;
  /** Part of the dossier code. */
  q?: string;
}

const COLUMNS = [
  'd.id',
  'd.code',
  'd.procedure_id',
  'p.code as procedure_code',
  'p.title as procedure_title',
  'd.received_on',
  'd.received_at',
  'd.due_on',
  'd.due_computed',
  'd.returned_on',
  'd.returned_at',
  'd.outcome',
  'd.channel',
  'd.handling_unit',
  'd.unit_id',
  'u.code as unit_code',
  'u.name as unit_name',
  'd.updated_import_id',
] as const;

const base = (db: Db) => db.selectFrom('dossiers as d').innerJoin('procedures as p', 'p.id', 'd.procedure_id').leftJoin('units as u', 'u.id', 'd.unit_id');

/**
 * A procedure's dossiers: `procedureId` is one of the organisation's (found by findOwnProcedureByCode), and its
 * dossiers are the organisation's (references never cross organisations), so the covering figures index, which
 * leads with procedure_id, still serves alone.
 */
function filtered(db: Db, f: DossierFilter) {
  let q = base(db)
    .where('d.procedure_id', '=', f.procedureId)
    .where(filterCondition(f.status, f.from, f.to));
  if (f.q) q = q.where(sql<boolean>`d.code like ${`%${escapeLike(f.q)}%`} escape '\\'`);
  return q;
}

/** A dossier of the organisation by id (another organisation's is not found). */
export function findDossier(db: Db, id: number): Promise<DossierRow | undefined> {
  return base(db).select(COLUMNS).where('d.id', '=', id).where('d.organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

/**
 * A procedure of the organisation by its code (another organisation's code is not found): its id by the unique
 * (organisation_id, code) index, then the procedure's row as the procedures feature reads it.
 */
export async function findOwnProcedureByCode(db: Db, code: string): Promise<ProcedureRow | undefined> {
  const found = await db.selectFrom('procedures').select('id').where('organisation_id', '=', organisationOf(db)).where('code', '=', code).executeTakeFirst();
  return found ? findProcedure(db, found.id) : undefined;
}

/** One page of a procedure's dossiers that match the period filter, newest receipt first. */
export function listDossiers(db: Db, f: DossierFilter, limit: number, offset: number): Promise<DossierListRow[]> {
  return filtered(db, f)
    .select(COLUMNS)
    .select(periodStatusColumn(f.from, f.to).as('period_status'))
    .orderBy('d.received_on', 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countDossiers(db: Db, f: DossierFilter): Promise<number> {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Every matching dossier in chunks (CSV export of any size): keyset pages by (received_on, id), so the database is
 * never held while a slow client reads.
 */
export async function* eachDossier(db: Db, f: DossierFilter, chunk = 2000): AsyncGenerator<DossierListRow> {
  let after: { received_on: string; id: number } | null = null;
  for (;;) {
    let q = filtered(db, f).select(COLUMNS).select(periodStatusColumn(f.from, f.to).as('period_status'));
    if (after) {
      const a: { received_on: string; id: number } = after;
      q = q.where(sql<boolean>`(d.received_on > ${a.received_on} or (d.received_on = ${a.received_on} and d.id > ${a.id}))`);
    }
    const rows = await q.orderBy('d.received_on').orderBy('d.id').limit(chunk).execute();
    yield* rows;
    if (rows.length < chunk) return;
    const last = rows[rows.length - 1];
    after = { received_on: last.received_on, id: last.id };
  }
}

/** Code and title of the organisation's procedures by id (retired ones included: their dossiers still count). */
export function listProceduresByIds(
  db: Db,
  ids: number[],
): Promise<{ id: number; code: string; title: string; processing_days: number | null; on_time_target: number }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'title', 'processing_days', 'on_time_target'])
    .where('organisation_id', '=', organisationOf(db))
    .where('id', 'in', ids)
    .orderBy('code')
    .execute();
}
