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

const valuesOf = (h: HolidayRow): HolidayValues => ({ date: h.date, kind: h.kind, name: h.name });

export async function createHolidayIn(trx: Db, values: HolidayValues, actorId: number | null, at: Date, reason?: string): Promise<number> {
  if (await findActiveHolidayOn(trx, values.date)) throw new HolidayDateTaken();
  const id = await insertHoliday(trx, values, at.toISOString());
  await record(trx, { userId: actorId, action: 'create', entity: 'holiday', entityId: id, new: values, reason }, at);
  return id;
}

export async function createHoliday(ctx: AppContext, values: HolidayValues, actorId: number | null): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => createHolidayIn(trx, values, actorId, at));
}

export async function editHoliday(ctx: AppContext, id: number, values: HolidayValues, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findHoliday(trx, id);
    if (!before) throw new NotFound();
    if (before.cancelled) throw new Conflict();
    const other = await findActiveHolidayOn(trx, values.date);
    if (other && other.id !== id) throw new HolidayDateTaken();
    if (!(await updateHoliday(trx, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'update', entity: 'holiday', entityId: id, old: valuesOf(before), new: values }, at);
  });
}

/** Cancels an entry (kept, flagged, with the reason); the date stops counting in the working-day calendar. */
export async function cancelHoliday(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findHoliday(trx, id);
    if (!before) throw new NotFound();
    if (before.cancelled) throw new Conflict();
    if (!(await updateHolidayCancelled(trx, id, reason, actorId, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actorId, action: 'cancel', entity: 'holiday', entityId: id, old: { ...valuesOf(before), cancelled: 0 }, new: { cancelled: 1 }, reason },
      at,
    );
  });
}
