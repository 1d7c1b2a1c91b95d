import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import type { Db } from '../../core/db/database';
import { findUnit, findUnitByCode, insertUnit, updateUnit } from './units.queries';

export class UnitCodeTaken extends Error {}
/** A unit id from a form that is not one of the organisation's units (another organisation's, or none). */
export class UnknownUnit extends Error {}

/** Refuses a unit id (from a form) that is not one of the organisation's units, before it is stored. */
export async function checkUnitOfOrganisation(db: Db, unitId: number | null | undefined): Promise<void> {
  if (unitId !== null && unitId !== undefined && !(await findUnit(db, unitId))) throw new UnknownUnit();
}

export async function createUnit(ctx: AppContext, unit: { code: string; name: string }, actorId: number | null): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findUnitByCode(trx, unit.code)) throw new UnitCodeTaken();
    const id = await insertUnit(trx, unit, at.toISOString());
    await record(trx, { userId: actorId, action: 'create', entity: 'unit', entityId: id, new: unit }, at);
    return id;
  });
}

export async function editUnit(ctx: AppContext, id: number, changes: { code: string; name: string }, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findUnit(trx, id);
    if (!before) throw new NotFound();
    const other = await findUnitByCode(trx, changes.code);
    if (other && other.id !== id) throw new UnitCodeTaken();
    if (!(await updateUnit(trx, id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'update', entity: 'unit', entityId: id, old: { code: before.code, name: before.name }, new: changes }, at);
  });
}

export async function setUnitActive(ctx: AppContext, id: number, active: boolean, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findUnit(trx, id);
    if (!before) throw new NotFound();
    if (!(await updateUnit(trx, id, { active: active ? 1 : 0 }, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: active ? 'reactivate' : 'deactivate',
        entity: 'unit',
        entityId: id,
        old: { active: before.active },
        new: { active: active ? 1 : 0 },
        reason,
      },
      at,
    );
  });
}
