import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, Forbidden } from '../../core/http/errors';
import type { Role } from '../../core/http/roles';
import { actionTallyOfNc } from './nonconformities.actions.queries';
import { ANALYSIS_STATUSES, type CauseCategory, type VerificationResult, type Why } from './nonconformities.model';
import { insertVerification, ownsActionOf, updateNonconformity } from './nonconformities.queries';
import { assertActionsFinished, loadForChange, localToday, moveTo, refreshLaterRepeats, repeatOf } from './nonconformities.workflow';

/** The middle of the workflow: root-cause analysis, the action plan, implementation and effectiveness verification. */

export interface Analysis {
  whys: Why[];
  causeCategory: CauseCategory;
  rootCause: string;
}

/**
 * Saves the 5-whys and the cause category. From "open" this is the step to "analysed"; while analysed or
 * planning it revises the analysis. Either way the repeat rule is evaluated again, for this NC and for
 * the later ones of the same procedure that it may now make (or stop making) repeats.
 */
export async function saveAnalysis(ctx: AppContext, id: number, version: number, a: Analysis, actorId: number): Promise<{ repeatOf: string | null }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    if (!ANALYSIS_STATUSES.includes(nc.status)) throw new Conflict('nonconformities.error.transition', { status: nc.status });
    const today = await localToday(trx, at);
    const repeat = await repeatOf(trx, { id, procedure_id: nc.procedure_id, cause_category: a.causeCategory, detected_on: nc.detected_on });
    const changes = {
      whys: JSON.stringify(a.whys.slice(0, 5)),
      cause_category: a.causeCategory,
      root_cause: a.rootCause,
      analysed_on: today,
      repeat_of_id: repeat?.id ?? null,
    };
    if (nc.status === 'open') {
      await moveTo(trx, nc, { step: 'analyse', actorId, at, today, changes, details: { repeat_of_code: repeat?.code ?? null } });
    } else {
      if (!(await updateNonconformity(trx, id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
      await record(
        trx,
        {
          userId: actorId,
          action: 'update_analysis',
          entity: 'nonconformity',
          entityId: id,
          old: { whys: nc.whys, cause_category: nc.cause_category, root_cause: nc.root_cause, repeat_of_id: nc.repeat_of_id },
          new: { ...changes, repeat_of_code: repeat?.code ?? null },
        },
        at,
      );
    }
    await refreshLaterRepeats(trx, nc, [nc.cause_category, a.causeCategory], actorId, at);
    return { repeatOf: repeat?.code ?? null };
  });
}

/** analysed → action plan: the actions are now being planned. */
export async function startPlanning(ctx: AppContext, id: number, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    await moveTo(trx, nc, { step: 'plan', actorId, at, today: await localToday(trx, at) });
  });
}

/** action plan → in progress: needs at least one open action. */
export async function startImplementation(ctx: AppContext, id: number, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    if (nc.status === 'action_plan' && (await actionTallyOfNc(trx, id)).open === 0) throw new Conflict('nonconformities.error.no_open_action');
    await moveTo(trx, nc, { step: 'start', actorId, at, today: await localToday(trx, at) });
  });
}

/** Sets the date of the effectiveness check of an NC awaiting verification. */
export async function scheduleVerification(ctx: AppContext, id: number, version: number, date: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    if (nc.status !== 'awaiting_verification') throw new Conflict('nonconformities.error.transition', { status: nc.status });
    if (!(await updateNonconformity(trx, id, { verify_due_on: date }, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: 'schedule_verification',
        entity: 'nonconformity',
        entityId: id,
        old: { verify_due_on: nc.verify_due_on },
        new: { verify_due_on: date },
      },
      at,
    );
  });
}

export class VerifierOwnsAction extends Forbidden {
  constructor() {
    super('nonconformities.error.verifier_owns_action');
  }
}

/**
 * Effectiveness verification, by a quality officer or a leader who owns none of the NC's actions.
 * Effective → closed (the note is the evidence); not effective → back to the action plan for new actions.
 */
export async function verifyEffectiveness(
  ctx: AppContext,
  id: number,
  version: number,
  v: { result: VerificationResult; note: string },
  actor: { id: number; role: Role },
): Promise<void> {
  if (actor.role !== 'quality_officer' && actor.role !== 'leader') throw new Forbidden();
  if (v.note.trim() === '') throw new Conflict('nonconformities.error.evidence_required');
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const nc = await loadForChange(trx, id, version);
    if (nc.status !== 'awaiting_verification') throw new Conflict('nonconformities.error.transition', { status: nc.status });
    if (await ownsActionOf(trx, id, actor.id)) throw new VerifierOwnsAction();
    await assertActionsFinished(trx, id);
    const today = await localToday(trx, at);
    const verificationId = await insertVerification(trx, {
      nonconformity_id: id,
      result: v.result,
      note: v.note,
      verified_by: actor.id,
      verified_on: today,
      verified_at: at.toISOString(),
    });
    if (v.result === 'effective') {
      await moveTo(trx, nc, {
        step: 'verify_effective',
        actorId: actor.id,
        at,
        today,
        changes: { closed_on: today },
        details: { verification_id: verificationId, note: v.note },
      });
    } else {
      await moveTo(trx, nc, {
        step: 'verify_not_effective',
        actorId: actor.id,
        at,
        today,
        reason: v.note,
        changes: { verify_due_on: null },
        details: { verification_id: verificationId },
      });
    }
  });
}
