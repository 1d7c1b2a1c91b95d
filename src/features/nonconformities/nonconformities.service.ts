import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { isIsoDate } from '../../core/calendar';
import { BadRequest, Conflict } from '../../core/http/errors';
import { cancelOpenActionsOfNc } from './nonconformities.actions.service';
import { CORRECTION_STATUSES, isActive, type NcSeverity, type NcSource } from './nonconformities.model';
import { insertCorrection, insertNonconformity, insertStatusHistory, takeNextSeq, updateNonconformity } from './nonconformities.queries';
import { pinnedRevisionFor } from './nonconformities.pin';
import { loadForChange, localToday, moveTo, refreshLaterRepeats, repeatOf } from './nonconformities.workflow';

/**
 * Creating nonconformities and the steps of their life that are not about analysis or verification
 * (those are in nonconformities.analysis.service.ts and nonconformities.verify.service.ts).
 */
export interface NewNonconformity {
  title: string;
  description: string;
  source: NcSource;
  severity: NcSeverity;
  procedureId: number | null;
  clause: string | null;
  /** YYYY-MM-DD; its year is the year of the code. */
  detectedOn: string;
  reportedBy: number | null;
  responsibleUnitId: number | null;
  responsibleUserId: number | null;
  /** 'open' (default) when raised by a quality process; 'reported' for a staff report awaiting triage. */
  status?: 'reported' | 'open';
}

export const codeOf = (year: number, seq: number) => `NC-${year}-${String(seq).padStart(3, '0')}`;

/**
 * Creates an NC inside the caller's transaction: takes the next gap-free number of the year of
 * `detectedOn`, pins the document revision in force for the procedure, computes the repeat flag and
 * writes the status history and the audit entry. Audits and dossiers call this.
 */
export async function createNonconformityIn(trx: Db, input: NewNonconformity, actorId: number | null, at: Date): Promise<{ id: number; code: string }> {
  if (!isIsoDate(input.detectedOn)) throw new BadRequest('nonconformities.error.detected_on');
  const today = await localToday(trx, at);
  const status = input.status ?? 'open';
  const year = Number(input.detectedOn.slice(0, 4));
  const seq = await takeNextSeq(trx, year);
  const code = codeOf(year, seq);
  const pinned = await pinnedRevisionFor(trx, input.procedureId, today);
  const values = {
    code,
    year,
    seq,
    title: input.title,
    description: input.description,
    source: input.source,
    severity: input.severity,
    procedure_id: input.procedureId,
    clause: input.clause,
    ...pinned,
    detected_on: input.detectedOn,
    reported_by: input.reportedBy,
    responsible_unit_id: input.responsibleUnitId,
    responsible_user_id: input.responsibleUserId,
    status,
    opened_on: status === 'open' ? today : null,
    created_by: actorId,
  };
  // The repeat flag needs a cause category, which the root-cause analysis sets (saveAnalysis evaluates it then).
  const id = await insertNonconformity(trx, { ...values, repeat_of_id: null }, at.toISOString());
  await insertStatusHistory(trx, {
    nonconformity_id: id,
    from_status: null,
    to_status: status,
    changed_on: today,
    changed_at: at.toISOString(),
    changed_by: actorId,
    reason: null,
  });
  await record(trx, { userId: actorId, action: 'create', entity: 'nonconformity', entityId: id, new: values }, at);
  return { id, code };
}

export async function createNonconformity(ctx: AppContext, input: NewNonconformity, actorId: number | null): Promise<{ id: number; code: string }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => createNonconformityIn(trx, input, actorId, at));
}

export interface NcDetails {
  title: string;
  description: string;
  source: NcSource;
  severity: NcSeverity;
  procedureId: number | null;
  clause: string | null;
  detectedOn: string;
  responsibleUnitId: number | null;
  responsibleUserId: number | null;
}

export class DetectedYearChanged extends Error {}

/** Edits the description of an NC still being worked on; a new procedure re-pins the revision and re-checks the repeat rule. */
export async function editNonconformity(ctx: AppContext, id: number, version: number, d: NcDetails, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    if (!isActive(nc.status)) throw new Conflict('nonconformities.error.not_editable');
    if (Number(d.detectedOn.slice(0, 4)) !== nc.year) throw new DetectedYearChanged();
    const changes = {
      title: d.title,
      description: d.description,
      source: d.source,
      severity: d.severity,
      procedure_id: d.procedureId,
      clause: d.clause,
      detected_on: d.detectedOn,
      responsible_unit_id: d.responsibleUnitId,
      responsible_user_id: d.responsibleUserId,
    };
    const procedureChanged = d.procedureId !== nc.procedure_id;
    const pinned = procedureChanged ? await pinnedRevisionFor(trx, d.procedureId, await localToday(trx, at)) : {};
    const repeat = await repeatOf(trx, { id, procedure_id: d.procedureId, cause_category: nc.cause_category, detected_on: d.detectedOn });
    const all = { ...changes, ...pinned, repeat_of_id: repeat?.id ?? null };
    if (!(await updateNonconformity(trx, id, all, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const old = {
      title: nc.title,
      description: nc.description,
      source: nc.source,
      severity: nc.severity,
      procedure_id: nc.procedure_id,
      clause: nc.clause,
      detected_on: nc.detected_on,
      responsible_unit_id: nc.responsible_unit_id,
      responsible_user_id: nc.responsible_user_id,
      repeat_of_id: nc.repeat_of_id,
    };
    await record(trx, { userId: actorId, action: 'update', entity: 'nonconformity', entityId: id, old, new: all }, at);
    if (procedureChanged || d.detectedOn !== nc.detected_on) {
      await refreshLaterRepeats(trx, nc, [nc.cause_category], actorId, at);
      await refreshLaterRepeats(trx, { id, procedure_id: d.procedureId, detected_on: d.detectedOn }, [nc.cause_category], actorId, at);
    }
  });
}

/** Triage of a staff report: accepted (open), with the severity and who is responsible. */
export async function acceptReport(
  ctx: AppContext,
  id: number,
  version: number,
  d: { severity: NcSeverity; responsibleUnitId: number | null; responsibleUserId: number | null },
  actorId: number,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    const today = await localToday(trx, at);
    await moveTo(trx, nc, {
      step: 'accept',
      actorId,
      at,
      today,
      changes: { severity: d.severity, responsible_unit_id: d.responsibleUnitId, responsible_user_id: d.responsibleUserId, opened_on: today },
    });
  });
}

/** Triage of a staff report: rejected as unfounded, with the reason (any correction planned on it is cancelled). */
export async function rejectReport(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    const today = await localToday(trx, at);
    await moveTo(trx, nc, { step: 'reject', actorId, at, today, reason, changes: { status_reason: reason } });
    await cancelOpenActionsOfNc(trx, id, reason, actorId, at, today);
  });
}

/** Cancels an NC from any state before closed; its open actions are cancelled with it. */
export async function cancelNonconformity(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    const today = await localToday(trx, at);
    await moveTo(trx, nc, { step: 'cancel', actorId, at, today, reason, changes: { cancelled_on: today, status_reason: reason } });
    await cancelOpenActionsOfNc(trx, id, reason, actorId, at, today);
    await refreshLaterRepeats(trx, nc, [nc.cause_category], actorId, at);
  });
}

/** Reopens a closed NC (back to the action plan); the closing stays in the status history. */
export async function reopenNonconformity(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    const today = await localToday(trx, at);
    await moveTo(trx, nc, {
      step: 'reopen',
      actorId,
      at,
      today,
      reason,
      changes: { closed_on: null, verify_due_on: null, status_reason: reason, reopen_count: nc.reopen_count + 1 },
    });
  });
}

/** Records an immediate correction (khắc phục tức thời): what was done, by whom, when. Allowed at any stage before the end. */
export async function addCorrection(ctx: AppContext, id: number, c: { description: string; doneBy: number; doneOn: string }, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, null);
    if (!CORRECTION_STATUSES.includes(nc.status)) throw new Conflict('nonconformities.error.transition', { status: nc.status });
    const row = { nonconformity_id: id, description: c.description, done_by: c.doneBy, done_on: c.doneOn, recorded_by: actorId, recorded_at: at.toISOString() };
    const correctionId = await insertCorrection(trx, row);
    await record(trx, { userId: actorId, action: 'add_correction', entity: 'nonconformity', entityId: id, new: { id: correctionId, ...row } }, at);
    return correctionId;
  });
}
