/** Streaming XLSX reading (first worksheet) with exceljs's WorkbookReader, cells turned into text. */
import type ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { fileProblem, ImportHeaderError } from './errors';

const plainNumber = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 15 });
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Numbers as Excel shows them in General format, but never in exponent form: 0.1+0.2 → '0.3', 1e21 → '1000…0'. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  return n === 0 ? '0' : plainNumber.format(n);
}

/** exceljs Dates carry the displayed wall-clock time in their UTC fields; 'YYYY-MM-DD' at midnight, else 'YYYY-MM-DDTHH:mm:ss'. */
export function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const t = new Date(Math.round(d.getTime() / 1000) * 1000); // serial numbers carry float noise below the second
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const h = t.getUTCHours(),
    m = t.getUTCMinutes(),
    s = t.getUTCSeconds();
  return h === 0 && m === 0 && s === 0 ? date : `${date}T${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Whether a number format shows a date or time (ignoring quoted text and [colour]/[$-locale] sections). */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const bare = numFmt.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[ymdhs]/i.test(bare);
}

/** Days from the 1900 date system's epoch to 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25569;

/** The text of a cell value: strings as is, numbers in plain decimal, dates as ISO, rich text / hyperlinks / formulas by their text. */
export function cellText(value: ExcelJS.CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    // exceljs does not turn a formula's date result into a Date; a date-formatted number is a date serial.
    if (typeof result === 'number' && isDateFormat(numFmt)) {
      return dateText(new Date(Math.round((result - EXCEL_EPOCH_OFFSET) * 86_400_000)));
    }
    return cellText(result);
  }
  if ('text' in value) return cellText(value.text);
  return '';
}

/** Yields the rows of the workbook's first worksheet that hold any cell, with their real row numbers. */
export async function* xlsxRows(bytes: Readable): AsyncGenerator<{ row: number; cells: string[] }> {
  // Loaded when a workbook is read (a third of a second): a CSV import does not wait for it.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookReader(bytes, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell date cells from numbers
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const sheets = workbook[Symbol.asyncIterator]();
  try {
    const first = await sheets.next();
    if (first.done) throw fileProblem('unreadable_file', 'the XLSX file has no worksheet');
    for await (const row of first.value) {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        cells[col - 1] = cellText(cell.value, cell.numFmt);
      });
      yield { row: row.number, cells };
    }
  } catch (err) {
    if (err instanceof ImportHeaderError) throw err;
    throw fileProblem('unreadable_file', 'the XLSX file is damaged or is not an Excel workbook', err);
  } finally {
    await finish(sheets);
    bytes.destroy();
  }
}

/**
 * Lets exceljs run to its end, even when the caller stopped early: it often copies worksheets to temporary files and
 * closes and deletes each copy only when asked for the next worksheet. Later worksheets are read and ignored.
 */
async function finish(sheets: AsyncIterator<AsyncIterable<unknown>>): Promise<void> {
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      for await (const _ of next.value);
    }
  } catch {
    // the file was already found damaged, or the caller's own error is on its way
  }
}
