import type { AppContext } from '../../core/context';
import { scopeStatus } from '../declarations/declarations.service';
import { countReviewsOverdue, listReviewsOverdue } from '../risks/risks.queries';
import { apologyFigures, workList } from '../apologies/apologies.figures';
import { countAssignedOpen, countOverdue } from '../feedback/feedback.queries';
import { addDays } from '../../core/calendar';
import { barChart } from '../../core/views/charts';
import { formatNumber } from '../../core/views/format';
import { translate, type Lang } from '../../core/i18n';
import { listMyOpenActions } from '../nonconformities/nonconformities.actions.queries';
import { listUpcomingAudits } from '../audits/audits.report.queries';
import { findRevisionSigners, type RevisionSigners } from '../organisation/organisation.queries';
import { onTimeChart } from '../reports/reports.charts';
import { presetPeriods } from '../reports/reports.periods';
import { buildSummary, officeOnTimeSeries } from '../reports/reports.summary';
import {
  findSystemOverview,
  countQualityFigures,
  listActionsDueFirst,
  listPendingAcknowledgementsTop,
  listRecentRevisions,
  listAwaitingSignature,
  listReviewsDueFirst,
} from './dashboard.queries';

/**
 * What each role's dashboard shows, gathered from the features that own the data. Lists are cut to a few items
 * with a link to the full list.
 */
const SHOW = 8;
const DUE_SOON_DAYS = 14;
const REVIEW_WITHIN_DAYS = 30;

const cut = <T>(list: T[]) => ({ items: list.slice(0, SHOW), more: list.length > SHOW });

/** The last 12 months up to today (from the first day of the month 11 months back). */
function lastTwelveMonths(today: string) {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const start = new Date(Date.UTC(y, m - 12, 1));
  return { from: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}-01`, to: today };
}

/** The office-wide part of the quality officer's dashboard. */
async function qualityFigures(ctx: AppContext, today: string) {
  const months = lastTwelveMonths(today);
  const dueUntil = addDays(today, DUE_SOON_DAYS);
  const reviewUntil = addDays(today, REVIEW_WITHIN_DAYS);
  const [counts, due, reviewItems, recent, series] = await Promise.all([
    countQualityFigures(ctx.db, today, dueUntil, reviewUntil),
    listActionsDueFirst(ctx.db, today, dueUntil, SHOW),
    listReviewsDueFirst(ctx.db, today, reviewUntil, SHOW),
    listRecentRevisions(ctx.db, addDays(today, -60), today, SHOW, true),
    officeOnTimeSeries(ctx, months),
  ]);
  const outstanding = recent.filter((r) => r.acknowledged < r.required).map((r) => ({ ...r, missing: r.required - r.acknowledged }));
  const actions = { overdue: { total: counts.actionsOverdue, items: due.overdue }, dueSoon: { total: counts.actionsDueSoon, items: due.soon } };
  const reviews = { total: counts.reviewsDue ?? 0, items: reviewItems };
  return { nc: counts.nc, actions, reviews, outstanding, series, months };
}

export async function qualityDashboard(ctx: AppContext, userId: number, today: string, lang: Lang) {
  const [figures, myAcks, audits, declaration, riskReviews, riskReviewsTotal, apologies, feedbackOverdue] = await Promise.all([
    qualityFigures(ctx, today),
    listPendingAcknowledgementsTop(ctx.db, userId, SHOW, today),
    listUpcomingAudits(ctx.db, today, 5),
    scopeStatus(ctx.db),
    listReviewsOverdue(ctx.db, today, SHOW),
    countReviewsOverdue(ctx.db, today),
    // the late and overdue dossiers of the last 12 months that still need an apology slip (issue 24)
    apologyFigures(ctx.db, lastTwelveMonths(today).from, today),
    // feedback not answered by its deadline (issue 24)
    countOverdue(ctx.db, today),
  ]);
  return {
    ...qualityView(figures, lang),
    myAcks: cut(myAcks),
    audits,
    declaration,
    riskReviews: { items: riskReviews, total: riskReviewsTotal },
    apologiesNeeded: workList(apologies, today).length,
    feedbackOverdue,
  };
}

function qualityView(figures: Awaited<ReturnType<typeof qualityFigures>>, lang: Lang) {
  const t = (k: string, p?: Record<string, unknown>) => translate(lang, k, p);
  const { nc, actions, reviews } = figures;
  return {
    nc,
    ncChart: barChart({
      id: 'chart-nc',
      title: t('dashboard.nc_chart.title'),
      desc: t('dashboard.nc_chart.desc', { major: nc.major, minor: nc.minor }),
      data: [
        { label: t('dashboard.nc.major'), value: nc.major, valueText: formatNumber(nc.major, lang), pattern: 'hatch' },
        { label: t('dashboard.nc.minor'), value: nc.minor, valueText: formatNumber(nc.minor, lang), pattern: 'dots' },
      ],
      table: { caption: t('dashboard.nc_chart.table'), headers: [t('dashboard.nc.severity'), t('dashboard.nc.count')] },
    }),
    overdue: { ...actions.overdue, more: Math.max(0, actions.overdue.total - actions.overdue.items.length) },
    dueSoon: { ...actions.dueSoon, more: Math.max(0, actions.dueSoon.total - actions.dueSoon.items.length) },
    dueSoonDays: DUE_SOON_DAYS,
    reviews: { ...reviews, more: Math.max(0, reviews.total - reviews.items.length) },
    reviewDays: REVIEW_WITHIN_DAYS,
    ackOutstanding: figures.outstanding,
    chart: onTimeChart('chart-dash-on-time', figures.series, figures.months, null, lang),
    months: figures.months,
  };
}

/** An office sees a tile for each of its procedures; beyond this many, only those that need attention. */
export const GRID_ALL_UP_TO = 60;

type Status = 'non_compliant' | 'attention' | 'compliant';

/**
 * The tiles of the leader's home page: non-compliant first, then attention, then compliant, by code. With more than
 * GRID_ALL_UP_TO procedures (one instance for a whole province) only the non-compliant and attention ones are shown,
 * at most GRID_ALL_UP_TO; the chart above counts them all and the summary report lists every one.
 */
export function statusGrid<R extends { code: string; status: Status }>(rows: R[]): { shown: R[]; hidden: number } {
  // Each status's rows in the order given, then each put in code order: the summary gives them in code order
  // already (checked with one comparison per row; sorted only when not), where sorting a province's 2,000 rows by
  // status and code with the collator took 1 ms of the leader's page. Same order as sorting by status, then code.
  const by: Record<Status, R[]> = { non_compliant: [], attention: [], compliant: [] };
  for (const r of rows) by[r.status].push(r);
  const all = rows.length <= GRID_ALL_UP_TO;
  const shown: R[] = [];
  for (const status of all ? STATUS_ORDER : STATUS_ORDER.slice(0, 2)) {
    if (shown.length >= GRID_ALL_UP_TO && !all) break;
    shown.push(...inCodeOrder(by[status]));
  }
  if (!all) shown.length = Math.min(shown.length, GRID_ALL_UP_TO);
  return { shown, hidden: rows.length - shown.length };
}

const STATUS_ORDER = ['non_compliant', 'attention', 'compliant'] as const;

/** String.prototype.localeCompare's order (the default locale), from one collator instead of one per comparison. */
const byCode = new Intl.Collator().compare;

/** The list in code order (the collator's), sorted only when it is not already (a stable sort: equal codes keep their order). */
function inCodeOrder<R extends { code: string }>(list: R[]): R[] {
  for (let i = 1; i < list.length; i++) if (byCode(list[i - 1].code, list[i].code) > 0) return list.sort((a, b) => byCode(a.code, b.code));
  return list;
}

/** The leader's chart of procedures by status. */
function statusChart(by: { compliant: number; attention: number; non_compliant: number }, lang: Lang): ReturnType<typeof barChart> {
  const t = (k: string, p?: Record<string, unknown>) => translate(lang, k, p);
  return barChart({
    id: 'chart-status',
    title: t('dashboard.status_chart.title'),
    desc: t('dashboard.status_chart.desc', { compliant: by.compliant, attention: by.attention, non_compliant: by.non_compliant }),
    data: [
      { label: `✗ ${t('reports.status.non_compliant')}`, value: by.non_compliant, valueText: formatNumber(by.non_compliant, lang), pattern: 'hatch' },
      { label: `! ${t('reports.status.attention')}`, value: by.attention, valueText: formatNumber(by.attention, lang), pattern: 'dots' },
      { label: `✓ ${t('reports.status.compliant')}`, value: by.compliant, valueText: formatNumber(by.compliant, lang), pattern: 'solid' },
    ],
    table: { caption: t('dashboard.status_chart.table'), headers: [t('reports.f.status'), t('dashboard.procedures')] },
  });
}

/** `signers`: the organisation's rule as the request read it (res.locals.org), else read here. */
export async function leaderDashboard(ctx: AppContext, userId: number, today: string, lang: Lang, signers?: RevisionSigners) {
  const quarter = presetPeriods(today)[0];
  const period = { from: quarter.from, to: quarter.to };
  const [summary, { revisions, programmes, annual }] = await Promise.all([
    buildSummary(ctx, period, {}),
    (signers ? Promise.resolve(signers) : findRevisionSigners(ctx.db)).then((rule) => listAwaitingSignature(ctx.db, userId, rule)),
  ]);
  const { shown: grid, hidden } = statusGrid(summary.rows);
  const by = summary.totals.byStatus;
  return {
    period,
    periodQuery: `from=${period.from}&to=${period.to}`,
    grid,
    hidden,
    byStatus: by,
    statusChart: statusChart(by, lang),
    revisions,
    programmes,
    annual,
    waiting: revisions.length + programmes.length + annual.length,
  };
}

export async function staffDashboard(ctx: AppContext, userId: number, today: string) {
  const [mine, acks, changed, feedbackAssigned] = await Promise.all([
    listMyOpenActions(ctx.db, userId),
    listPendingAcknowledgementsTop(ctx.db, userId, SHOW, today),
    listRecentRevisions(ctx.db, addDays(today, -30), today, SHOW + 1),
    countAssignedOpen(ctx.db, userId),
  ]);
  const open = mine.map((a) => ({ ...a, overdue: a.due_date < today }));
  return { actions: cut(open), acks: cut(acks), changed: cut(changed), today, feedbackAssigned };
}

export async function adminDashboard(ctx: AppContext) {
  return { overview: await findSystemOverview(ctx.db) };
}
