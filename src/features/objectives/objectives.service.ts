import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import type { Db } from '../../core/db/database';
import { Conflict, NotFound } from '../../core/http/errors';
import { contentHash, sign, type Signer } from '../../core/security/signatures';
import {
  cancelObjectiveRow,
  findObjective,
  findSet,
  insertApproval,
  insertObjective,
  insertSet,
  listApprovals,
  listObjectives,
  listOwnerOptions,
  listProcedureChoices,
  lockObjectives,
  nextSeq,
  updateObjective,
  updateSet,
  type ApprovalRow,
  type ObjectiveRow,
  type ObjectiveSetRow,
  type ObjectiveValues,
} from './objectives.queries';
import { listUnitOptions } from '../units/units.queries';

/**
 * The year's quality objectives and their approval (ISO 9001:2015 clause 6.2). The quality officer writes the
 * objectives and submits the year's set; a leader approves it with an electronic signature (password re-entered:
 * checkSigner before, sign inside the transaction). Approval locks every active objective of the set (the database
 * refuses any change of a locked objective's content). Changing an approved set is an amendment — an objective added,
 * or one cancelled with a reason — which puts the set back to draft: it needs a new approval, and every approval is
 * kept (objective_approvals, e_signatures). While submitted, the set does not change: withdraw or return it first.
 * Every change commits in one transaction with its audit-log entry.
 */
export class ObjectiveFieldError extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(key);
  }
}

/** The content of an objective as signed and logged (its form's fields). */
export const valuesOf = (o: ObjectiveValues): ObjectiveValues => ({
  unit_id: o.unit_id,
  objective: o.objective,
  indicator: o.indicator,
  procedure_id: o.procedure_id,
  comparison: o.comparison,
  target: o.target,
  unit: o.unit,
  frequency: o.frequency,
  owner_id: o.owner_id,
  plan_what: o.plan_what,
  plan_resources: o.plan_resources,
  plan_who: o.plan_who,
  plan_when: o.plan_when,
  plan_evaluation: o.plan_evaluation,
});

/** The unit, owner and procedure must be the organisation's own (and in use). */
async function checkReferences(trx: Db, v: ObjectiveValues, before?: ObjectiveValues): Promise<void> {
  if (v.unit_id !== null && !(await listUnitOptions(trx, before?.unit_id)).some((u) => u.value === v.unit_id))
    throw new ObjectiveFieldError('unit_id', 'validation.invalid_choice');
  if (!(await listOwnerOptions(trx)).some((u) => u.id === v.owner_id)) throw new ObjectiveFieldError('owner_id', 'validation.invalid_choice');
  if (v.procedure_id !== null && v.procedure_id !== before?.procedure_id && !(await listProcedureChoices(trx)).some((p) => p.id === v.procedure_id))
    throw new ObjectiveFieldError('procedure_id', 'validation.invalid_choice');
}

function refuseWhileSubmitted(set: ObjectiveSetRow | undefined): void {
  if (set?.status === 'submitted') throw new Conflict('objectives.set_submitted');
}

/** An approved set changed: it goes back to draft and needs a new approval. */
async function reopenIfApproved(trx: Db, set: ObjectiveSetRow, at: string): Promise<boolean> {
  if (set.status !== 'approved') return false;
  const changes = { status: 'draft' as const, approved_by: null, approved_at: null, signature_id: null, submitted_by: null, submitted_at: null };
  if (!(await updateSet(trx, set.id, changes, set.version, at))) throw new Conflict('error.edit_conflict');
  return true;
}

export async function createObjective(ctx: AppContext, year: number, values: ObjectiveValues, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  const iso = at.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    let set = await findSet(trx, year);
    refuseWhileSubmitted(set);
    await checkReferences(trx, values);
    if (!set) {
      await insertSet(trx, year, iso);
      set = (await findSet(trx, year))!;
    }
    const seq = await nextSeq(trx, year);
    const id = await insertObjective(trx, {
      set_id: set.id,
      year,
      seq,
      ...values,
      approved_revision: null,
      created_by: actorId,
      created_at: iso,
      updated_at: iso,
    });
    const amendment = await reopenIfApproved(trx, set, iso);
    await record(trx, { userId: actorId, action: 'create', entity: 'quality_objective', entityId: id, new: { year, seq, ...values, amendment } }, at);
    return id;
  });
}

async function loadActive(trx: Db, id: number): Promise<{ objective: ObjectiveRow; set: ObjectiveSetRow }> {
  const objective = await findObjective(trx, id);
  if (!objective) throw new NotFound();
  if (objective.status !== 'active') throw new Conflict('objectives.already_cancelled');
  const set = (await findSet(trx, objective.year))!;
  refuseWhileSubmitted(set);
  return { objective, set };
}

/** Changes an objective not yet approved (an approved one never changes: cancel it and add another). */
export async function editObjective(ctx: AppContext, id: number, values: ObjectiveValues, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const { objective } = await loadActive(trx, id);
    if (objective.locked === 1) throw new Conflict('objectives.locked');
    await checkReferences(trx, values, objective);
    if (!(await updateObjective(trx, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'update', entity: 'quality_objective', entityId: id, old: valuesOf(objective), new: values }, at);
  });
}

/** Cancels an objective with a reason; an approved one's cancellation is an amendment of the approved set. */
export async function cancelObjective(ctx: AppContext, id: number, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  const iso = at.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const { objective, set } = await loadActive(trx, id);
    if (!(await cancelObjectiveRow(trx, id, reason, actorId, version, iso))) throw new Conflict('error.edit_conflict');
    const amendment = objective.locked === 1 && (await reopenIfApproved(trx, set, iso));
    await record(
      trx,
      {
        userId: actorId,
        action: 'cancel',
        entity: 'quality_objective',
        entityId: id,
        old: { status: 'active' },
        new: { status: 'cancelled', amendment },
        reason,
      },
      at,
    );
  });
}

async function loadSet(trx: Db, year: number, status: ObjectiveSetRow['status']): Promise<ObjectiveSetRow> {
  const set = await findSet(trx, year);
  if (!set) throw new NotFound();
  if (set.status !== status) throw new Conflict('objectives.wrong_status');
  return set;
}

/** The quality officer submits the year's objectives for approval (at least one active objective). */
export async function submitSet(ctx: AppContext, year: number, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const set = await loadSet(trx, year, 'draft');
    if (!(await listObjectives(trx, year)).some((o) => o.status === 'active')) throw new ObjectiveFieldError('_form', 'objectives.approval.empty');
    const changes = { status: 'submitted' as const, submitted_by: actorId, submitted_at: at.toISOString() };
    if (!(await updateSet(trx, set.id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actorId, action: 'submit', entity: 'objective_set', entityId: set.id, old: { status: 'draft' }, new: { status: 'submitted', year } },
      at,
    );
  });
}

/** A submitted set goes back to draft with a reason: withdrawn by the quality officer or returned by a leader. */
export async function returnSet(ctx: AppContext, year: number, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const set = await loadSet(trx, year, 'submitted');
    if (!(await updateSet(trx, set.id, { status: 'draft', submitted_by: null, submitted_at: null }, version, at.toISOString())))
      throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actorId, action: 'return', entity: 'objective_set', entityId: set.id, old: { status: 'submitted' }, new: { status: 'draft' }, reason },
      at,
    );
  });
}

/** Approved objectives cancelled since the last approval (amendments no approval answered yet), by number. */
export function cancelledSinceApproval(objectives: readonly ObjectiveRow[], approvals: readonly ApprovalRow[]): ObjectiveRow[] {
  const answered = new Set<number>();
  for (const a of approvals) {
    try {
      for (const seq of (JSON.parse(a.changes) as { cancelled?: number[] }).cancelled ?? []) answered.add(Number(seq));
    } catch {
      // an approval without a readable list of changes answers none
    }
  }
  return objectives.filter((o) => o.status === 'cancelled' && o.locked === 1 && !answered.has(o.seq));
}

/** What the approving leader signs: the year and its active objectives' content, by number. */
export function setContentHash(year: number, objectives: readonly ObjectiveRow[]): string {
  const active = objectives.filter((o) => o.status === 'active').sort((a, b) => a.seq - b.seq);
  return contentHash(String(year), JSON.stringify(active.map((o) => ({ id: o.id, seq: o.seq, ...valuesOf(o) }))));
}

/** A leader approves the submitted set (the signer's password was checked before this call). */
export async function approveSet(ctx: AppContext, year: number, signer: Signer, version: number): Promise<void> {
  const at = ctx.clock.now();
  const iso = at.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const set = await loadSet(trx, year, 'submitted');
    const objectives = await listObjectives(trx, year);
    const active = objectives.filter((o) => o.status === 'active');
    if (active.length === 0) throw new ObjectiveFieldError('_form', 'objectives.approval.empty');
    const revision = set.revision + 1;
    const approvals = await listApprovals(trx, set.id);
    const sha = setContentHash(year, objectives);
    const signatureId = await sign(trx, signer, { entity: 'objective_set', entityId: set.id, meaning: 'approved', contentSha256: sha }, at);
    const changes = {
      added: active.filter((o) => o.locked === 0).map((o) => o.seq),
      cancelled: cancelledSinceApproval(objectives, approvals).map((o) => o.seq),
    };
    await lockObjectives(trx, set.id, revision, iso);
    await insertApproval(trx, {
      set_id: set.id,
      revision,
      signature_id: signatureId,
      approved_by: signer.userId,
      signer_name: signer.name,
      approved_at: iso,
      content_sha256: sha,
      objectives: active.length,
      changes: JSON.stringify(changes),
    });
    const setChanges = { status: 'approved' as const, revision, approved_by: signer.userId, approved_at: iso, signature_id: signatureId };
    if (!(await updateSet(trx, set.id, setChanges, version, iso))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: signer.userId,
        action: 'approve',
        entity: 'objective_set',
        entityId: set.id,
        old: { status: 'submitted' },
        new: { status: 'approved', revision, signature: signatureId, ...changes },
      },
      at,
    );
  });
}
