import type { Db } from '../../core/db/database';
import type { AnnualReviews } from '../reports/reports.annual.sections';
import type { Period } from '../reports/reports.periods';
import { listAllDecisions, listReviews } from './reviews.queries';

/**
 * The annual report's section on management reviews (wired in src/features/hooks.ts): the reviews held in the period
 * whose minutes are signed, their decisions, and the decisions' actions as they stood at the period's end — done
 * (completed by then), open (neither completed nor cancelled by then) and, of those, overdue (due before the end).
 */
export async function annualReviews(db: Db, _year: number, period: Period): Promise<{ reviews: AnnualReviews }> {
  const held = (await listReviews(db))
    .filter((r) => r.status === 'signed' && r.held_on >= period.from && r.held_on <= period.to)
    .sort((a, b) => (a.held_on < b.held_on ? -1 : a.held_on > b.held_on ? 1 : a.id - b.id));
  const ids = new Set(held.map((r) => r.id));
  const decisions = (await listAllDecisions(db)).filter((d) => ids.has(d.review_id));
  const end = period.to;
  let actionsDone = 0;
  let actionsOpen = 0;
  let actionsOverdue = 0;
  for (const d of decisions) {
    if (d.action_id === null) continue;
    if (d.completed_on !== null && d.completed_on <= end) actionsDone++;
    else if (!(d.action_status === 'cancelled' && d.cancelled_on !== null && d.cancelled_on <= end)) {
      actionsOpen++;
      if (d.due_date !== null && d.due_date < end) actionsOverdue++;
    }
  }
  return {
    reviews: {
      held: held.length,
      decisions: decisions.length,
      actionsDone,
      actionsOpen,
      actionsOverdue,
      items: held.map((r) => ({ code: r.code, heldOn: r.held_on, decisions: decisions.filter((d) => d.review_id === r.id).length })),
    },
  };
}
