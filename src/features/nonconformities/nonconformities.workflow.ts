import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { addDays, todayLocal } from '../../core/calendar';
import { Conflict, NotFound } from '../../core/http/errors';
import { actionTallyOfNc } from './nonconformities.actions.queries';
import {
  canTransition,
  monthsBefore,
  REPEAT_WINDOW_MONTHS,
  shiftMonths,
  TRANSITIONS,
  VERIFY_AFTER_DAYS,
  type NcStatus,
  type Transition,
} from './nonconformities.model';
import {
  findNonconformity,
  findOrgTimeZone,
  findRepeatCandidate,
  insertStatusHistory,
  listLaterCandidates,
  updateNonconformity,
  type NcChanges,
  type NcRow,
} from './nonconformities.queries';

/**
 * The building blocks every workflow step uses inside its transaction: load with a version check,
 * move to the next state (status history + audit entry), the repeat rule, and the automatic move to
 * "awaiting verification" when the last open action of an NC in progress is finished.
 */

/** Today's local date in the organisation's zone. */
export async function localToday(trx: Db, at: Date): Promise<string> {
  return todayLocal(at, await findOrgTimeZone(trx));
}

/** The NC, or 404; a stale version → 409 edit conflict (nothing written). */
export async function loadForChange(trx: Db, id: number, version: number | null): Promise<NcRow> {
  const nc = await findNonconformity(trx, id);
  if (!nc) throw new NotFound();
  if (version !== null && nc.version !== version) throw new Conflict('error.edit_conflict');
  return nc;
}

export function assertStep(step: Transition, nc: NcRow): void {
  if (!canTransition(step, nc.status)) throw new Conflict('nonconformities.error.transition', { status: nc.status });
}

export interface Move {
  step: Transition;
  actorId: number | null;
  at: Date;
  today: string;
  reason?: string | null;
  changes?: NcChanges;
  /** Extra values for the audit entry. */
  details?: Record<string, unknown>;
}

/** Applies a workflow step: status + changes (version-checked), a status-history row and the audit entry. */
export async function moveTo(trx: Db, nc: NcRow, move: Move): Promise<NcStatus> {
  assertStep(move.step, nc);
  const to = TRANSITIONS[move.step].to as NcStatus;
  const changes: NcChanges = { ...move.changes, status: to };
  if (!(await updateNonconformity(trx, nc.id, changes, nc.version, move.at.toISOString()))) throw new Conflict('error.edit_conflict');
  await insertStatusHistory(trx, {
    nonconformity_id: nc.id,
    from_status: nc.status,
    to_status: to,
    changed_on: move.today,
    changed_at: move.at.toISOString(),
    changed_by: move.actorId,
    reason: move.reason ?? null,
  });
  await record(
    trx,
    {
      userId: move.actorId,
      action: move.step,
      entity: 'nonconformity',
      entityId: nc.id,
      old: { status: nc.status },
      new: { ...move.changes, ...move.details, status: to },
      reason: move.reason ?? null,
    },
    move.at,
  );
  nc.status = to;
  nc.version += 1;
  return to;
}

/**
 * The NC this one repeats: same procedure, same cause category, detected in the twelve months up to this
 * one (an earlier NC of the same day counts). Null when the procedure or the category is not set.
 */
export async function repeatOf(
  trx: Db,
  nc: { id: number; procedure_id: number | null; cause_category: NcRow['cause_category']; detected_on: string },
): Promise<{ id: number; code: string } | null> {
  if (nc.procedure_id === null || nc.cause_category === null) return null;
  const found = await findRepeatCandidate(trx, {
    id: nc.id,
    procedureId: nc.procedure_id,
    causeCategory: nc.cause_category,
    detectedOn: nc.detected_on,
    since: monthsBefore(nc.detected_on, REPEAT_WINDOW_MONTHS),
  });
  return found ?? null;
}

/**
 * After an NC's category, procedure or status changed: the later NCs (up to twelve months after it) of the
 * same procedure and of its old or new category are linked again by the repeat rule, each change audited.
 */
export async function refreshLaterRepeats(
  trx: Db,
  nc: { id: number; procedure_id: number | null; detected_on: string },
  categories: NcRow['cause_category'][],
  actorId: number | null,
  at: Date,
): Promise<void> {
  const cats = [...new Set(categories.filter((c): c is NonNullable<NcRow['cause_category']> => c !== null))];
  if (nc.procedure_id === null || cats.length === 0) return;
  const later = await listLaterCandidates(trx, {
    id: nc.id,
    procedureId: nc.procedure_id,
    categories: cats,
    from: nc.detected_on,
    until: shiftMonths(nc.detected_on, REPEAT_WINDOW_MONTHS),
  });
  for (const other of later) {
    const repeat = await repeatOf(trx, other);
    const next = repeat?.id ?? null;
    if (next === other.repeat_of_id) continue;
    if (!(await updateNonconformity(trx, other.id, { repeat_of_id: next }, other.version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: 'update_repeat',
        entity: 'nonconformity',
        entityId: other.id,
        old: { repeat_of_id: other.repeat_of_id },
        new: { repeat_of_id: next, because_of: nc.id },
      },
      at,
    );
  }
}

/** The default date of the effectiveness check: VERIFY_AFTER_DAYS after the last completed action (or today). */
export function defaultVerifyDate(lastCompletedOn: string | null, today: string): string {
  return addDays(lastCompletedOn ?? today, VERIFY_AFTER_DAYS);
}

/** Gate of "awaiting verification": no action open and at least one done. Throws 409 otherwise. */
export async function assertActionsFinished(trx: Db, ncId: number): Promise<{ lastCompletedOn: string | null }> {
  const tally = await actionTallyOfNc(trx, ncId);
  if (tally.open > 0) throw new Conflict('nonconformities.error.open_actions', { n: tally.open });
  if (tally.done === 0) throw new Conflict('nonconformities.error.no_done_action');
  return { lastCompletedOn: tally.lastCompletedOn };
}

/**
 * Called after an action is completed or cancelled: when the NC is in progress and none of its actions
 * remains open (and at least one is done), it moves to "awaiting verification", scheduled
 * VERIFY_AFTER_DAYS after the last completion.
 */
export async function advanceWhenActionsFinished(trx: Db, ncId: number, actorId: number | null, at: Date): Promise<boolean> {
  const nc = await findNonconformity(trx, ncId);
  if (!nc || nc.status !== 'in_progress') return false;
  const tally = await actionTallyOfNc(trx, ncId);
  if (tally.open > 0 || tally.done === 0) return false;
  const today = await localToday(trx, at);
  await moveTo(trx, nc, {
    step: 'submit',
    actorId,
    at,
    today,
    changes: { verify_due_on: defaultVerifyDate(tally.lastCompletedOn, today) },
    details: { automatic: true },
  });
  return true;
}
