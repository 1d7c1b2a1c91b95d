import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { HolidayKind, HolidaysTable } from './holidays.tables';

/**
 * Whose days a query reads or writes: an organisation's own (its id) or everyone's (null: the country's calendar,
 * set once for every organisation). An organisation's working-day calendar is everyone's days and its own, its own
 * entry of a date winning over everyone's entry of that date.
 */
export type CalendarOwner = number | null;
export const EVERYONE: CalendarOwner = null;

/** A holiday with the full name of whoever cancelled it (null when not cancelled); `own`: the organisation's own day. */
export type HolidayRow = Pick<
  Selectable<HolidaysTable>,
  'id' | 'date' | 'kind' | 'name' | 'cancelled' | 'cancelled_reason' | 'cancelled_at' | 'cancelled_by' | 'version' | 'organisation_id'
> & {
  cancelled_by_name: string | null;
};

export interface HolidayValues {
  date: string;
  kind: HolidayKind;
  name: string;
}

const base = (db: Db) =>
  db
    .selectFrom('holidays')
    .leftJoin('users', 'users.id', 'holidays.cancelled_by')
    .select([
      'holidays.id',
      'holidays.date',
      'holidays.kind',
      'holidays.name',
      'holidays.cancelled',
      'holidays.cancelled_reason',
      'holidays.cancelled_at',
      'holidays.cancelled_by',
      'users.full_name as cancelled_by_name',
      'holidays.version',
      'holidays.organisation_id',
    ]);

/** The owner's rows, written as the unique index of active days reads them (coalesce(organisation_id, 0), date). */
const ownerKey = (owner: CalendarOwner) => sql<boolean>`coalesce(holidays.organisation_id, 0) = ${owner ?? 0}`;

/** The days the organisation sees: everyone's and its own. */
const visible = (db: Db) => sql<boolean>`(holidays.organisation_id is null or holidays.organisation_id = ${organisationOf(db)})`;

/** One of the organisation's own days, by id: everyone's days and another organisation's are "not found" here. */
export function findHoliday(db: Db, id: number): Promise<HolidayRow | undefined> {
  return base(db).where('holidays.id', '=', id).where('holidays.organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

/** The owner's non-cancelled entry of a date, if any (there is at most one per owner). */
export function findActiveHolidayOn(db: Db, owner: CalendarOwner, date: string): Promise<HolidayRow | undefined> {
  return base(db).where(ownerKey(owner)).where('holidays.date', '=', date).where('holidays.cancelled', '=', 0).executeTakeFirst();
}

/** The entry in force on a date in the organisation's calendar: its own, else everyone's. */
export async function findEffectiveHolidayOn(db: Db, date: string): Promise<HolidayRow | undefined> {
  const rows = await base(db).where(visible(db)).where('holidays.date', '=', date).where('holidays.cancelled', '=', 0).execute();
  return rows.find((r) => r.organisation_id !== null) ?? rows[0];
}

/** Every entry of a year the organisation sees (everyone's and its own), cancelled ones included, by date. */
export function listHolidaysOfYear(db: Db, year: number): Promise<HolidayRow[]> {
  return base(db)
    .where(visible(db))
    .where('holidays.date', '>=', `${year}-01-01`)
    .where('holidays.date', '<=', `${year}-12-31`)
    .orderBy('holidays.date')
    .orderBy('holidays.cancelled')
    .orderBy('holidays.id')
    .execute();
}

/** The years that have entries the organisation sees, newest first. */
export async function listHolidayYears(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('holidays')
    .select(sql<string>`substr(date, 1, 4)`.as('year'))
    .where(visible(db))
    .distinct()
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => Number(r.year));
}

/**
 * The organisation's calendar: the non-cancelled days of everyone and its own, by date, its own entry of a date in
 * place of everyone's. (Read together and merged here: a few dozen rows a year.)
 */
export async function listActiveCalendarDays(db: Db): Promise<{ date: string; kind: HolidayKind }[]> {
  const rows = await db
    .selectFrom('holidays')
    .select(['date', 'kind', 'organisation_id'])
    .where(visible(db))
    .where('cancelled', '=', 0)
    .orderBy('date')
    .execute();
  const byDate = new Map<string, { date: string; kind: HolidayKind; own: boolean }>();
  for (const r of rows) {
    const own = r.organisation_id !== null;
    if (!byDate.get(r.date)?.own) byDate.set(r.date, { date: r.date, kind: r.kind, own });
  }
  return [...byDate.values()].map(({ date, kind }) => ({ date, kind }));
}

export async function insertHoliday(db: Db, owner: CalendarOwner, values: HolidayValues, at: string): Promise<number> {
  const row = await db
    .insertInto('holidays')
    .values({ ...values, created_at: at, updated_at: at, organisation_id: owner })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes the owner's entry `id` (an id of another owner changes nothing: false, as a stale version). */
export async function updateHoliday(db: Db, owner: CalendarOwner, id: number, values: HolidayValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('holidays')
    .set({ ...values, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where(ownerKey(owner))
    .where('version', '=', version)
    .where('cancelled', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Cancels one of the organisation's own days. */
export async function updateHolidayCancelled(db: Db, id: number, reason: string, by: number | null, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('holidays')
    .set({ cancelled: 1, cancelled_reason: reason, cancelled_at: at, cancelled_by: by, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .where('cancelled', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The organisations whose calendar a change of everyone's days changes (a read-only one, merged away, keeps its figures). */
export async function listCalendarOrganisations(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('organisation').select('id').where('status', '=', 'active').orderBy('id').execute();
  return rows.map((r) => r.id);
}
