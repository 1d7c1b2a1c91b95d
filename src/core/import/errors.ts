/** Errors of tabular imports. Reasons are short English; callers may translate them by `code` / column. */

/** A problem with a whole file: its format, encoding or header; `too_large`: more than we read safely (an XLSX bomb). */
export type HeaderProblemCode =
  'missing_column' | 'duplicate_column' | 'empty_file' | 'unsupported_format' | 'invalid_encoding' | 'unreadable_file' | 'too_large';

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

/** One wrong value: `row` is the file's 1-based row (the header is row 1), `column` the column's key ('' for the whole row). */
export interface RowError {
  row: number;
  column: string;
  reason: string;
}

export function formatRowError(e: RowError): string {
  return e.column === '' ? `row ${e.row}: ${e.reason}` : `row ${e.row}, column ${e.column}: ${e.reason}`;
}

/**
 * Thrown by importers when any row is wrong; nothing is written. `errors` lists the wrong rows in file order — all of
 * them, or the first ones when an importer stops listing (a file of a million bad rows) — and `total` counts them all.
 */
export class ImportRowsError extends Error {
  override readonly name = 'ImportRowsError';
  readonly total: number;
  constructor(
    readonly errors: RowError[],
    total = errors.length,
  ) {
    const shown = errors.slice(0, 5).map(formatRowError).join('; ');
    const all = Math.max(total, errors.length);
    super(all > 5 ? `${shown}; and ${all - Math.min(5, errors.length)} more` : shown);
    this.total = all;
  }
}

/** How many errors an import page lists; the rest are counted ("and N more"). */
export const SHOWN_IMPORT_ERRORS = 50;

/** What an import page shows of a refused file (the locals of views/<feature>/import.hbs). */
export interface ImportFailureLocals {
  /** The first SHOWN_IMPORT_ERRORS wrong rows or file problems, as `row N, column C: reason` lines. */
  importErrors: string[];
  /** How many there are in all. */
  errorCount: number;
  /** How many are not listed ("and N more"). */
  moreErrors: number;
  /** A file we do not read at all (too large once unpacked): the message next to the file field. */
  errors: { file?: { key: string; params: Record<string, string> } };
}

export function importFailureLocals(err: ImportRowsError | ImportHeaderError): ImportFailureLocals {
  if (err instanceof ImportHeaderError) {
    const tooLarge = err.problems.find((p) => p.code === 'too_large');
    if (tooLarge)
      return { importErrors: [], errorCount: 1, moreErrors: 0, errors: { file: { key: 'import.file_too_large', params: { detail: tooLarge.reason } } } };
  }
  const all = err instanceof ImportRowsError ? err.errors.map(formatRowError) : err.problems.map(formatHeaderProblem);
  const total = err instanceof ImportRowsError ? err.total : all.length;
  const importErrors = all.slice(0, SHOWN_IMPORT_ERRORS);
  return { importErrors, errorCount: total, moreErrors: total - importErrors.length, errors: {} };
}
