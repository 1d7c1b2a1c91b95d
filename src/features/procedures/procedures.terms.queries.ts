import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { OnlineLevel } from '../../core/db/schema';

/**
 * A procedure's processing days and online level from a date on (table procedure_terms, migration
 * 2026_12_06_0900_procedure_kinds_terms). In force on a date: the row with the latest effective_from on or before
 * it; a procedure's first row is dated FIRST_TERMS_DATE ("since registration") and covers any earlier date.
 */
export const FIRST_TERMS_DATE = '1900-01-01';

export interface TermsRow {
  id: number;
  effective_from: string;
  processing_days: number | null;
  online_level: OnlineLevel;
  recorded_by_name: string | null;
  recorded_at: string;
}

export interface Terms {
  processingDays: number | null;
  onlineLevel: OnlineLevel;
}

/** Every row of one procedure, oldest first. */
export function listTerms(db: Db, procedureId: number): Promise<TermsRow[]> {
  return db
    .selectFrom('procedure_terms as t')
    .leftJoin('users as u', 'u.id', 't.recorded_by')
    .select(['t.id', 't.effective_from', 't.processing_days', 't.online_level', 'u.full_name as recorded_by_name', 't.recorded_at'])
    .where('t.organisation_id', '=', organisationOf(db))
    .where('t.procedure_id', '=', procedureId)
    .orderBy('t.effective_from')
    .execute();
}

/** The row in force on `date` for each procedure (all, or those of `ids`). */
export async function termsAt(db: Db, date: string, ids?: readonly number[]): Promise<Map<number, Terms>> {
  if (ids && ids.length === 0) return new Map();
  let q = db
    .selectFrom('procedure_terms as t')
    .select(['t.procedure_id', 't.processing_days', 't.online_level'])
    // The subquery is correlated to a row of the organisation: its other rows are the same procedure's.
    .where('t.organisation_id', '=', organisationOf(db))
    .where(
      't.id',
      '=',
      // Every procedure has its row of FIRST_TERMS_DATE (a trigger writes it, another refuses deletes).
      sql<number>`(select t2.id from procedure_terms t2 where t2.procedure_id = t.procedure_id and t2.effective_from <= ${date}
        order by t2.effective_from desc limit 1)`,
    );
  if (ids) q = q.where('t.procedure_id', 'in', ids);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.procedure_id, { processingDays: r.processing_days, onlineLevel: r.online_level }]));
}

/** Every procedure's rows as date-ordered lists, for code that needs the terms on many dates (the dossier import). */
export async function termsHistory(db: Db, ids?: readonly number[]): Promise<Map<number, { from: string; processingDays: number | null }[]>> {
  let q = db
    .selectFrom('procedure_terms')
    .select(['procedure_id', 'effective_from', 'processing_days'])
    .where('organisation_id', '=', organisationOf(db))
    .orderBy('procedure_id')
    .orderBy('effective_from');
  if (ids) {
    if (ids.length === 0) return new Map();
    q = q.where('procedure_id', 'in', ids);
  }
  const out = new Map<number, { from: string; processingDays: number | null }[]>();
  for (const r of await q.execute()) {
    const list = out.get(r.procedure_id) ?? [];
    list.push({ from: r.effective_from, processingDays: r.processing_days });
    out.set(r.procedure_id, list);
  }
  return out;
}

/**
 * The processing days in force on `date` from a date-ordered list of termsHistory (the first row before any). Dates
 * are compared as given: 'YYYY-MM-DD' texts, or day numbers where a caller reads millions of rows.
 */
export function processingDaysOn<D extends string | number>(history: readonly { from: D; processingDays: number | null }[], date: D): number | null {
  if (history.length === 0) return null;
  let found = history[0];
  for (const row of history) {
    if (row.from <= date) found = row;
    else break;
  }
  return found.processingDays;
}

/** The latest row of a procedure (the one in force today: terms never take effect in the future). */
export function latestTerms(
  db: Db,
  procedureId: number,
): Promise<{ effective_from: string; processing_days: number | null; online_level: OnlineLevel } | undefined> {
  return db
    .selectFrom('procedure_terms')
    .select(['effective_from', 'processing_days', 'online_level'])
    .where('organisation_id', '=', organisationOf(db))
    .where('procedure_id', '=', procedureId)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The first effective date after `date` of another row of the procedure, or null (the change at `date` runs on). */
export async function nextTermsDate(db: Db, procedureId: number, date: string): Promise<string | null> {
  const row = await db
    .selectFrom('procedure_terms')
    .select('effective_from')
    .where('organisation_id', '=', organisationOf(db))
    .where('procedure_id', '=', procedureId)
    .where('effective_from', '>', date)
    .orderBy('effective_from')
    .limit(1)
    .executeTakeFirst();
  return row?.effective_from ?? null;
}

/** Writes the terms from `from` on: a new row, or the row of that same date corrected. Returns the row replaced, if any. */
export async function putTerms(
  db: Db,
  procedureId: number,
  from: string,
  terms: Terms,
  by: number | null,
  at: string,
): Promise<{ processing_days: number | null; online_level: OnlineLevel } | undefined> {
  const before = await db
    .selectFrom('procedure_terms')
    .select(['id', 'processing_days', 'online_level'])
    .where('organisation_id', '=', organisationOf(db))
    .where('procedure_id', '=', procedureId)
    .where('effective_from', '=', from)
    .executeTakeFirst();
  const values = { processing_days: terms.processingDays, online_level: terms.onlineLevel, recorded_by: by, recorded_at: at };
  if (before) await db.updateTable('procedure_terms').set(values).where('id', '=', before.id).execute();
  else
    await db
      .insertInto('procedure_terms')
      .values({ procedure_id: procedureId, effective_from: from, ...values, organisation_id: organisationOf(db) })
      .execute();
  return before ? { processing_days: before.processing_days, online_level: before.online_level } : undefined;
}

/**
 * Administrative procedures (kind 'administrative': only they are TTHC) in the QMS at the end of a period — not
 * retired by `endInstant` — by the online level in force on the local date `date`.
 */
export async function countAdministrativeByOnlineLevel(db: Db, date: string, endInstant: string): Promise<{ full: number; partial: number; none: number }> {
  const ids = await db
    .selectFrom('procedures')
    .select('id')
    .where('organisation_id', '=', organisationOf(db))
    .where('kind', '=', 'administrative')
    .where((eb) => eb.or([eb('status', '=', 'active'), eb('retired_at', '>=', endInstant)]))
    .execute();
  const terms = await termsAt(
    db,
    date,
    ids.map((r) => r.id),
  );
  const out = { full: 0, partial: 0, none: 0 };
  for (const t of terms.values()) out[t.onlineLevel] += 1;
  return out;
}

/** Internal QMS processes in the QMS at the end of a period (not retired by `endInstant`). */
export async function countInternalProcesses(db: Db, endInstant: string): Promise<number> {
  const row = await db
    .selectFrom('procedures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .where('kind', '=', 'internal')
    .where((eb) => eb.or([eb('status', '=', 'active'), eb('retired_at', '>=', endInstant)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
