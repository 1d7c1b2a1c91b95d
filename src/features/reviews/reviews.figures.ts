import type { SurveyPackFigures } from '../surveys/surveys.pack';
import type { ActionStatus } from '../nonconformities/nonconformities.actions.model';
import type { ComplianceStatus } from '../reports/reports.compliance';
import type { DossierFigures } from '../reports/reports.dossiers';
import type { RiskFigures } from '../risks/risks.figures';
import type { ObjectiveStatus } from '../objectives/objectives.model';
import type { DecisionKind } from './reviews.model';
import type { FeedbackFigures } from '../feedback/feedback.figures';

/**
 * The data pack of a management review: the figures of each input of clause 9.3.2 for the review's period
 * [from, to], computed as of `asOf` = `to`, or today while the period is not over (as the reports count). Pure
 * functions over rows (the known-answer tests give rows and check the figures); reviews.pack.ts reads the rows with
 * the other features' own queries and puts the pack together. Definitions:
 * - previousActions: the actions of the decisions of the organisation's earlier signed reviews (held before this one),
 *   without those that did not exist yet at `asOf` (planned later) or were already finished (done or cancelled)
 *   before `from`. Each with its status as of `asOf` — done when completed on or before it, cancelled when cancelled
 *   on or before it, in progress when started on or before it, else planned — and its due date in force at `asOf`
 *   (a due date moved after `asOf` is read from its history). Overdue: planned or in progress at `asOf` with a due
 *   date before `asOf`. Counts: total, done, open (planned + in progress), overdue (of the open), cancelled.
 * - objectives: the active quality objectives of the year of `asOf`, each with its status as the objectives' page
 *   computes it as of `asOf` (met, on track, not met, no data); counted by status.
 * - processes: every active procedure's compliance status and on-time rate for the period (the compliance summary of
 *   all procedures, REPORTING.md), counted by status; the office's on-time rate from the summed counts.
 * - nonconformities: raised, closed, open at the end, awaiting triage, overdue actions (corrective and other) of the
 *   whole office (the annual report's rules, REPORTING.md read from the history as of `asOf`).
 * - monitoring: the dossiers of every active procedure summed (received, resolved early / on time / late, pending,
 *   pending overdue) and the office's on-time rate = (early + on time) ÷ resolved, null when none was resolved.
 * - audits: audits held (first day of fieldwork) in the period and not cancelled by its end, internal and external,
 *   and their active findings by grade.
 * - risks: the register's figures (risks.figures.ts riskFigures, the register as it stands, overdue reviews judged at
 *   `asOf`) and the reviews of risks held in the period by effectiveness of their actions.
 * - improvement: the opportunities for improvement found by the audits of the period (each listed), and the open
 *   opportunities of the risk register.
 */
export interface PrevActionInput {
  id: number;
  reviewCode: string;
  decisionKind: DecisionKind;
  description: string;
  ownerName: string | null;
  dueDate: string;
  /** Changes of the due date, oldest first. */
  dueChanges: { changedOn: string; dueBefore: string }[];
  startedOn: string | null;
  completedOn: string | null;
  cancelledOn: string | null;
  status: ActionStatus;
  /** Local date the action was planned. */
  createdOn: string;
}

export interface PrevActionRow {
  id: number;
  reviewCode: string;
  decisionKind: DecisionKind;
  description: string;
  ownerName: string | null;
  dueDate: string;
  status: ActionStatus;
  completedOn: string | null;
  overdue: boolean;
}

export interface PreviousActions {
  rows: PrevActionRow[];
  total: number;
  done: number;
  open: number;
  overdue: number;
  cancelled: number;
}

/** An action's status at the end of day `asOf`, from its dates. */
export function actionStatusAt(a: Pick<PrevActionInput, 'startedOn' | 'completedOn' | 'cancelledOn' | 'status'>, asOf: string): ActionStatus {
  if (a.completedOn !== null && a.completedOn <= asOf) return 'done';
  // a cancellation has its date; one without (none is written so) counts as cancelled for every period
  if (a.status === 'cancelled' && (a.cancelledOn === null || a.cancelledOn <= asOf)) return 'cancelled';
  if (a.startedOn !== null && a.startedOn <= asOf) return 'in_progress';
  return 'planned';
}

/** The due date in force at `asOf`: the date before the first change made after it, else the due date now. */
export function dueDateAt(a: Pick<PrevActionInput, 'dueDate' | 'dueChanges'>, asOf: string): string {
  return a.dueChanges.find((c) => c.changedOn > asOf)?.dueBefore ?? a.dueDate;
}

export function previousActionsFigures(actions: readonly PrevActionInput[], from: string, asOf: string): PreviousActions {
  const rows: PrevActionRow[] = [];
  for (const a of actions) {
    if (a.createdOn > asOf) continue;
    if (a.completedOn !== null && a.completedOn < from) continue;
    if (a.status === 'cancelled' && a.cancelledOn !== null && a.cancelledOn < from) continue;
    const status = actionStatusAt(a, asOf);
    const dueDate = dueDateAt(a, asOf);
    rows.push({
      id: a.id,
      reviewCode: a.reviewCode,
      decisionKind: a.decisionKind,
      description: a.description,
      ownerName: a.ownerName,
      dueDate,
      status,
      completedOn: status === 'done' ? a.completedOn : null,
      overdue: (status === 'planned' || status === 'in_progress') && dueDate < asOf,
    });
  }
  const count = (s: ActionStatus) => rows.filter((r) => r.status === s).length;
  return {
    rows,
    total: rows.length,
    done: count('done'),
    open: count('planned') + count('in_progress'),
    overdue: rows.filter((r) => r.overdue).length,
    cancelled: count('cancelled'),
  };
}

export interface ObjectiveLine {
  seq: number;
  objective: string;
  comparison: 'gte' | 'lte';
  target: number;
  unit: string;
  value: number | null;
  status: ObjectiveStatus;
}

export interface ObjectivesInput {
  year: number;
  rows: ObjectiveLine[];
  met: number;
  onTrack: number;
  notMet: number;
  noData: number;
}

export function objectivesFigures(year: number, rows: readonly ObjectiveLine[]): ObjectivesInput {
  const n = (s: ObjectiveStatus) => rows.filter((r) => r.status === s).length;
  return { year, rows: [...rows], met: n('met'), onTrack: n('on_track'), notMet: n('not_met'), noData: n('no_data') };
}

export interface ProcessLine {
  code: string;
  title: string;
  status: ComplianceStatus;
  resolved: number;
  onTimeRate: number | null;
}

export interface ProcessesInput {
  rows: ProcessLine[];
  procedures: number;
  compliant: number;
  attention: number;
  nonCompliant: number;
}

export function processesFigures(rows: readonly ProcessLine[]): ProcessesInput {
  const n = (s: ComplianceStatus) => rows.filter((r) => r.status === s).length;
  return { rows: [...rows], procedures: rows.length, compliant: n('compliant'), attention: n('attention'), nonCompliant: n('non_compliant') };
}

export interface MonitoringInput {
  received: number;
  resolved: number;
  early: number;
  onTime: number;
  late: number;
  pending: number;
  pendingOverdue: number;
  onTimeRate: number | null;
}

/** The office's dossiers: the totals line of the compliance summary (counts summed, the rate from the sums). */
export function monitoringFigures(d: DossierFigures): MonitoringInput {
  return {
    received: d.received,
    resolved: d.resolved,
    early: d.early,
    onTime: d.onTime,
    late: d.late,
    pending: d.pending,
    pendingOverdue: d.pendingOverdue,
    onTimeRate: d.onTimeRate,
  };
}

export interface RisksInput extends RiskFigures {
  reviewsHeld: number;
  effective: number;
  partlyEffective: number;
  notEffective: number;
  tooEarly: number;
}

/** The register's figures with the reviews of risks held in [from, asOf] by the effectiveness of their actions. */
export function risksFigures(register: RiskFigures, reviews: readonly { reviewedOn: string; effectiveness: string }[], from: string, asOf: string): RisksInput {
  const held = reviews.filter((r) => r.reviewedOn >= from && r.reviewedOn <= asOf);
  const n = (e: string) => held.filter((r) => r.effectiveness === e).length;
  return {
    ...register,
    reviewsHeld: held.length,
    effective: n('effective'),
    partlyEffective: n('partly_effective'),
    notEffective: n('not_effective'),
    tooEarly: n('too_early'),
  };
}

export interface ImprovementInput {
  /** Opportunities for improvement found by the period's audits. */
  ofi: { auditCode: string; statement: string }[];
  openOpportunities: number;
}

export interface NonconformitiesInput {
  raised: number;
  closed: number;
  openAtEnd: number;
  awaitingTriage: number;
  overdueActions: number;
  overdueCorrectiveActions: number;
  overdueOtherActions: number;
}

export interface AuditsInput {
  held: number;
  internal: number;
  external: number;
  majorNc: number;
  minorNc: number;
  observation: number;
  ofi: number;
}

export interface ReviewPack {
  period: { from: string; to: string };
  asOf: string;
  previousActions: PreviousActions;
  objectives: ObjectivesInput;
  processes: ProcessesInput;
  nonconformities: NonconformitiesInput;
  monitoring: MonitoringInput;
  audits: AuditsInput;
  risks: RisksInput;
  improvement: ImprovementInput;
  /**
   * Citizens' satisfaction (9.3.2 b): each source in its own sub-object — `survey`, the satisfaction surveys
   * (surveys.pack.ts). Absent in packs signed before it.
   */
  satisfaction?: { survey?: SurveyPackFigures };
  /** Citizens' feedback of the period (feedback.figures.ts); absent in packs frozen before the register existed. */
  feedback?: FeedbackFigures;
}
