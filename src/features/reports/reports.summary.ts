import type { AppContext } from '../../core/context';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatNumber, formatPercent } from '../../core/views/format';
import { listLastAuditDates } from '../audits/audits.report.queries';
import { dossierFiguresForAll } from '../dossiers/dossiers.figures';
import { listFields } from '../procedures/procedures.queries';
import { listUnitOptions } from '../units/units.queries';
import { computeCompliance, type CheckId, type ComplianceStatus } from './reports.compliance';
import type { Period } from './reports.periods';
import { DOSSIER_FIELDS, emptyDossiers, pickDossiers, type DossierFigures } from './reports.dossiers';
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

export interface Summary {
  period: Period;
  rows: SummaryRow[];
  totals: SummaryTotals;
}

export interface SummaryQuery extends SummaryFilter {
  status?: ComplianceStatus;
}

/** The summary for a period, filtered: every matching row and their totals. */
export async function buildSummary(ctx: AppContext, period: Period, query: SummaryQuery): Promise<Summary> {
  const all = await computeRows(ctx, period);
  const rows = all.filter(
    (r) => (!query.field || r.field === query.field) && (!query.unitId || r.unitId === query.unitId) && (!query.status || r.status === query.status),
  );
  return { period, rows, totals: totalsOf(rows) };
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

/** One row as shown. */
export function rowViewOf(row: SummaryRow, lang: Lang, timeZone: string): SummaryRowView {
  const badge = statusBadge(row.status);
  return {
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
}

/** The totals line as shown. */
export function totalsViewOf(totals: SummaryTotals, lang: Lang): FiguresView & { procedures: number; proceduresText: string } {
  return { procedures: totals.procedures, proceduresText: formatNumber(totals.procedures, lang), ...figuresView(totals.dossiers, totals.ncOpenAtEnd, totals.overdueActions, lang) };
}

/** The rows of one page (1-based), each with its number in the whole list (STT). */
export function pageRows(rows: readonly SummaryRow[], page: number, pageSize: number, lang: Lang, timeZone: string): (SummaryRowView & { no: number })[] {
  const first = (page - 1) * pageSize;
  return rows.slice(first, first + pageSize).map((r, i) => ({ no: first + i + 1, ...rowViewOf(r, lang, timeZone) }));
}

export interface SummaryOptions {
  fields: string[];
  unitOptions: { value: number; label: string }[];
}

/** The filter's choices (fields and units). */
export async function summaryOptions(ctx: AppContext): Promise<SummaryOptions> {
  const [fields, unitOptions] = await Promise.all([listFields(ctx.db), listUnitOptions(ctx.db)]);
  return { fields, unitOptions };
}
