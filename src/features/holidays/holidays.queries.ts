import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import type { HolidayKind, HolidaysTable } from './holidays.tables';

/** A holiday with the full name of whoever cancelled it (null when not cancelled). */
export type HolidayRow = Pick<
  Selectable<HolidaysTable>,
  'id' | 'date' | 'kind' | 'name' | 'cancelled' | 'cancelled_reason' | 'cancelled_at' | 'cancelled_by' | 'version'
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
    ]);

export function findHoliday(db: Db, id: number): Promise<HolidayRow | undefined> {
  return base(db).where('holidays.id', '=', id).executeTakeFirst();
}

/** The non-cancelled entry of a date, if any (there is at most one). */
export function findActiveHolidayOn(db: Db, date: string): Promise<HolidayRow | undefined> {
  return base(db).where('holidays.date', '=', date).where('holidays.cancelled', '=', 0).executeTakeFirst();
}

/** Every entry of a year, cancelled ones included, by date. */
export function listHolidaysOfYear(db: Db, year: number): Promise<HolidayRow[]> {
  return base(db)
    .where('holidays.date', '>=', `${year}-01-01`)
    .where('holidays.date', '<=', `${year}-12-31`)
    .orderBy('holidays.date')
    .orderBy('holidays.cancelled')
    .orderBy('holidays.id')
    .execute();
}

/** The years that have entries, newest first. */
export async function listHolidayYears(db: Db): Promise<number[]> {
  const rows = await db
    .selectFrom('holidays')
    .select(sql<string>`substr(date, 1, 4)`.as('year'))
    .distinct()
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => Number(r.year));
}

/** The non-cancelled dates for the working-day calendar. */
export function listActiveCalendarDays(db: Db): Promise<{ date: string; kind: HolidayKind }[]> {
  return db.selectFrom('holidays').select(['date', 'kind']).where('cancelled', '=', 0).orderBy('date').execute();
}

export async function insertHoliday(db: Db, values: HolidayValues, at: string): Promise<number> {
  const row = await db
    .insertInto('holidays')
    .values({ ...values, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateHoliday(db: Db, id: number, values: HolidayValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('holidays')
    .set({ ...values, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('cancelled', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateHolidayCancelled(db: Db, id: number, reason: string, by: number | null, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('holidays')
    .set({ cancelled: 1, cancelled_reason: reason, cancelled_at: at, cancelled_by: by, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('cancelled', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
