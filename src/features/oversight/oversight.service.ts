import { addDays } from '../../core/calendar';
import type { AppContext } from '../../core/context';
import { runInOrganisation, withoutOrganisation } from '../../core/db/scope';
import { ORGANISATION_KINDS } from '../../core/db/schema';
import { twelveMonthWindowStart } from '../audits/audits.report.queries';
import { organisationsUnder } from '../organisation/organisation.tree.queries';
import { STATUSES, type ComplianceStatus } from '../reports/reports.compliance';
import { buildSummary, findLastFigureChange } from '../reports/reports.summary';
import {
  countCompletedAudits,
  countDocumentsDue,
  countOpenMajorNcs,
  countOverdueActions,
  listOversightOrganisations,
  type OversightOrganisation,
} from './oversight.queries';

/**
 * The oversight page (issue 22): every organisation under the viewer's own (itself first) with its QMS state. The
 * figures are each organisation's own, as its own pages show them, computed for the whole list at once.
 */
export interface OversightRow extends OversightOrganisation {
  documentsDue: number;
  auditsLast12Months: number;
  openMajorNcs: number;
  overdueActions: number;
  /** Resolved dossiers of 1 January to today and the early + on-time ones (the summary report's totals). */
  resolved: number;
  goodResolved: number;
  /** (early + on time) / resolved in [0, 1]; null when none was resolved (the summary shows —). */
  onTimeRate: number | null;
  byStatus: Record<ComplianceStatus, number>;
  /** Overdue actions, open major NCs or documents due. */
  problems: boolean;
}

export interface Oversight {
  today: string;
  /** The period of the on-time rate and the compliance statuses: 1 January of this year to today. */
  period: { from: string; to: string };
  rows: OversightRow[];
}

/** The kinds of organisation, for the filter. */
export const OVERSIGHT_KINDS = ORGANISATION_KINDS;

/**
 * Each organisation's summary totals over the period, exactly as its own summary report (/reports/summary) shows
 * them: how many of its active procedures are in each compliance status (its byStatus line), and its dossiers
 * resolved and resolved early or on time (the totals of the dossier columns, from which the report's on-time rate
 * is computed). A status is judged per procedure from five kinds of figures (REPORTING.md, "Status and checks");
 * rather than a second copy of those rules, this reads the summary's rows, which the summary keeps per database and
 * organisation until a figure of one of its procedures changes (reports.summary.ts, PeriodFigures): warm, nothing
 * read but the last seq of figure_changes, once for every organisation; after a change, only the changed
 * procedures' rows are computed again. Run in the organisation's request scope (runInOrganisation on the app's own
 * handle) so that the kept rows are the ones its own summary page uses.
 */
async function summaryTotals(ctx: AppContext, ids: readonly number[], period: { from: string; to: string }, today: string) {
  const out = new Map<number, { byStatus: Record<ComplianceStatus, number>; resolved: number; good: number }>();
  // The log of changed figures is the database's: read its last seq once for every organisation, before any is computed.
  const seq = await findLastFigureChange(withoutOrganisation(ctx.db));
  for (const id of ids) {
    const { totals } = await runInOrganisation(id, () => buildSummary(ctx, period, {}, today, [], seq));
    out.set(id, { byStatus: totals.byStatus, resolved: totals.dossiers.resolved, good: totals.dossiers.early + totals.dossiers.onTime });
  }
  return out;
}

/** Every organisation under `ownId` (itself first, then by id) with its figures as of `today`. */
export async function buildOversight(ctx: AppContext, ownId: number, today: string): Promise<Oversight> {
  const db = withoutOrganisation(ctx.db);
  const ids = await organisationsUnder(db, ownId);
  const period = { from: `${today.slice(0, 4)}-01-01`, to: today };
  const [orgs, due, audits, major, overdue, totals] = await Promise.all([
    listOversightOrganisations(db, ids),
    countDocumentsDue(db, ids, today, addDays(today, 30)),
    countCompletedAudits(db, ids, twelveMonthWindowStart(today), today),
    countOpenMajorNcs(db, ids),
    countOverdueActions(db, ids, today),
    summaryTotals(ctx, ids, period, today),
  ]);
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const rows = ids
    .map((id) => byId.get(id))
    .filter((o): o is OversightOrganisation => o !== undefined)
    .map((o): OversightRow => {
      const summary = totals.get(o.id) ?? { byStatus: { non_compliant: 0, attention: 0, compliant: 0 }, resolved: 0, good: 0 };
      const row = {
        ...o,
        documentsDue: due.get(o.id) ?? 0,
        auditsLast12Months: audits.get(o.id) ?? 0,
        openMajorNcs: major.get(o.id) ?? 0,
        overdueActions: overdue.get(o.id) ?? 0,
        resolved: summary.resolved,
        goodResolved: summary.good,
        onTimeRate: summary.resolved === 0 ? null : summary.good / summary.resolved,
        byStatus: summary.byStatus,
      };
      return { ...row, problems: row.overdueActions > 0 || row.openMajorNcs > 0 || row.documentsDue > 0 };
    });
  return { today, period, rows };
}

export const SORT_KEYS = ['code', 'name', 'kind', 'declared', 'documents_due', 'audits', 'open_major', 'overdue_actions', 'on_time_rate', ...STATUSES] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface OversightFilter {
  kind?: string;
  q?: string;
  problems?: boolean;
  sort?: SortKey;
  dir?: 'asc' | 'desc';
}

const sortValue = (r: OversightRow, key: SortKey): string | number | null => {
  switch (key) {
    case 'code':
      return r.code.toLowerCase();
    case 'name':
      return r.name.toLocaleLowerCase('vi');
    case 'kind':
      return r.kind;
    case 'declared':
      return r.qms_declared_on;
    case 'documents_due':
      return r.documentsDue;
    case 'audits':
      return r.auditsLast12Months;
    case 'open_major':
      return r.openMajorNcs;
    case 'overdue_actions':
      return r.overdueActions;
    case 'on_time_rate':
      return r.onTimeRate;
    default:
      return r.byStatus[key];
  }
};

/**
 * The rows the filter keeps (kind, text in the name or code ignoring case and diacritics, only those with a
 * problem), sorted by a column (empty values last in either direction, ties by code); unsorted: tree order.
 */
export function filterAndSort(rows: readonly OversightRow[], f: OversightFilter): OversightRow[] {
  const plain = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase();
  const q = f.q ? plain(f.q.trim()) : '';
  const kept = rows.filter((r) => (!f.kind || r.kind === f.kind) && (!f.problems || r.problems) && (!q || plain(`${r.code} ${r.name}`).includes(q)));
  if (!f.sort) return kept;
  const key = f.sort;
  const sign = f.dir === 'desc' ? -1 : 1;
  return [...kept].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      if (typeof x === 'string' && typeof y === 'string') return sign * x.localeCompare(y, 'vi');
      return sign * (x < y ? -1 : 1);
    }
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
