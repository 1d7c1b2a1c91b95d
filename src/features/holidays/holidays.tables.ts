import type { Generated } from 'kysely';

/** Tables of the holidays feature, added to the Database type in src/features/tables.ts. */
export type HolidayKind = 'holiday' | 'workday';

/** A public holiday / declared day off, or a make-up working day (ngày làm bù). Cancelled, never deleted. */
export interface HolidaysTable {
  id: Generated<number>;
  /** Local calendar date YYYY-MM-DD; at most one non-cancelled row per date. */
  date: string;
  kind: HolidayKind;
  name: Generated<string>;
  cancelled: Generated<number>;
  cancelled_reason: string | null;
  cancelled_at: string | null;
  cancelled_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation that added the day; null: a day for everyone (the country's calendar). */
  organisation_id: number | null;
}

export interface HolidaysTables {
  holidays: HolidaysTable;
}
