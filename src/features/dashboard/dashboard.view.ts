import type { AppContext } from '../../core/context';
import { addDays } from '../../core/calendar';
import { barChart } from '../../core/views/charts';
import { formatNumber } from '../../core/views/format';
import { translate, type Lang } from '../../core/i18n';
import { listOverdueAndDueSoonActions, listMyActions } from '../actions/actions.queries';
import { listUpcomingAudits } from '../audits/audits.report.queries';
import { acknowledgementCoverage, listDocumentsDueForReview, listPendingAcknowledgements, listRecentlyChangedDocuments } from '../documents/documents.queries';
import { monthlyOnTimeSeries } from '../dossiers/dossiers.figures';
import { countOpenBySeverity } from '../nonconformities/nonconformities.queries';
import { listAnnualDrafts } from '../reports/reports.annual.queries';
import { onTimeChart } from '../reports/reports.charts';
import { presetPeriods } from '../reports/reports.periods';
import { buildSummary } from '../reports/reports.summary';
import { findSystemOverview, listProgrammesAwaitingApproval, listRevisionsAwaitingSignature } from './dashboard.queries';

/**
 * What each role's dashboard shows, gathered from the features that own the data. Lists are cut to a few
 * items with a link to the full list; every query is bounded or grouped.
 */
const SHOW = 8;
const DUE_SOON_DAYS = 14;
const REVIEW_WITHIN_DAYS = 30;

const cut = <T>(list: T[]) => ({ items: list.slice(0, SHOW), total: list.length, more: Math.max(0, list.length - SHOW) });

/** The last 12 months up to today (from the first day of the month 11 months back). */
function lastTwelveMonths(today: string) {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const start = new Date(Date.UTC(y, m - 12, 1));
  return { from: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}-01`, to: today };
}

export async function qualityDashboard(ctx: AppContext, userId: number, today: string, lang: Lang) {
  const t = (k: string, p?: Record<string, unknown>) => translate(lang, k, p);
  const months = lastTwelveMonths(today);
  const [nc, actions, reviews, myAcks, recent, audits, series] = await Promise.all([
    countOpenBySeverity(ctx.db),
    listOverdueAndDueSoonActions(ctx.db, today, DUE_SOON_DAYS),
    listDocumentsDueForReview(ctx.db, today, REVIEW_WITHIN_DAYS),
    listPendingAcknowledgements(ctx.db, userId),
    listRecentlyChangedDocuments(ctx.db, addDays(today, -60)),
    listUpcomingAudits(ctx.db, today, 5),
    monthlyOnTimeSeries(ctx.db, null, months.from, months.to),
  ]);
  const outstanding = [];
  for (const r of recent.slice(0, SHOW)) {
    const cov = await acknowledgementCoverage(ctx.db, r.revisionId);
    if (cov.acknowledged < cov.required) outstanding.push({ ...r, ...cov, missing: cov.required - cov.acknowledged });
  }
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
    overdue: cut(actions.overdue),
    dueSoon: cut(actions.dueSoon),
    dueSoonDays: DUE_SOON_DAYS,
    reviews: cut(reviews),
    reviewDays: REVIEW_WITHIN_DAYS,
    myAcks: cut(myAcks),
    ackOutstanding: outstanding,
    audits,
    chart: onTimeChart('chart-dash-on-time', series, months, null, lang),
    months,
  };
}

export async function leaderDashboard(ctx: AppContext, userId: number, today: string, lang: Lang) {
  const t = (k: string, p?: Record<string, unknown>) => translate(lang, k, p);
  const quarter = presetPeriods(today)[0]!;
  const period = { from: quarter.from, to: quarter.to };
  const [summary, revisions, programmes, annual] = await Promise.all([
    buildSummary(ctx, period, {}),
    listRevisionsAwaitingSignature(ctx.db, userId),
    listProgrammesAwaitingApproval(ctx.db),
    listAnnualDrafts(ctx.db),
  ]);
  const order = { non_compliant: 0, attention: 1, compliant: 2 } as const;
  const grid = [...summary.rows].sort((a, b) => order[a.status] - order[b.status] || a.code.localeCompare(b.code));
  const by = summary.totals.byStatus;
  return {
    period,
    periodQuery: `from=${period.from}&to=${period.to}`,
    grid,
    byStatus: by,
    statusChart: barChart({
      id: 'chart-status',
      title: t('dashboard.status_chart.title'),
      desc: t('dashboard.status_chart.desc', { compliant: by.compliant, attention: by.attention, non_compliant: by.non_compliant }),
      data: [
        { label: `✗ ${t('reports.status.non_compliant')}`, value: by.non_compliant, valueText: formatNumber(by.non_compliant, lang), pattern: 'hatch' },
        { label: `! ${t('reports.status.attention')}`, value: by.attention, valueText: formatNumber(by.attention, lang), pattern: 'dots' },
        { label: `✓ ${t('reports.status.compliant')}`, value: by.compliant, valueText: formatNumber(by.compliant, lang), pattern: 'solid' },
      ],
      table: { caption: t('dashboard.status_chart.table'), headers: [t('reports.f.status'), t('dashboard.procedures')] },
    }),
    revisions,
    programmes,
    annual,
    waiting: revisions.length + programmes.length + annual.length,
  };
}

export async function staffDashboard(ctx: AppContext, userId: number, today: string) {
  const [actions, acks, changed] = await Promise.all([
    listMyActions(ctx.db, userId, today),
    listPendingAcknowledgements(ctx.db, userId),
    listRecentlyChangedDocuments(ctx.db, addDays(today, -30)),
  ]);
  const open = actions.open.map((a) => ({ ...a, overdue: a.due_date < today }));
  return { actions: cut(open), acks: cut(acks), changed: cut(changed), today };
}

export async function adminDashboard(ctx: AppContext) {
  return { overview: await findSystemOverview(ctx.db) };
}
