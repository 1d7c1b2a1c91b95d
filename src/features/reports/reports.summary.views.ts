import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatNumber } from '../../core/views/format';
import type { DossierFigures } from './reports.dossiers';
import { statusBadge } from './reports.http';
import { percentText } from './reports.procedure';
import type { ComplianceStatus } from './reports.compliance';
import type { SummaryRow, SummaryTotals } from './reports.summary.types';

/**
 * The summary as its pages print it (reports.summary.ts computes it): every figure as its raw value and its
 * display text, so the templates only copy strings.
 */
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
  /** A procedure found only in a predecessor: that predecessor's code and the mark shown beside the code. */
  predecessorCode: string;
  predecessorMark: string;
}

function figuresView(d: DossierFigures, ncOpenAtEnd: number, overdueActions: number, lang: Lang): FiguresView {
  const out = {} as Record<string, string>;
  for (const f of SHOWN_COUNTS) {
    out[f] = String(d[f]);
    out[`${f}Text`] = formatNumber(d[f], lang);
  }
  out.onTimeRate = d.onTimeRate === null ? '' : String(d.onTimeRate);
  out.onTimeRateText = percentText(d.onTimeRate, lang);
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
    predecessorCode: row.predecessor?.code ?? '',
    predecessorMark: row.predecessor ? translate(lang, 'reports.lineage.row_mark', { code: row.predecessor.code, name: row.predecessor.name }) : '',
    ...figuresView(row.dossiers, row.ncOpenAtEnd, row.overdueActions, lang),
  };
}

/** The totals line as shown. */
export function totalsViewOf(totals: SummaryTotals, lang: Lang): FiguresView & { procedures: number; proceduresText: string } {
  return {
    procedures: totals.procedures,
    proceduresText: formatNumber(totals.procedures, lang),
    ...figuresView(totals.dossiers, totals.ncOpenAtEnd, totals.overdueActions, lang),
  };
}

/** The rows of one page (1-based), each with its number in the whole list (STT). */
export function pageRows(rows: readonly SummaryRow[], page: number, pageSize: number, lang: Lang, timeZone: string): (SummaryRowView & { no: number })[] {
  const first = (page - 1) * pageSize;
  return rows.slice(first, first + pageSize).map((r, i) => ({ no: first + i + 1, ...rowViewOf(r, lang, timeZone) }));
}
