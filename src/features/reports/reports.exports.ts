import ExcelJS from 'exceljs';
import { translate, type Lang } from '../../core/i18n';
import type { CsvCell } from './reports.csv';
import { DOSSIER_FIELDS } from './reports.dossiers';
import type { ProcedureFiguresData } from './reports.procedure';
import type { Summary } from './reports.summary';

/**
 * The same figures as the HTML pages, laid out for CSV and XLSX: machine keys (as in the JSON) beside
 * translated labels, numbers as numbers, the on-time rate as a ratio in [0, 1]. Each carries the date its figures
 * are computed as of (`asOf`: the period's last day, or today while the period is not over).
 */
const DOSSIER_LABEL: Record<string, string> = {
  carriedOver: 'reports.d.carried_over',
  newlyReceived: 'reports.d.newly_received',
  newlyReceivedOnline: 'reports.d.online',
  newlyReceivedDirect: 'reports.d.direct',
  newlyReceivedPostal: 'reports.d.postal',
  received: 'reports.d.received',
  resolved: 'reports.d.resolved',
  early: 'reports.d.early',
  onTime: 'reports.d.on_time',
  late: 'reports.d.late',
  pending: 'reports.d.pending',
  pendingOnTrack: 'reports.d.pending_on_track',
  pendingOverdue: 'reports.d.pending_overdue',
  onTimeRate: 'reports.d.on_time_rate',
};

export function checkText(passed: boolean | null, lang: Lang): string {
  return translate(lang, passed === true ? 'reports.check.pass' : passed === false ? 'reports.check.fail' : 'reports.check.null');
}

export function procedureReportRows(data: ProcedureFiguresData, lang: Lang): CsvCell[][] {
  const t = (k: string) => translate(lang, k);
  const r = data.report;
  const rows: CsvCell[][] = [['section', 'key', 'label', 'value', 'severity', 'detail']];
  rows.push(['procedure', 'code', t('reports.f.code'), r.procedure.code, '', '']);
  rows.push(['procedure', 'title', t('reports.f.title'), r.procedure.title, '', '']);
  rows.push(['period', 'from', t('reports.f.from'), r.period.from, '', '']);
  rows.push(['period', 'to', t('reports.f.to'), r.period.to, '', '']);
  rows.push(['period', 'asOf', t('reports.f.as_of'), r.asOf, '', r.asOf < r.period.to ? t('reports.rules.not_over') : '']);
  rows.push(['status', 'status', t('reports.f.status'), r.status, '', t(`reports.status.${r.status}`)]);
  const doc = r.document;
  rows.push(['document', 'code', t('reports.f.document_code'), doc?.code ?? null, '', doc ? '' : t('reports.doc_none')]);
  rows.push(['document', 'revisionNo', t('reports.f.revision_no'), doc?.revisionNo ?? null, '', '']);
  rows.push(['document', 'effectiveFrom', t('reports.f.effective_from'), doc?.effectiveFrom ?? null, '', '']);
  rows.push(['document', 'nextReviewDue', t('reports.f.next_review_due'), doc?.nextReviewDue ?? null, '', '']);
  for (const [key, label] of [
    ['count', 'reports.a.count'],
    ['majorNc', 'reports.a.major_nc'],
    ['minorNc', 'reports.a.minor_nc'],
    ['observation', 'reports.a.observation'],
    ['ofi', 'reports.a.ofi'],
  ] as const)
    rows.push(['audits', key, t(label), r.audits[key], '', '']);
  for (const [key, label] of [
    ['raised', 'reports.nc.raised'],
    ['openAtEnd', 'reports.nc.open_at_end'],
    ['closed', 'reports.nc.closed'],
    ['awaitingTriage', 'reports.nc.awaiting_triage'],
    ['overdueActions', 'reports.nc.overdue_actions'],
    ['overdueCorrectiveActions', 'reports.nc.overdue_corrective'],
    ['overdueOtherActions', 'reports.nc.overdue_other'],
  ] as const)
    rows.push(['nonconformities', key, t(label), r.nonconformities[key], '', '']);
  for (const f of [...DOSSIER_FIELDS, 'onTimeRate'] as const) rows.push(['dossiers', f, t(DOSSIER_LABEL[f]), r.dossiers[f], '', '']);
  for (const c of r.checks) rows.push(['checks', c.id, t(`reports.check.${c.id}`), c.passed, c.severity, `${checkText(c.passed, lang)}: ${c.detail}`]);
  // With the predecessors' figures: which ones (the dossier figures above include theirs).
  for (const p of r.predecessors ?? []) rows.push(['predecessors', p.code, t('reports.f.predecessor'), p.name, p.kind, p.effectiveOn]);
  if (r.predecessor) rows.push(['procedure', 'predecessor', t('reports.f.predecessor'), r.predecessor.code, '', r.predecessor.name]);
  rows.push(['meta', 'generatedAt', t('reports.f.generated_at'), r.generatedAt, '', '']);
  return rows;
}

const SUMMARY_COLUMNS = [
  'code',
  'title',
  'field',
  'unit',
  'status',
  'statusLabel',
  'documentCode',
  'revisionNo',
  'nextReviewDue',
  'lastAuditDate',
  ...DOSSIER_FIELDS,
  'onTimeRate',
  'ncRaised',
  'ncOpenAtEnd',
  'ncClosed',
  'ncAwaitingTriage',
  'overdueActions',
  'overdueCorrectiveActions',
  'overdueOtherActions',
  'failedChecks',
  'asOf',
] as const;

const SUMMARY_LABEL: Record<string, string> = {
  ...DOSSIER_LABEL,
  code: 'reports.f.code',
  title: 'reports.f.title',
  field: 'reports.f.field',
  unit: 'reports.f.unit',
  status: 'reports.f.status_key',
  statusLabel: 'reports.f.status',
  documentCode: 'reports.f.document_code',
  revisionNo: 'reports.f.revision_no',
  nextReviewDue: 'reports.f.next_review_due',
  lastAuditDate: 'reports.f.last_audit',
  ncRaised: 'reports.nc.raised',
  ncOpenAtEnd: 'reports.nc.open_at_end',
  ncClosed: 'reports.nc.closed',
  ncAwaitingTriage: 'reports.nc.awaiting_triage',
  overdueActions: 'reports.nc.overdue_actions',
  overdueCorrectiveActions: 'reports.nc.overdue_corrective',
  overdueOtherActions: 'reports.nc.overdue_other',
  failedChecks: 'reports.f.failed_checks',
  asOf: 'reports.f.as_of',
  predecessor: 'reports.f.predecessor',
};

/**
 * Header, one row per procedure, and the totals line (the sum of the rows). With the predecessors' figures, a last
 * column names the predecessor of a procedure found only in predecessors (without them the table is as it was).
 */
export function summaryTable(summary: Summary, lang: Lang): { keys: readonly string[]; headers: string[]; rows: CsvCell[][]; totals: CsvCell[] } {
  const t = (k: string) => translate(lang, k);
  const lineage = summary.predecessors !== undefined;
  const keys: readonly string[] = lineage ? [...SUMMARY_COLUMNS, 'predecessor'] : SUMMARY_COLUMNS;
  const rows = summary.rows.map((r) => {
    const cells: CsvCell[] = [
      r.code,
      r.title,
      r.field,
      r.unitCode,
      r.status,
      t(`reports.status.${r.status}`),
      r.document?.code ?? null,
      r.document?.revisionNo ?? null,
      r.document?.nextReviewDue ?? null,
      r.lastAuditDate,
    ];
    for (const f of DOSSIER_FIELDS) cells.push(r.dossiers[f]);
    cells.push(
      r.dossiers.onTimeRate,
      r.ncRaised,
      r.ncOpenAtEnd,
      r.ncClosed,
      r.ncAwaitingTriage,
      r.overdueActions,
      r.overdueCorrectiveActions,
      r.overdueOtherActions,
      r.failedChecks.join(' '),
      summary.asOf,
    );
    if (lineage) cells.push(r.predecessor?.code ?? '');
    return cells;
  });
  const tot = summary.totals;
  const totals: CsvCell[] = [
    t('reports.summary.totals'),
    translate(lang, 'reports.summary.totals_procedures', { n: tot.procedures }),
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ];
  for (const f of DOSSIER_FIELDS) totals.push(tot.dossiers[f]);
  totals.push(
    tot.dossiers.onTimeRate,
    tot.ncRaised,
    tot.ncOpenAtEnd,
    tot.ncClosed,
    tot.ncAwaitingTriage,
    tot.overdueActions,
    tot.overdueCorrectiveActions,
    tot.overdueOtherActions,
    '',
    summary.asOf,
  );
  if (lineage) totals.push(summary.predecessors!.map((p) => p.code).join(' '));
  return { keys, headers: keys.map((k) => t(SUMMARY_LABEL[k])), rows, totals };
}

export async function summaryXlsx(summary: Summary, lang: Lang, sheetTitle: string): Promise<Buffer> {
  const table = summaryTable(summary, lang);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'qms-tracker';
  const ws = wb.addWorksheet(sheetTitle.replace(/[[\]*?/\\:]/g, ' ').slice(0, 31) || 'Summary', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(table.headers).font = { bold: true };
  for (const row of table.rows) ws.addRow(row.map(xlsxValue));
  ws.addRow(table.totals.map(xlsxValue)).font = { bold: true };
  const rateCol = table.keys.indexOf('onTimeRate') + 1;
  ws.getColumn(rateCol).numFmt = '0.00%';
  ws.getColumn(1).width = 16;
  ws.getColumn(2).width = 50;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Text that a spreadsheet would run as a formula is kept as text (exceljs writes strings as shared strings, never formulas). */
function xlsxValue(v: CsvCell): string | number | boolean | null {
  return v === undefined ? null : v;
}
