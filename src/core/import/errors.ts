/** Errors of tabular imports. Reasons are short English; callers may translate them by `code` / column. */

/** A problem with a whole file: its format, encoding or header. */
export type HeaderProblemCode = 'missing_column' | 'duplicate_column' | 'empty_file' | 'unsupported_format' | 'invalid_encoding' | 'unreadable_file';

export interface HeaderProblem {
  /** The column's key (its English name) when the problem is about one column; null when about the whole file. */
  column: string | null;
  code: HeaderProblemCode;
  reason: string;
}

export function formatHeaderProblem(p: HeaderProblem): string {
  return p.column === null ? p.reason : `column ${p.column}: ${p.reason}`;
}

/** The file cannot be read as a table with the expected header; thrown before any row is yielded (or, for damage found later in the file, when it is found). */
export class ImportHeaderError extends Error {
  override readonly name = 'ImportHeaderError';
  constructor(
    readonly problems: HeaderProblem[],
    options?: { cause?: unknown },
  ) {
    super(problems.map(formatHeaderProblem).join('; '), options);
  }
}

export const fileProblem = (code: HeaderProblemCode, reason: string, cause?: unknown): ImportHeaderError =>
  new ImportHeaderError([{ column: null, code, reason }], { cause });

/** One wrong value: `row` is the file's 1-based row (the header is row 1), `column` the column's key. */
export interface RowError {
  row: number;
  column: string;
  reason: string;
}

export function formatRowError(e: RowError): string {
  return `row ${e.row}, column ${e.column}: ${e.reason}`;
}

/** Thrown by importers when any row is wrong; lists every wrong row so nothing is written. */
export class ImportRowsError extends Error {
  override readonly name = 'ImportRowsError';
  constructor(readonly errors: RowError[]) {
    const shown = errors.slice(0, 5).map(formatRowError).join('; ');
    super(errors.length > 5 ? `${shown}; and ${errors.length - 5} more` : shown);
  }
}
