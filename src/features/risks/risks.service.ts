import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { Conflict, NotFound } from '../../core/http/errors';
import { localToday } from '../nonconformities/nonconformities.workflow';
import { findActiveUser } from '../nonconformities/nonconformities.actions.queries';
import { createActionIn, UnknownDocument, UnknownOwner } from '../nonconformities/nonconformities.actions.service';
import type { ActionKind } from '../nonconformities/nonconformities.actions.model';
import { levelOf, TREATMENTS_OF } from './risks.model';
import {
  findMatrix,
  findRisk,
  insertReview,
  insertRisk,
  isActiveProcedure,
  listRiskScores,
  nextRiskCode,
  setLevels,
  updateMatrix,
  updateRisk,
  type RiskRow,
} from './risks.queries';
import type { ReviewInput, RiskInput } from './risks.schemas';

/**
 * The register's changes, each in one transaction with its audit entry: entering and correcting a risk or
 * opportunity (its level from the organisation's matrix), reviewing it (the residual level and the effectiveness of
 * its actions; the next review's date), closing it with a reason, planning its actions (the actions engine of the
 * nonconformities, with the risk as their source) and changing the matrix (every level given again).
 */

/** A field of the form that the register refuses, with the message key shown next to it. */
export class RiskFieldError extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
  ) {
    super(`${field}: ${key}`);
  }
}

async function checkInput(trx: Db, input: RiskInput, today: string): Promise<void> {
  if (input.procedure_id === undefined && !input.process) throw new RiskFieldError('process', 'risks.error.subject');
  if (input.procedure_id !== undefined && !(await isActiveProcedure(trx, input.procedure_id)))
    throw new RiskFieldError('procedure_id', 'validation.invalid_choice');
  if (input.treatment && !TREATMENTS_OF[input.kind].includes(input.treatment)) throw new RiskFieldError('treatment', 'risks.error.treatment_kind');
  if (!(await findActiveUser(trx, input.owner_id))) throw new RiskFieldError('owner_id', 'validation.invalid_choice');
  if (input.identified_on > today) throw new RiskFieldError('identified_on', 'risks.error.future');
  if (input.review_due < input.identified_on) throw new RiskFieldError('review_due', 'risks.error.review_before_identified');
}

function fields(input: RiskInput, matrix: string) {
  return {
    kind: input.kind,
    procedure_id: input.procedure_id ?? null,
    process: input.procedure_id === undefined ? (input.process ?? null) : null,
    description: input.description,
    cause: input.cause ?? '',
    consequence: input.consequence ?? '',
    likelihood: input.likelihood,
    impact: input.impact,
    level: levelOf(matrix, input.likelihood, input.impact),
    treatment: input.treatment ?? null,
    treatment_note: input.treatment_note ?? '',
    owner_id: input.owner_id,
    identified_on: input.identified_on,
    review_due: input.review_due,
  };
}

export async function createRisk(ctx: AppContext, input: RiskInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await checkInput(trx, input, await localToday(trx, at));
    const { matrix } = await findMatrix(trx);
    const values = { ...fields(input, matrix), code: await nextRiskCode(trx) };
    const id = await insertRisk(trx, { ...values, created_by: actorId, created_at: at.toISOString(), updated_at: at.toISOString() });
    await record(trx, { userId: actorId, action: 'create', entity: 'risk', entityId: id, new: values }, at);
    return id;
  });
}

async function loadOpen(trx: Db, id: number, version: number | null): Promise<RiskRow> {
  const risk = await findRisk(trx, id);
  if (!risk) throw new NotFound();
  if (version !== null && risk.version !== version) throw new Conflict('error.edit_conflict');
  if (risk.status !== 'open') throw new Conflict('risks.error.closed');
  return risk;
}

/** Corrects an open entry (what was identified, its scores, treatment, owner, review date); its kind stays. */
export async function editRisk(ctx: AppContext, id: number, version: number, input: RiskInput, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const risk = await loadOpen(trx, id, version);
    if (input.kind !== risk.kind) throw new RiskFieldError('kind', 'risks.error.kind_fixed');
    await checkInput(trx, input, await localToday(trx, at));
    const { matrix } = await findMatrix(trx);
    const changes = fields(input, matrix);
    const old = Object.fromEntries(Object.keys(changes).map((k) => [k, risk[k as keyof typeof changes]]));
    if (!(await updateRisk(trx, id, version, changes, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'update', entity: 'risk', entityId: id, old, new: changes }, at);
  });
}

/**
 * Records a review as held: the residual likelihood and impact after treatment (their level from the matrix), the
 * effectiveness of the actions, a note and the next review's date, which the entry takes with the residual figures.
 */
export async function reviewRisk(ctx: AppContext, id: number, input: ReviewInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const risk = await loadOpen(trx, id, null);
    const today = await localToday(trx, at);
    if (input.reviewed_on > today) throw new RiskFieldError('reviewed_on', 'risks.error.future');
    if (input.reviewed_on < risk.identified_on) throw new RiskFieldError('reviewed_on', 'risks.error.review_before_identified');
    if (risk.last_reviewed_on !== null && input.reviewed_on < risk.last_reviewed_on) throw new RiskFieldError('reviewed_on', 'risks.error.review_before_last');
    if (input.next_review <= input.reviewed_on) throw new RiskFieldError('next_review', 'risks.error.next_after_review');
    const { matrix } = await findMatrix(trx);
    const level = levelOf(matrix, input.likelihood, input.impact);
    const reviewId = await insertReview(trx, {
      risk_id: id,
      reviewed_on: input.reviewed_on,
      reviewer_id: actorId,
      likelihood: input.likelihood,
      impact: input.impact,
      level,
      effectiveness: input.effectiveness,
      note: input.note,
      next_review: input.next_review,
      created_at: at.toISOString(),
    });
    const changes = {
      last_reviewed_on: input.reviewed_on,
      residual_likelihood: input.likelihood,
      residual_impact: input.impact,
      residual_level: level,
      effectiveness: input.effectiveness,
      review_due: input.next_review,
    };
    if (!(await updateRisk(trx, id, risk.version, changes, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: 'review',
        entity: 'risk',
        entityId: id,
        old: { residual_level: risk.residual_level, effectiveness: risk.effectiveness, review_due: risk.review_due },
        new: { review: reviewId, note: input.note, ...changes },
      },
      at,
    );
    return reviewId;
  });
}

/** Closes an entry that no longer applies, with the reason; its open actions must be finished or cancelled first. */
export async function closeRisk(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const risk = await loadOpen(trx, id, version);
    if (risk.actions_open > 0) throw new Conflict('risks.error.open_actions', { n: risk.actions_open });
    const changes = { status: 'closed' as const, closed_on: await localToday(trx, at), close_reason: reason };
    if (!(await updateRisk(trx, id, version, changes, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId: actorId, action: 'close', entity: 'risk', entityId: id, old: { status: risk.status }, new: changes, reason }, at);
  });
}

export interface RiskActionInput {
  kind: ActionKind;
  documentId: number | null;
  description: string;
  ownerId: number;
  dueDate: string;
}

/** The type of a risk's actions: actions to address the risk (6.1.2), or to take the opportunity (an improvement). */
export const actionTypeOf = (risk: Pick<RiskRow, 'kind'>) => (risk.kind === 'risk' ? 'risk' : 'improvement');

/** Plans an action of an open entry's treatment, owned, due and evidenced like every action. */
export async function addRiskAction(ctx: AppContext, id: number, input: RiskActionInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const risk = await loadOpen(trx, id, null);
    try {
      return await createActionIn(trx, { source: { kind: 'risk', id: risk.id, code: risk.code }, type: actionTypeOf(risk), ...input }, actorId, at);
    } catch (err) {
      if (err instanceof UnknownDocument) throw new RiskFieldError('document_id', 'validation.invalid_choice');
      if (err instanceof UnknownOwner) throw new RiskFieldError('owner_id', 'validation.invalid_choice');
      throw err;
    }
  });
}

/** Sets the organisation's matrix (null: back to the default) and gives every entry its levels in it again. */
export async function setRiskMatrix(ctx: AppContext, matrix: string | null, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await findMatrix(trx);
    await updateMatrix(trx, matrix);
    const after = await findMatrix(trx);
    let changed = 0;
    for (const r of await listRiskScores(trx)) {
      const level = levelOf(after.matrix, r.likelihood, r.impact);
      const residual = r.residual_likelihood !== null && r.residual_impact !== null ? levelOf(after.matrix, r.residual_likelihood, r.residual_impact) : null;
      if (level === r.level && residual === r.residual_level) continue;
      await setLevels(trx, r.id, { level, residual_level: residual });
      changed++;
    }
    await record(
      trx,
      {
        userId: actorId,
        action: 'set_risk_matrix',
        entity: 'organisation',
        entityId: organisationOf(trx),
        old: { risk_matrix: before.matrix },
        new: { risk_matrix: after.matrix, risks_relevelled: changed },
      },
      at,
    );
    return changed;
  });
}
