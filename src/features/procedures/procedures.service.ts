import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
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
import { checkUnitOfOrganisation } from '../units/units.service';
import { latestTerms, nextTermsDate, putTerms } from './procedures.terms.queries';

export class ProcedureCodeTaken extends Error {}
/** A change of processing days or online level dated after today (terms take effect today or on a past date). */
export class TermsDateInFuture extends Error {}

/**
 * What the processing days of a procedure from `from` on (until the day before `until`, or for good) change for
 * other features, in the transaction of the change: the dossiers feature computes again the due dates it had
 * computed from the old days (wired in src/features/hooks.ts). Each handler returns how many records it moved.
 */
export type TermsChangeHook = (trx: Db, change: { procedureId: number; from: string; until: string | null; at: Date }) => Promise<number>;
export const procedureTermsHooks: TermsChangeHook[] = [];

export const valuesOf = (p: ProcedureRow): ProcedureValues => ({
  code: p.code,
  title: p.title,
  field: p.field,
  national_code: p.national_code,
  processing_days: p.processing_days,
  online_level: p.online_level,
  unit_id: p.unit_id,
  on_time_target: p.on_time_target,
  kind: p.kind,
});

/**
 * Writes new values of a procedure in the caller's transaction. When its processing days or online level change,
 * they are recorded in its terms from `termsFrom` (today when not given; never after today); the procedure keeps the
 * latest terms, and the hooks recompute what was computed from the old days. Returns the values stored and how many
 * dossiers moved.
 */
export async function applyProcedureValues(
  trx: Db,
  before: ProcedureRow,
  values: ProcedureValues,
  change: { termsFrom?: string; today: string; actorId: number | null; at: Date },
): Promise<{ stored: ProcedureValues; termsFrom: string | null; dossiersMoved: number } | undefined> {
  let stored: ProcedureValues = { ...values, kind: values.kind ?? before.kind };
  let termsFrom: string | null = null;
  let dossiersMoved = 0;
  if (values.processing_days !== before.processing_days || values.online_level !== before.online_level) {
    termsFrom = change.termsFrom ?? change.today;
    if (termsFrom > change.today) throw new TermsDateInFuture();
    const terms = { processingDays: values.processing_days, onlineLevel: values.online_level };
    await putTerms(trx, before.id, termsFrom, terms, change.actorId, change.at.toISOString());
    const latest = await latestTerms(trx, before.id);
    if (latest) stored = { ...stored, processing_days: latest.processing_days, online_level: latest.online_level };
    // Computing again is idempotent: only due dates that differ are written.
    const until = await nextTermsDate(trx, before.id, termsFrom);
    for (const hook of procedureTermsHooks) dossiersMoved += await hook(trx, { procedureId: before.id, from: termsFrom, until, at: change.at });
  }
  if (!(await updateProcedure(trx, before.id, stored, before.version, change.at.toISOString()))) return undefined;
  return { stored, termsFrom, dossiersMoved };
}

export async function createProcedure(ctx: AppContext, values: ProcedureValues, actorId: number | null): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findProcedureByCode(trx, values.code)) throw new ProcedureCodeTaken();
    await checkUnitOfOrganisation(trx, values.unit_id);
    const id = await insertProcedure(trx, values, at.toISOString());
    await record(trx, { userId: actorId, action: 'create', entity: 'procedure', entityId: id, new: values }, at);
    return id;
  });
}

/** Edits a procedure; `termsFrom`: the date a change of processing days or online level takes effect (default today). */
export async function editProcedure(
  ctx: AppContext,
  id: number,
  values: ProcedureValues,
  version: number,
  actorId: number,
  dates: { today: string; termsFrom?: string },
): Promise<{ dossiersMoved: number }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await findProcedure(trx, id);
    if (!before) throw new NotFound();
    if (before.version !== version) throw new Conflict('error.edit_conflict');
    const other = await findProcedureByCode(trx, values.code);
    if (other && other.id !== id) throw new ProcedureCodeTaken();
    await checkUnitOfOrganisation(trx, values.unit_id);
    const done = await applyProcedureValues(trx, before, values, { ...dates, actorId, at });
    if (!done) throw new Conflict('error.edit_conflict');
    const extra = done.termsFrom ? { termsFrom: done.termsFrom, dossiersMoved: done.dossiersMoved } : {};
    await record(trx, { userId: actorId, action: 'update', entity: 'procedure', entityId: id, old: valuesOf(before), new: { ...done.stored, ...extra } }, at);
    return { dossiersMoved: done.dossiersMoved };
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
