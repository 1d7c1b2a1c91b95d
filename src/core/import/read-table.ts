/** readTable: the one reader of CSV and XLSX files behind every import. */
import type { ColumnSpec } from './columns';
import { headerMatcher } from './columns';
import { csvRecordBatches } from './csv';
import { fileProblem } from './errors';
import { detectFormat, openBytes, type TableInput } from './source';
import { xlsxRows } from './xlsx';
import { checkXlsxSize } from './xlsx-limits';

export interface TableRow {
  /** 1-based row of the file (the header is row 1, blank rows are counted). */
  row: number;
  /** Every declared key, trimmed and in Unicode NFC; '' when empty or when the optional column is absent. */
  values: Record<string, string>;
  /**
   * Present when the row is ragged: how many cells it has beyond the header's (negative: fewer). A CSV row counts its
   * fields; a worksheet row only cells with content past the header's last one (a spreadsheet does not store trailing
   * blank cells, so never fewer).
   */
  extraCells?: number;
}

/** Raw rows with real row numbers, whatever the format, in batches (a CSV's per chunk read, a worksheet's per row). */
async function* rawRowBatches(input: TableInput, format: 'xlsx' | 'csv'): AsyncGenerator<{ row: number; cells: string[] }[]> {
  if (format === 'xlsx') {
    await checkXlsxSize(input);
    for await (const row of xlsxRows(openBytes(input))) yield [row];
    return;
  }
  let row = 0;
  for await (const records of csvRecordBatches(() => openBytes(input))) yield records.map((cells) => ({ row: ++row, cells }));
}

const clean = (cell: string | undefined) => (cell ?? '').trim().normalize('NFC');
const isBlank = (cells: string[]) => !cells.some((c) => c.trim() !== '');
/** A worksheet row's width: up to its last cell with content. */
function filledWidth(cells: string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i] !== undefined && cells[i].trim() !== '') return i + 1;
  return 0;
}

/**
 * Streams the rows of a CSV or XLSX file (told apart by content), in batches. The first non-blank row is the
 * header: it is checked before any row is yielded, and ImportHeaderError lists every problem (missing required
 * column, column given twice); an unreadable, empty, binary or non-UTF-8 file is an ImportHeaderError too. Unknown
 * columns are dropped; blank rows are skipped. Batches spare a large file a promise per row.
 */
export interface ReadTableOptions {
  /** Called once the header is matched, with the header cell of each column found, as written (trimmed, NFC). */
  onHeader?: (found: Map<string, string>) => void;
}

export async function* readTableBatches(input: TableInput, columns: ColumnSpec[], options: ReadTableOptions = {}): AsyncGenerator<TableRow[]> {
  const matchHeader = headerMatcher(columns);
  const format = await detectFormat(input);
  const widthOf = format === 'xlsx' ? filledWidth : (cells: string[]) => cells.length;
  let positions: Map<string, number> | null = null;
  let headerWidth = 0;
  for await (const batch of rawRowBatches(input, format)) {
    const rows: TableRow[] = [];
    for (const { row, cells } of batch) {
      if (isBlank(cells)) continue;
      if (positions === null) {
        const header = Array.from(cells, clean);
        positions = matchHeader(header);
        headerWidth = widthOf(cells);
        options.onHeader?.(new Map([...positions].map(([key, at]) => [key, header[at]])));
        continue;
      }
      const values: Record<string, string> = {};
      for (const { key } of columns) {
        const at = positions.get(key);
        values[key] = at === undefined ? '' : clean(cells[at]);
      }
      const extra = format === 'xlsx' ? Math.max(0, widthOf(cells) - headerWidth) : widthOf(cells) - headerWidth;
      rows.push(extra === 0 ? { row, values } : { row, values, extraCells: extra });
    }
    if (rows.length > 0) yield rows;
  }
  if (positions === null) throw fileProblem('empty_file', 'the file has no header row');
}

/** readTableBatches, row by row. */
export async function* readTable(input: TableInput, columns: ColumnSpec[], options: ReadTableOptions = {}): AsyncGenerator<TableRow> {
  for await (const rows of readTableBatches(input, columns, options)) yield* rows;
}
