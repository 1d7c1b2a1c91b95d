import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { localDateOf } from '../../core/calendar/zone';
import { asOfDate } from '../reports/reports.periods';
import { buildSummary } from '../reports/reports.summary';
import { countAuditsHeld, countNonconformitiesOverall } from '../reports/reports.annual.queries';
import { listObjectives } from '../objectives/objectives.queries';
import { progressOfAll } from '../objectives/objectives.progress';
import { listRisks } from '../risks/risks.queries';
import { riskFigures } from '../risks/risks.figures';
import {
  monitoringFigures,
  objectivesFigures,
  previousActionsFigures,
  processesFigures,
  risksFigures,
  type PrevActionInput,
  type ReviewPack,
} from './reviews.figures';
import { feedbackFigures } from '../feedback/feedback.figures';
import { listOfiFindings, listPreviousActions, listRiskReviewsIn } from './reviews.queries';
import { surveyPack } from '../surveys/surveys.pack';

/**
 * Puts a review's data pack together (definitions: reviews.figures.ts) from the other features' own queries: the
 * compliance summary of all procedures (reports), the office's nonconformity and audit figures (the annual report's
 * queries), the objectives' progress, the risk register's figures, and the actions of earlier reviews' decisions.
 * Computed live while the review is a draft; frozen when it is signed. `ctx.db` may be a transaction.
 */
export async function computePack(
  ctx: AppContext,
  review: { id: number; period_from: string; period_to: string; held_on: string },
  today: string,
  timeZone: string,
): Promise<ReviewPack> {
  const db: Db = ctx.db;
  const period = { from: review.period_from, to: review.period_to };
  const asOf = asOfDate(period, today);
  const from = period.from;
  const year = Number(asOf.slice(0, 4));
  const [summary, nonconformities, audits, ofi, previous, register, riskReviews, objectives, survey, feedback] = await Promise.all([
    buildSummary(ctx, period, {}, today),
    countNonconformitiesOverall(db, from, asOf),
    countAuditsHeld(db, from, asOf),
    listOfiFindings(db, from, asOf),
    listPreviousActions(db, review.id, review.held_on),
    listRisks(db),
    listRiskReviewsIn(db, from, asOf),
    listObjectives(db, year),
    surveyPack(db, from, asOf),
    feedbackFigures(db, from, period.to, asOf),
  ]);
  const active = objectives.filter((o) => o.status === 'active');
  const progress = await progressOfAll(db, active, asOf);
  const registerFigures = riskFigures(register, asOf);
  const prevInput: PrevActionInput[] = previous.actions.map((a) => ({
    id: a.id,
    reviewCode: a.review_code,
    decisionKind: a.decision_kind,
    description: a.description,
    ownerName: a.owner_name,
    dueDate: a.due_date,
    dueChanges: previous.changes.filter((c) => c.action_id === a.id).map((c) => ({ changedOn: c.changed_on, dueBefore: c.due_before })),
    startedOn: a.started_on,
    completedOn: a.completed_on,
    cancelledOn: a.cancelled_on,
    status: a.status,
    createdOn: localDateOf(a.created_at, timeZone),
  }));
  return {
    period,
    asOf,
    previousActions: previousActionsFigures(prevInput, from, asOf),
    objectives: objectivesFigures(
      year,
      active.map((o) => {
        const p = progress.get(o.id);
        return {
          seq: o.seq,
          objective: o.objective,
          comparison: o.comparison,
          target: Number(o.target),
          unit: o.unit,
          value: p?.year.value ?? null,
          status: p?.status ?? 'no_data',
        };
      }),
    ),
    processes: processesFigures(
      summary.rows.map((r) => ({ code: r.code, title: r.title, status: r.status, resolved: r.dossiers.resolved, onTimeRate: r.dossiers.onTimeRate })),
    ),
    nonconformities: {
      raised: nonconformities.raised,
      closed: nonconformities.closed,
      openAtEnd: nonconformities.openAtEnd,
      awaitingTriage: nonconformities.awaitingTriage ?? 0,
      overdueActions: nonconformities.overdueActions,
      overdueCorrectiveActions: nonconformities.overdueCorrectiveActions ?? 0,
      overdueOtherActions: nonconformities.overdueOtherActions ?? 0,
    },
    monitoring: monitoringFigures(summary.totals.dossiers),
    audits,
    risks: risksFigures(
      registerFigures,
      riskReviews.map((r) => ({ reviewedOn: r.reviewed_on, effectiveness: r.effectiveness })),
      from,
      asOf,
    ),
    improvement: { ofi: ofi.map((f) => ({ auditCode: f.audit_code, statement: f.statement })), openOpportunities: registerFigures.openOpportunities },
    satisfaction: { survey },
    feedback,
  };
}

/** A frozen pack (JSON) as stored at signing. */
export function parsePack(json: string | null): ReviewPack | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as ReviewPack;
  } catch {
    return undefined;
  }
}
