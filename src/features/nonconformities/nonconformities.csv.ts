import { translate, type Lang } from '../../core/i18n';
import type { NcListRow } from './nonconformities.list.queries';

/**
 * CSV of the filtered register, for Excel: UTF-8 with a BOM, CRLF line ends, every field quoted when it
 * needs to be, and cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
 * prefixed with a quote.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',');
}

const ddmmyyyy = (d: string | null) => (d ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : '');

export function ncCsv(rows: NcListRow[], lang: Lang): string {
  const t = (key: string) => translate(lang, key);
  const header = [
    'nonconformities.code',
    'nonconformities.name',
    'nonconformities.status',
    'nonconformities.severity',
    'nonconformities.source',
    'nonconformities.procedure',
    'nonconformities.clause',
    'nonconformities.detected_on',
    'nonconformities.reported_by',
    'nonconformities.responsible_unit',
    'nonconformities.responsible_user',
    'nonconformities.cause_category',
    'nonconformities.repeat_of',
    'nonconformities.open_actions',
    'nonconformities.overdue_actions',
    'nonconformities.next_due',
    'nonconformities.verify_due_on',
    'nonconformities.closed_on',
  ].map(t);
  const lines = [csvLine(header)];
  for (const r of rows) {
    lines.push(
      csvLine([
        r.code,
        r.title,
        t(`nonconformities.status.${r.status}`),
        t(`nonconformities.severity.${r.severity}`),
        t(`nonconformities.source.${r.source}`),
        r.procedure_code,
        r.clause,
        ddmmyyyy(r.detected_on),
        r.reporter_name,
        r.unit_code,
        r.responsible_name,
        r.cause_category ? t(`nonconformities.cause.${r.cause_category}`) : '',
        r.repeat_of_code,
        r.open_actions,
        r.overdue_actions,
        ddmmyyyy(r.next_due),
        ddmmyyyy(r.verify_due_on),
        ddmmyyyy(r.closed_on),
      ]),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
