import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import {
  findActiveHolidayOn,
  findHoliday,
  insertHoliday,
  updateHoliday,
  updateHolidayCancelled,
  type HolidayRow,
  type HolidayValues,
} from './holidays.queries';

/** Another non-cancelled entry already declares this date. */
export class HolidayDateTaken extends Error {}

/** What a change of the calendar did: the entry's id and the dossiers whose computed due date moved. */
export interface HolidayChange {
  id: number;
  dossiersMoved: number;
}

const valuesOf = (h: HolidayRow): HolidayValues => ({ date: h.date, kind: h.kind, name: h.name });

/** A dossier whose due date, computed from the calendar, moved when the calendar changed: from its old to its new date. */
export interface MovedDue {
  id: number;
  receivedOn: string;
  from: string;
  to: string;
}

/**
 * What a change of the calendar moves in other features, in the transaction of the change: the dossiers feature
 * computes again the due dates it had computed from the calendar (wired in src/features/hooks.ts, which every entry
 * point that changes holidays loads: the app, the CLI's import and the demo). Each handler gets the changed dates.
 */
export type CalendarChangeHook = (trx: Db, dates: string[], at: Date) => Promise<MovedDue[]>;
export const calendarChangeHooks: CalendarChangeHook[] = [];

/**
 * In the transaction of a calendar change, after the change (all of it, for an import): the computed due dates that
 * walk over one of `dates` are computed again with the calendar as it now is. Returns the dossiers that moved.
 */
export async function moveDueDates(trx: Db, dates: Iterable<string>, at: Date): Promise<MovedDue[]> {
  const list = [...new Set(dates)];
  const moved: MovedDue[] = [];
  if (list.length === 0) return moved;
  for (const hook of calendarChangeHooks) moved.push(...(await hook(trx, list, at)));
  return moved;
}

/** How many of `moved` had their computation walk over `date` (received on or before it, due on or after it). */
export function countMovedAcross(moved: readonly MovedDue[], date: string): number {
  return moved.filter((m) => m.receivedOn <= date && (m.from >= date || m.to >= date)).length;
}

export async function createHolidayIn(trx: Db, values: HolidayValues, actorId: number | null, at: Date, reason?: string): Promise<HolidayChange> {
  if (await findActiveHolidayOn(trx, values.date)) throw new HolidayDateTaken();
  const id = await insertHoliday(trx, values, at.toISOString());
  const dossiersMoved = (await moveDueDates(trx, [values.date], at)).length;
  await record(trx, { userId: actorId, action: 'create', entity: 'holiday', entityId: id, new: { ...values, dossiersMoved }, reason }, at);
  return { id, dossiersMoved };
}

export async function createHoliday(ctx: AppContext, values: HolidayValues, actorId: number | null): Promise<HolidayChange> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => createHolidayIn(trx, values, actorId, at));
}

/** Edits an entry; the due dates over its old and its new date follow when the date or the kind changed. */
export async function editHoliday(ctx: AppContext, id: number, values: HolidayValues, version: number, actorId: number): Promise<HolidayChange> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await findHoliday(trx, id);
    if (!before) throw new NotFound();
    if (before.cancelled) throw new Conflict();
    const other = await findActiveHolidayOn(trx, values.date);
    if (other && other.id !== id) throw new HolidayDateTaken();
    if (!(await updateHoliday(trx, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const calendarChanged = before.date !== values.date || before.kind !== values.kind;
    const dossiersMoved = calendarChanged ? (await moveDueDates(trx, [before.date, values.date], at)).length : 0;
    await record(trx, { userId: actorId, action: 'update', entity: 'holiday', entityId: id, old: valuesOf(before), new: { ...values, dossiersMoved } }, at);
    return { id, dossiersMoved };
  });
}

/** Cancels an entry (kept, flagged, with the reason); the date stops counting in the working-day calendar. */
export async function cancelHoliday(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<HolidayChange> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await findHoliday(trx, id);
    if (!before) throw new NotFound();
    if (before.cancelled) throw new Conflict();
    if (!(await updateHolidayCancelled(trx, id, reason, actorId, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const dossiersMoved = (await moveDueDates(trx, [before.date], at)).length;
    await record(
      trx,
      {
        userId: actorId,
        action: 'cancel',
        entity: 'holiday',
        entityId: id,
        old: { ...valuesOf(before), cancelled: 0 },
        new: { cancelled: 1, dossiersMoved },
        reason,
      },
      at,
    );
    return { id, dossiersMoved };
  });
}

export interface ConfirmSummary {
  added: number;
  /** Dates already declared (by another entry written meanwhile): left as they are, never duplicated. */
  alreadyThere: number;
  dossiersMoved: number;
}

/**
 * The admin's confirmation of a year's fixed public holidays: every chosen date not yet declared is added, each
 * with its audit entry, in one transaction; the due dates follow as for any other change.
 */
export async function confirmFixedHolidays(ctx: AppContext, chosen: readonly HolidayValues[], actorId: number): Promise<ConfirmSummary> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const summary: ConfirmSummary = { added: 0, alreadyThere: 0, dossiersMoved: 0 };
    const added: { id: number; values: HolidayValues }[] = [];
    for (const values of chosen) {
      if (await findActiveHolidayOn(trx, values.date)) {
        summary.alreadyThere++;
        continue;
      }
      added.push({ id: await insertHoliday(trx, values, at.toISOString()), values });
    }
    // One recomputation for all the dates; each entry counts the dossiers whose computation walked over its date.
    const moved = await moveDueDates(
      trx,
      added.map((a) => a.values.date),
      at,
    );
    for (const { id, values } of added) {
      const dossiersMoved = countMovedAcross(moved, values.date);
      await record(trx, { userId: actorId, action: 'create', entity: 'holiday', entityId: id, new: { ...values, dossiersMoved } }, at);
    }
    summary.added = added.length;
    summary.dossiersMoved = moved.length;
    return summary;
  });
}
