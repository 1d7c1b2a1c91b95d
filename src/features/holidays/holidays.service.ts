import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { organisationOf, scopedDb, withoutOrganisation } from '../../core/db/scope';
import { Conflict, NotFound } from '../../core/http/errors';
import {
  findActiveHolidayOn,
  findEffectiveHolidayOn,
  findHoliday,
  insertHoliday,
  listCalendarOrganisations,
  updateHoliday,
  updateHolidayCancelled,
  type CalendarOwner,
  type HolidayRow,
  type HolidayValues,
} from './holidays.queries';

/** Another non-cancelled entry of the same owner (the organisation, or everyone) already declares this date. */
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
 * walk over one of `dates` are computed again with the calendar as it now is. `owner`: whose days changed: the
 * organisation's own (its calendar alone changed: the hooks run for organisationOf(trx)), or everyone's (every
 * active organisation's calendar changed: the hooks run once per organisation, on a handle scoped to it, each with its
 * own calendar; an organisation whose own entry of a date stands in place of everyone's sees no change there).
 * Returns the dossiers that moved.
 */
export async function moveDueDates(trx: Db, dates: Iterable<string>, at: Date, owner: CalendarOwner = organisationOf(trx)): Promise<MovedDue[]> {
  const list = [...new Set(dates)];
  const moved: MovedDue[] = [];
  if (list.length === 0) return moved;
  const handles = owner === null ? (await listCalendarOrganisations(trx)).map((id) => scopedDb(withoutOrganisation(trx), id)) : [scopedDb(trx, owner)];
  for (const handle of handles) for (const hook of calendarChangeHooks) moved.push(...(await hook(handle, list, at)));
  return moved;
}

/** How many of `moved` had their computation walk over `date` (received on or before it, due on or after it). */
export function countMovedAcross(moved: readonly MovedDue[], date: string): number {
  return moved.filter((m) => m.receivedOn <= date && (m.from >= date || m.to >= date)).length;
}

/** Adds a day to `owner`'s calendar (by default the organisation's own; the demo and the CLI's import write everyone's). */
export async function createHolidayIn(
  trx: Db,
  values: HolidayValues,
  actorId: number | null,
  at: Date,
  reason?: string,
  owner: CalendarOwner = organisationOf(trx),
): Promise<HolidayChange> {
  if (await findActiveHolidayOn(trx, owner, values.date)) throw new HolidayDateTaken();
  const id = await insertHoliday(trx, owner, values, at.toISOString());
  const dossiersMoved = (await moveDueDates(trx, [values.date], at, owner)).length;
  await record(trx, { userId: actorId, action: 'create', entity: 'holiday', entityId: id, new: { ...values, dossiersMoved }, reason }, at);
  return { id, dossiersMoved };
}

/** Adds one of the organisation's own days. */
export async function createHoliday(ctx: AppContext, values: HolidayValues, actorId: number | null): Promise<HolidayChange> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => createHolidayIn(trx, values, actorId, at));
}

/** Edits one of the organisation's own days; the due dates over its old and its new date follow when the date or the kind changed. */
export async function editHoliday(ctx: AppContext, id: number, values: HolidayValues, version: number, actorId: number): Promise<HolidayChange> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await findHoliday(trx, id);
    if (!before) throw new NotFound();
    if (before.cancelled) throw new Conflict();
    const other = await findActiveHolidayOn(trx, before.organisation_id, values.date);
    if (other && other.id !== id) throw new HolidayDateTaken();
    if (!(await updateHoliday(trx, before.organisation_id, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const calendarChanged = before.date !== values.date || before.kind !== values.kind;
    const dossiersMoved = calendarChanged ? (await moveDueDates(trx, [before.date, values.date], at)).length : 0;
    await record(trx, { userId: actorId, action: 'update', entity: 'holiday', entityId: id, old: valuesOf(before), new: { ...values, dossiersMoved } }, at);
    return { id, dossiersMoved };
  });
}

/** Cancels one of the organisation's own days (kept, flagged, with the reason); the date stops counting in the working-day calendar. */
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
 * The admin's confirmation of a year's fixed public holidays: every chosen date not yet declared in the
 * organisation's calendar (by everyone's days or its own) is added as its own day, each with its audit entry, in one
 * transaction; the due dates follow as for any other change.
 */
export async function confirmFixedHolidays(ctx: AppContext, chosen: readonly HolidayValues[], actorId: number): Promise<ConfirmSummary> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const summary: ConfirmSummary = { added: 0, alreadyThere: 0, dossiersMoved: 0 };
    const added: { id: number; values: HolidayValues }[] = [];
    for (const values of chosen) {
      if (await findEffectiveHolidayOn(trx, values.date)) {
        summary.alreadyThere++;
        continue;
      }
      added.push({ id: await insertHoliday(trx, organisationOf(trx), values, at.toISOString()), values });
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
