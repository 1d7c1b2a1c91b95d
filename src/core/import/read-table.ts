/** readTable: the one reader of CSV and XLSX files behind every import. */
import type { ColumnSpec } from './columns';
import { headerMatcher } from './columns';
import { csvRecordBatches } from './csv';
import { fileProblem } from './errors';
import { detectFormat, openBytes, type TableInput } from './source';
import { xlsxRows } from './xlsx';

export interface TableRow {
  /** 1-based row of the file (the header is row 1, blank rows are counted). */
  row: number;
  /** Every declared key, trimmed and in Unicode NFC; '' when empty or when the optional column is absent. */
  values: Record<string, string>;
}

/** Raw rows with real row numbers, whatever the format, in batches (a CSV's per chunk read, a worksheet's per row). */
async function* rawRowBatches(input: TableInput): AsyncGenerator<{ row: number; cells: string[] }[]> {
  const format = await detectFormat(input);
  if (format === 'xlsx') {
    for await (const row of xlsxRows(openBytes(input))) yield [row];
    return;
  }
  let row = 0;
  for await (const records of csvRecordBatches(() => openBytes(input))) yield records.map((cells) => ({ row: ++row, cells }));
}

const clean = (cell: string | undefined) => (cell ?? '').trim().normalize('NFC');
const isBlank = (cells: string[]) => !cells.some((c) => c.trim() !== '');

/**
 * Streams the rows of a CSV or XLSX file (told apart by content), in batches. The first non-blank row is the
 * header: it is checked before any row is yielded, and ImportHeaderError lists every problem (missing required
 * column, column given twice); an unreadable, empty, binary or non-UTF-8 file is an ImportHeaderError too. Unknown
 * columns are dropped; blank rows are skipped. Batches spare a large file a promise per row.
 */
export async function* readTableBatches(input: TableInput, columns: ColumnSpec[]): AsyncGenerator<TableRow[]> {
  const matchHeader = headerMatcher(columns);
  let positions: Map<string, number> | null = null;
  for await (const batch of rawRowBatches(input)) {
    const rows: TableRow[] = [];
    for (const { row, cells } of batch) {
      if (isBlank(cells)) continue;
      if (positions === null) {
        positions = matchHeader(cells.map(clean));
        continue;
      }
      const values: Record<string, string> = {};
      for (const { key } of columns) {
        const at = positions.get(key);
        values[key] = at === undefined ? '' : clean(cells[at]);
      }
      rows.push({ row, values });
    }
    if (rows.length > 0) yield rows;
  }
  if (positions === null) throw fileProblem('empty_file', 'the file has no header row');
}

/** readTableBatches, row by row. */
export async function* readTable(input: TableInput, columns: ColumnSpec[]): AsyncGenerator<TableRow> {
  for await (const rows of readTableBatches(input, columns)) yield* rows;
}
