import type { Db } from '../../core/db/database';
import { dossierFigures, dossierFiguresForAll } from '../dossiers/dossiers.figures';
import { listSummaryProcedures } from '../reports/reports.summary.queries';
import { asOfOf, type MeasurementPeriod, type Ratio } from './objectives.model';
import { listNcActionDues, listNcClosings, listPlannedAudits, listReviewsDue, type NcActionDue } from './objectives.indicators.queries';
import type { ComputedIndicator } from './objectives.tables';

/**
 * The computed indicators of the quality objectives, each a ratio of counts for a measurement period, computed as of
 * the period's end or today while it is not over (as the reports do, REPORTING.md). A denominator of 0 is "no data"
 * (never 0 % or 100 %). The definitions, as the objective's page states them (objectives.i18n.ts `definition.*`):
 *
 * - on_time_rate: dossiers resolved early or on time ÷ dossiers resolved in the period (REPORTING.md onTimeRate:
 *   resolved = received by `to` and returned or withdrawn within the period; early/on time against the due date; a
 *   withdrawal counts as on time). One procedure's, or, for "all procedures", the sum over the organisation's
 *   active procedures (of the objective's unit, for a unit's objective): the totals line of the compliance summary.
 * - nc_closed_on_time: nonconformities closed in the period whose closing date ≤ their due date ÷ nonconformities
 *   closed in the period (closings as the compliance report counts them: a transition to "closed" dated in the
 *   period, each NC once at its last closing in the period, NCs rejected since left out). An NC's due date is the
 *   latest due date of its actions not cancelled by the closing date, each read as in force on the closing date (a
 *   due date moved later counts from the day it was moved). NCs closed without such an action have no due date and
 *   are left out of both counts (the page says how many).
 * - audit_programme_completed: planned audits of the year's audit programme (not cancelled) reported by the as-of
 *   date (report issued, last day of fieldwork on or before it) ÷ planned audits due by then: those scheduled in a
 *   month up to the period's end whose month is over at the as-of date, plus those already reported. Cumulative from
 *   January (a programme is completed through the year). No programme for the year: no data.
 * - documents_reviewed_on_time: periodic reviews due in the period (due date from the period's start to the as-of
 *   date) done on or before their due date ÷ reviews due in the period: the reviews recorded against a due date in
 *   the period, and the effective revisions of active documents whose review date in the period has passed (before
 *   today) without a review (late).
 * Citizen satisfaction has no data in the app yet: it is not an indicator.
 */
export interface IndicatorScope {
  year: number;
  /** on_time_rate: one procedure, or null for all (active) procedures. */
  procedureId: number | null;
  /** A unit's objective: its procedures for on_time_rate with all procedures. */
  unitId: number | null;
}

/** Everything an indicator's periods are counted from, read once for the year. */
export type IndicatorCounter = (period: MeasurementPeriod) => Promise<Ratio & { left?: number }>;

export async function counterFor(db: Db, indicator: ComputedIndicator, scope: IndicatorScope, today: string): Promise<IndicatorCounter> {
  const yearFrom = `${scope.year}-01-01`;
  const yearTo = `${scope.year}-12-31`;
  switch (indicator) {
    case 'on_time_rate': {
      const ids =
        scope.procedureId === null ? new Set((await listSummaryProcedures(db, scope.unitId ? { unitId: scope.unitId } : {})).map((p) => p.id)) : undefined;
      return async (p) => {
        const to = asOfOf(p, today);
        if (scope.procedureId !== null) {
          const f = await dossierFigures(db, scope.procedureId, p.from, to);
          return { numerator: f.early + f.onTime, denominator: f.resolved };
        }
        let numerator = 0;
        let denominator = 0;
        for (const [id, f] of await dossierFiguresForAll(db, p.from, to)) {
          if (!ids!.has(id)) continue;
          numerator += f.early + f.onTime;
          denominator += f.resolved;
        }
        return { numerator, denominator };
      };
    }
    case 'nc_closed_on_time': {
      const closings = await listNcClosings(db, yearFrom, yearTo);
      const actions = await listNcActionDues(db, [...new Set(closings.map((c) => c.ncId))]);
      return (p) => Promise.resolve(ncClosedOnTime(closings, actions, p.from, asOfOf(p, today)));
    }
    case 'audit_programme_completed': {
      const planned = await listPlannedAudits(db, scope.year);
      return (p) => Promise.resolve(planned ? auditsCompleted(planned, p, asOfOf(p, today)) : { numerator: 0, denominator: 0 });
    }
    case 'documents_reviewed_on_time': {
      const reviews = await listReviewsDue(db, yearFrom, yearTo, today);
      return (p) => {
        const to = asOfOf(p, today);
        const due = reviews.filter((r) => r.due >= p.from && r.due <= to && (r.reviewedOn !== null || r.due < today));
        return Promise.resolve({ numerator: due.filter((r) => r.reviewedOn !== null && r.reviewedOn <= r.due).length, denominator: due.length });
      };
    }
  }
}

/** An action's due date in force on `date`: the date before the first change made after it, else its due date now. */
function dueOn(a: NcActionDue, date: string): string {
  return a.changes.find((c) => c.changedOn > date)?.dueBefore ?? a.dueDate;
}

/** nc_closed_on_time for [from, to]; `left` counts the NCs closed without a due date (left out of both counts). */
export function ncClosedOnTime(
  closings: readonly { ncId: number; closedOn: string }[],
  actions: readonly NcActionDue[],
  from: string,
  to: string,
): Ratio & { left: number } {
  const last = new Map<number, string>();
  for (const c of closings) if (c.closedOn >= from && c.closedOn <= to && (last.get(c.ncId) ?? '') < c.closedOn) last.set(c.ncId, c.closedOn);
  let numerator = 0;
  let denominator = 0;
  let left = 0;
  for (const [ncId, closedOn] of last) {
    const dues = actions
      .filter((a) => a.ncId === ncId && !(a.status === 'cancelled' && (a.cancelledOn === null || a.cancelledOn <= closedOn)))
      .map((a) => dueOn(a, closedOn));
    if (dues.length === 0) {
      left += 1;
      continue;
    }
    denominator += 1;
    if (closedOn <= dues.reduce((a, b) => (a > b ? a : b))) numerator += 1;
  }
  return { numerator, denominator, left };
}

const monthEnd = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/** audit_programme_completed as of `asOf`, for the planned audits scheduled up to the period's end. */
export function auditsCompleted(planned: readonly { month: number; doneOn: string | null }[], p: MeasurementPeriod, asOf: string): Ratio {
  const year = Number(p.to.slice(0, 4));
  // the year to date counts the whole year's plan (its `to` is today: the as-of date)
  const lastMonth = p.key === 'YTD' ? 12 : Number(p.to.slice(5, 7));
  const due = planned.filter((i) => i.month <= lastMonth && (monthEnd(year, i.month) <= asOf || (i.doneOn !== null && i.doneOn <= asOf)));
  return { numerator: due.filter((i) => i.doneOn !== null && i.doneOn <= asOf).length, denominator: due.length };
}
