/** readTable: the one reader of CSV and XLSX files behind every import. */
import type { ColumnSpec } from './columns';
import { headerMatcher } from './columns';
import { csvRecords } from './csv';
import { fileProblem } from './errors';
import { detectFormat, openBytes, type TableInput } from './source';
import { xlsxRows } from './xlsx';

export interface TableRow {
  /** 1-based row of the file (the header is row 1, blank rows are counted). */
  row: number;
  /** Every declared key, trimmed and in Unicode NFC; '' when empty or when the optional column is absent. */
  values: Record<string, string>;
}

/** Raw rows with real row numbers, whatever the format. */
async function* rawRows(input: TableInput): AsyncGenerator<{ row: number; cells: string[] }> {
  const format = await detectFormat(input);
  const bytes = openBytes(input);
  if (format === 'xlsx') {
    yield* xlsxRows(bytes);
    return;
  }
  let row = 0;
  for await (const cells of csvRecords(bytes)) yield { row: ++row, cells };
}

const clean = (cell: string | undefined) => (cell ?? '').trim().normalize('NFC');
const isBlank = (cells: string[]) => !cells.some((c) => c.trim() !== '');

/**
 * Streams the rows of a CSV or XLSX file (told apart by content). The first non-blank row is the header: it is checked
 * before any row is yielded, and ImportHeaderError lists every problem (missing required column, column given twice);
 * an unreadable, empty, binary or non-UTF-8 file is an ImportHeaderError too. Unknown columns are dropped; blank rows
 * are skipped.
 */
export async function* readTable(input: TableInput, columns: ColumnSpec[]): AsyncGenerator<TableRow> {
  const matchHeader = headerMatcher(columns);
  let positions: Map<string, number> | null = null;
  for await (const { row, cells } of rawRows(input)) {
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
    yield { row, values };
  }
  if (positions === null) throw fileProblem('empty_file', 'the file has no header row');
}
