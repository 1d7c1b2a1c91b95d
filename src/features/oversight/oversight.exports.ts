import ExcelJS from 'exceljs';
import { translate, type Lang } from '../../core/i18n';
import { formatDate, formatNumber } from '../../core/views/format';
import type { CsvCell } from '../reports/reports.csv';
import { percentText } from '../reports/reports.procedure';
import type { Oversight, OversightRow } from './oversight.service';

/**
 * The oversight list as the page shows it (every text formatted) and as the exports lay it out (as the reports'
 * exports do: machine keys in the CSV's header, translated labels in the XLSX's, numbers as numbers, dates
 * YYYY-MM-DD, the on-time rate a ratio in [0, 1], empty for none).
 */
export const EXPORT_COLUMNS = [
  'code',
  'name',
  'kind',
  'kindLabel',
  'status',
  'qmsDeclaredOn',
  'documentsDue',
  'auditsLast12Months',
  'openMajorNcs',
  'overdueActions',
  'resolved',
  'goodResolved',
  'onTimeRate',
  'compliant',
  'attention',
  'nonCompliant',
  'problems',
  'asOf',
] as const;

const LABEL: Record<(typeof EXPORT_COLUMNS)[number], string> = {
  code: 'oversight.col.code',
  name: 'oversight.col.name',
  kind: 'oversight.key.kind_key',
  kindLabel: 'oversight.col.kind',
  status: 'oversight.key.status_key',
  qmsDeclaredOn: 'oversight.col.declared',
  documentsDue: 'oversight.col.documents_due',
  auditsLast12Months: 'oversight.col.audits',
  openMajorNcs: 'oversight.col.open_major',
  overdueActions: 'oversight.col.overdue_actions',
  resolved: 'oversight.key.resolved',
  goodResolved: 'oversight.key.good',
  onTimeRate: 'oversight.col.on_time_rate',
  compliant: 'oversight.col.compliant',
  attention: 'oversight.col.attention',
  nonCompliant: 'oversight.col.non_compliant',
  problems: 'oversight.key.problems',
  asOf: 'oversight.key.as_of',
};

export function oversightTable(data: Oversight, rows: readonly OversightRow[], lang: Lang): { keys: readonly string[]; headers: string[]; rows: CsvCell[][] } {
  const t = (k: string) => translate(lang, k);
  return {
    keys: EXPORT_COLUMNS,
    headers: EXPORT_COLUMNS.map((k) => t(LABEL[k])),
    rows: rows.map((r) => [
      r.code,
      r.name,
      r.kind,
      t(`oversight.kind.${r.kind}`),
      r.status,
      r.qms_declared_on,
      r.documentsDue,
      r.auditsLast12Months,
      r.openMajorNcs,
      r.overdueActions,
      r.resolved,
      r.goodResolved,
      r.onTimeRate,
      r.byStatus.compliant,
      r.byStatus.attention,
      r.byStatus.non_compliant,
      r.problems,
      data.today,
    ]),
  };
}

export async function oversightXlsx(data: Oversight, rows: readonly OversightRow[], lang: Lang): Promise<Buffer> {
  const table = oversightTable(data, rows, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'qms-tracker';
  const title =
    translate(lang, 'oversight.sheet')
      .replace(/[[\]*?/\\:]/g, ' ')
      .slice(0, 31) || 'Oversight';
  const ws = wb.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(table.headers).font = { bold: true };
  for (const row of table.rows) ws.addRow(row.map((v) => (v === undefined ? null : v)));
  ws.getColumn(table.keys.indexOf('onTimeRate') + 1).numFmt = '0.00%';
  ws.getColumn(1).width = 14;
  ws.getColumn(2).width = 50;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One row as the page and the print view show it. */
export function rowView(r: OversightRow, no: number, ownId: number, lang: Lang, timeZone: string) {
  const n = (v: number) => formatNumber(v, lang);
  return {
    no,
    id: r.id,
    code: r.code,
    codeQuery: encodeURIComponent(r.code),
    name: r.name,
    own: r.id === ownId,
    readOnly: r.status === 'read_only',
    kind: r.kind,
    declared: r.qms_declared_on ?? '',
    declaredText: r.qms_declared_on ? formatDate(r.qms_declared_on, timeZone) : '—',
    documentsDue: r.documentsDue,
    documentsDueText: n(r.documentsDue),
    audits: r.auditsLast12Months,
    auditsText: n(r.auditsLast12Months),
    openMajor: r.openMajorNcs,
    openMajorText: n(r.openMajorNcs),
    overdueActions: r.overdueActions,
    overdueActionsText: n(r.overdueActions),
    onTimeRate: r.onTimeRate === null ? '' : String(r.onTimeRate),
    onTimeRateText: percentText(r.onTimeRate, lang),
    compliant: r.byStatus.compliant,
    compliantText: n(r.byStatus.compliant),
    attention: r.byStatus.attention,
    attentionText: n(r.byStatus.attention),
    nonCompliant: r.byStatus.non_compliant,
    nonCompliantText: n(r.byStatus.non_compliant),
    problems: r.problems,
  };
}
