import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { translate, type Lang } from '../../core/i18n';
import type { DossierListRow } from './dossiers.queries';

/** CSV for spreadsheets: UTF-8 with BOM, CRLF, RFC 4180 quoting, and no cell that a spreadsheet would run as a formula. */
export const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\r\n]|^\s|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * The dossier export: the import's own columns (Vietnamese or English names and values, so the file can be imported
 * again: the extra status column is ignored then), dates in the organisation's zone.
 */
export function dossierCsvHeader(lang: Lang): string {
  const names =
    lang === 'vi'
      ? ['Mã hồ sơ', 'Mã quy trình', 'Ngày nhận', 'Ngày hẹn trả', 'Ngày trả kết quả', 'Kết quả', 'Hình thức nộp', 'Đơn vị xử lý', 'Tình trạng trong kỳ']
      : ['code', 'procedure_code', 'received_at', 'due_date', 'returned_at', 'outcome', 'channel', 'handling_unit', 'period_status'];
  return BOM + csvLine(names);
}

export function dossierCsvLine(d: DossierListRow, lang: Lang, timeZone: string): string {
  const day = (iso: string | null) => (iso === null ? '' : lang === 'vi' ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso);
  const moment = (utc: string | null, local: string | null) =>
    utc === null ? day(local) : format(new TZDate(Date.parse(utc), timeZone), lang === 'vi' ? 'dd/MM/yyyy HH:mm:ss' : "yyyy-MM-dd'T'HH:mm:ss");
  return csvLine([
    d.code,
    d.procedure_code,
    moment(d.received_at, d.received_on),
    day(d.due_on),
    moment(d.returned_at, d.returned_on),
    d.outcome ? translate(lang, `dossiers.outcome.${d.outcome}`) : '',
    translate(lang, `dossiers.channel.${d.channel}`),
    d.handling_unit ?? '',
    d.period_status ? translate(lang, `dossiers.status.${d.period_status}`) : '',
  ]);
}
