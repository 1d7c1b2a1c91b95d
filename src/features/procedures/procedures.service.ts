import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import {
  findProcedure,
  findProcedureByCode,
  insertProcedure,
  updateProcedure,
  updateProcedureStatus,
  type ProcedureRow,
  type ProcedureValues,
} from './procedures.queries';

export class ProcedureCodeTaken extends Error {}

export const valuesOf = (p: ProcedureRow): ProcedureValues => ({
  code: p.code,
  title: p.title,
  field: p.field,
  national_code: p.national_code,
  processing_days: p.processing_days,
  online_level: p.online_level,
  unit_id: p.unit_id,
  on_time_target: p.on_time_target,
});

export async function createProcedure(ctx: AppContext, values: ProcedureValues, actorId: number | null): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findProcedureByCode(trx, values.code)) throw new ProcedureCodeTaken();
    const id = await insertProcedure(trx, values, at.toISOString());
    await record(trx, { userId: actorId, action: 'create', entity: 'procedure', entityId: id, new: values }, at);
    return id;
  });
}

export async function editProcedure(ctx: AppContext, id: number, values: ProcedureValues, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findProcedure(trx, id);
    if (!before) throw new NotFound();
    const other = await findProcedureByCode(trx, values.code);
    if (other && other.id !== id) throw new ProcedureCodeTaken();
    if (!(await updateProcedure(trx, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'update', entity: 'procedure', entityId: id, old: valuesOf(before), new: values }, at);
  });
}

/** Retires a procedure (kept with its history) or brings it back; always with a reason. */
export async function setProcedureStatus(ctx: AppContext, id: number, retire: boolean, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findProcedure(trx, id);
    if (!before) throw new NotFound();
    if ((before.status === 'retired') === retire) throw new Conflict();
    const change = retire
      ? { status: 'retired' as const, retired_reason: reason, retired_at: at.toISOString() }
      : { status: 'active' as const, retired_reason: null, retired_at: null };
    if (!(await updateProcedureStatus(trx, id, change, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: retire ? 'retire' : 'reactivate',
        entity: 'procedure',
        entityId: id,
        old: { status: before.status },
        new: { status: change.status },
        reason,
      },
      at,
    );
  });
}
