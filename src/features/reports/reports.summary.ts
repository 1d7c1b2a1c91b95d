import type { AppContext } from '../../core/context';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatNumber, formatPercent } from '../../core/views/format';
import { listLastAuditDates } from '../audits/audits.report.queries';
import { dossierFiguresForAll } from '../dossiers/dossiers.figures';
import { keptProcedureFields } from '../procedures/procedures.filter';
import { keptUnitOptions } from '../units/units.options';
import { computeCompliance, type CheckId, type ComplianceStatus } from './reports.compliance';
import type { Period } from './reports.periods';
import { DOSSIER_FIELDS, emptyDossiers, pickDossiers, type DossierFigures } from './reports.dossiers';
import { cachedUntilChange } from '../../core/db/change-cache';
import { statusBadge } from './reports.http';
import { emptyNc, listNcFiguresByProcedure, listProcedureDocumentsAt, listSummaryProcedures, type SummaryFilter } from './reports.summary.queries';

/**
 * The all-procedures summary: one row per active procedure with its status and key figures, and a totals line
 * that is the sum of every row matching the filter (on screen a page shows some of them; the totals, the exports
 * and the printed report cover them all). A fixed number of grouped queries whatever the number of procedures.
 */
export interface SummaryRow {
  id: number;
  code: string;
  title: string;
  field: string;
  unitId: number | null;
  unitCode: string | null;
  status: ComplianceStatus;
  failedChecks: CheckId[];
  document: { code: string; revisionNo: number; nextReviewDue: string } | null;
  lastAuditDate: string | null;
  dossiers: DossierFigures;
  ncRaised: number;
  ncOpenAtEnd: number;
  ncClosed: number;
  overdueActions: number;
}

export interface SummaryTotals {
  procedures: number;
  byStatus: Record<ComplianceStatus, number>;
  dossiers: DossierFigures;
  ncRaised: number;
  ncOpenAtEnd: number;
  ncClosed: number;
  overdueActions: number;
}

/** The rows and totals are shared with the cache (and other requests): callers copy before sorting or changing them. */
export interface Summary {
  period: Period;
  rows: SummaryRow[];
  totals: SummaryTotals;
}

export interface SummaryQuery extends SummaryFilter {
  status?: ComplianceStatus;
}

/**
 * The summary for a period, filtered: every matching row and their totals. The rows of a period are computed once
 * per data change (cachedUntilChange); a filter's rows and totals are worked out once per row set too (filtered,
 * below), so a request costs neither a pass over every procedure nor a sum of them.
 */
export async function buildSummary(ctx: AppContext, period: Period, query: SummaryQuery): Promise<Summary> {
  const all = await cachedUntilChange(ctx, `summary|${period.from}|${period.to}`, () => computeRows(ctx, period));
  return { period, ...filtered(all, query) };
}

/** Per cached row set (dropped with it): filter → its rows and totals, the most recently used few kept. */
const MAX_FILTERS = 64;
const byFilter = new WeakMap<readonly SummaryRow[], Map<string, { rows: SummaryRow[]; totals: SummaryTotals }>>();

function filtered(all: SummaryRow[], query: SummaryQuery): { rows: SummaryRow[]; totals: SummaryTotals } {
  let memo = byFilter.get(all);
  if (!memo) byFilter.set(all, (memo = new Map()));
  const key = JSON.stringify([query.field ?? null, query.unitId ?? null, query.status ?? null]);
  const hit = memo.get(key);
  if (hit) {
    memo.delete(key);
    memo.set(key, hit);
    return hit;
  }
  const rows =
    query.field || query.unitId || query.status
      ? all.filter((r) => (!query.field || r.field === query.field) && (!query.unitId || r.unitId === query.unitId) && (!query.status || r.status === query.status))
      : all;
  const entry = { rows, totals: totalsOf(rows) };
  memo.set(key, entry);
  if (memo.size > MAX_FILTERS) memo.delete(memo.keys().next().value!);
  return entry;
}

async function computeRows(ctx: AppContext, period: Period): Promise<SummaryRow[]> {
  const { from, to } = period;
  const [procedures, dossiersBy, documentsBy, ncBy, auditsBy] = await Promise.all([
    listSummaryProcedures(ctx.db, {}),
    dossierFiguresForAll(ctx.db, from, to),
    listProcedureDocumentsAt(ctx.db, to),
    listNcFiguresByProcedure(ctx.db, from, to),
    listLastAuditDates(ctx.db, to),
  ]);
  const rows: SummaryRow[] = [];
  for (const p of procedures) {
    const raw = dossiersBy.get(p.id);
    const dossiers = raw ? pickDossiers(raw) : emptyDossiers();
    const doc = documentsBy.get(p.id) ?? null;
    const nc = ncBy.get(p.id) ?? emptyNc();
    const lastAuditDate = auditsBy.get(p.id) ?? null;
    const { checks, status } = computeCompliance({ period, document: doc, nonconformities: nc, lastAuditDate, dossiers, onTimeTarget: p.on_time_target });
    rows.push({
      id: p.id,
      code: p.code,
      title: p.title,
      field: p.field,
      unitId: p.unit_id,
      unitCode: p.unit_code,
      status,
      failedChecks: checks.filter((c) => c.passed === false).map((c) => c.id),
      document: doc ? { code: doc.code, revisionNo: doc.revisionNo, nextReviewDue: doc.nextReviewDue } : null,
      lastAuditDate,
      dossiers,
      ncRaised: nc.raised,
      ncOpenAtEnd: nc.openAtEnd,
      ncClosed: nc.closed,
      overdueActions: nc.overdueActions,
    });
  }
  return rows;
}

/** The totals line: every count is the sum of the rows; the on-time rate is recomputed from the summed counts. */
export function totalsOf(rows: readonly SummaryRow[]): SummaryTotals {
  const dossiers = emptyDossiers();
  const totals: SummaryTotals = {
    procedures: rows.length,
    byStatus: { non_compliant: 0, attention: 0, compliant: 0 },
    dossiers,
    ncRaised: 0,
    ncOpenAtEnd: 0,
    ncClosed: 0,
    overdueActions: 0,
  };
  for (const r of rows) {
    totals.byStatus[r.status] += 1;
    for (const f of DOSSIER_FIELDS) dossiers[f] += r.dossiers[f];
    totals.ncRaised += r.ncRaised;
    totals.ncOpenAtEnd += r.ncOpenAtEnd;
    totals.ncClosed += r.ncClosed;
    totals.overdueActions += r.overdueActions;
  }
  dossiers.onTimeRate = dossiers.resolved === 0 ? null : (dossiers.early + dossiers.onTime) / dossiers.resolved;
  return totals;
}

/** The figures a row (or the totals line) shows: the raw value (data-v, as the JSON has it) and its display text. */
const SHOWN_COUNTS = ['received', 'resolved', 'early', 'onTime', 'late', 'pending', 'pendingOverdue'] as const;

export interface FiguresView {
  received: string;
  receivedText: string;
  resolved: string;
  resolvedText: string;
  early: string;
  earlyText: string;
  onTime: string;
  onTimeText: string;
  late: string;
  lateText: string;
  pending: string;
  pendingText: string;
  pendingOverdue: string;
  pendingOverdueText: string;
  onTimeRate: string;
  onTimeRateText: string;
  ncOpenAtEnd: string;
  ncOpenAtEndText: string;
  overdueActions: string;
  overdueActionsText: string;
}

/** One row as the summary page prints it: every text already formatted, so the template only copies strings. */
export interface SummaryRowView extends FiguresView {
  code: string;
  codePath: string;
  title: string;
  unitCode: string;
  status: ComplianceStatus;
  statusLabel: string;
  badge: string;
  symbol: string;
  documentCode: string | null;
  documentRevision: string;
  noDocument: string;
  lastAudit: string;
}

function figuresView(d: DossierFigures, ncOpenAtEnd: number, overdueActions: number, lang: Lang): FiguresView {
  const out = {} as Record<string, string>;
  for (const f of SHOWN_COUNTS) {
    out[f] = String(d[f]);
    out[`${f}Text`] = formatNumber(d[f], lang);
  }
  out.onTimeRate = d.onTimeRate === null ? '' : String(d.onTimeRate);
  out.onTimeRateText = formatPercent(d.onTimeRate, lang);
  out.ncOpenAtEnd = String(ncOpenAtEnd);
  out.ncOpenAtEndText = formatNumber(ncOpenAtEnd, lang);
  out.overdueActions = String(overdueActions);
  out.overdueActionsText = formatNumber(overdueActions, lang);
  return out as unknown as FiguresView;
}

/**
 * Row views are made once per row and language: the cached rows live until the data changes, and so do their views
 * (a WeakMap, dropped with the rows). A page then costs its own rows only, whatever the number of procedures.
 */
const rowViews = new WeakMap<SummaryRow, Partial<Record<Lang, SummaryRowView>>>();

export function rowViewOf(row: SummaryRow, lang: Lang, timeZone: string): SummaryRowView {
  let byLang = rowViews.get(row);
  if (!byLang) rowViews.set(row, (byLang = {}));
  const seen = byLang[lang];
  if (seen) return seen;
  const badge = statusBadge(row.status);
  const view: SummaryRowView = {
    code: row.code,
    codePath: encodeURIComponent(row.code),
    title: row.title,
    unitCode: row.unitCode ?? '',
    status: row.status,
    statusLabel: translate(lang, `reports.status.${row.status}`),
    badge: badge.badge,
    symbol: badge.symbol,
    documentCode: row.document?.code ?? null,
    documentRevision: row.document ? translate(lang, 'reports.summary.rev', { n: row.document.revisionNo }) : '',
    noDocument: row.document ? '' : translate(lang, 'reports.summary.no_document'),
    lastAudit: row.lastAuditDate ? formatDate(row.lastAuditDate, timeZone) : '—',
    ...figuresView(row.dossiers, row.ncOpenAtEnd, row.overdueActions, lang),
  };
  byLang[lang] = view;
  return view;
}

/** The totals line as shown; the same object again for the same (kept) totals and language. */
const totalsViews = new WeakMap<SummaryTotals, Partial<Record<Lang, FiguresView & { procedures: number; proceduresText: string }>>>();

export function totalsViewOf(totals: SummaryTotals, lang: Lang): FiguresView & { procedures: number; proceduresText: string } {
  let byLang = totalsViews.get(totals);
  if (!byLang) totalsViews.set(totals, (byLang = {}));
  return (byLang[lang] ??= { procedures: totals.procedures, proceduresText: formatNumber(totals.procedures, lang), ...figuresView(totals.dossiers, totals.ncOpenAtEnd, totals.overdueActions, lang) });
}

/**
 * The rows of one page (1-based), each with its number in the whole list (STT). The same array again for the same
 * rows (kept until the data changes), page and language, so that the page's table is rendered once ({{#keep}}).
 */
const MAX_PAGE_VIEWS = 32;
const pageViews = new WeakMap<readonly SummaryRow[], Map<string, (SummaryRowView & { no: number })[]>>();

export function pageRows(rows: readonly SummaryRow[], page: number, pageSize: number, lang: Lang, timeZone: string): (SummaryRowView & { no: number })[] {
  let views = pageViews.get(rows);
  if (!views) pageViews.set(rows, (views = new Map()));
  const key = `${page}|${pageSize}|${lang}|${timeZone}`;
  let view = views.get(key);
  if (!view) {
    const first = (page - 1) * pageSize;
    view = rows.slice(first, first + pageSize).map((r, i) => ({ no: first + i + 1, ...rowViewOf(r, lang, timeZone) }));
    if (views.size >= MAX_PAGE_VIEWS) views.delete(views.keys().next().value!);
    views.set(key, view);
  }
  return view;
}

export interface SummaryOptions {
  fields: string[];
  unitOptions: { value: number; label: string }[];
}

/** The filter's choices (fields and units), read once per data change like the rows. */
export async function summaryOptions(ctx: AppContext): Promise<SummaryOptions> {
  const [fields, unitOptions] = await Promise.all([keptProcedureFields(ctx), keptUnitOptions(ctx)]);
  return { fields, unitOptions };
}
