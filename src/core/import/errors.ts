/**
 * Errors of tabular imports, as data: a code and its parameters, never words. They are rendered in the reader's
 * language through the catalog of import.i18n.ts (formatRowError, formatHeaderProblem, importFailureLocals), so the
 * web import's worker thread can hand them over as they are and the main thread words them.
 */
import type { Lang } from '../i18n';
import { en, vi } from './import.i18n';

export type ImportParams = Record<string, string | number>;

/** The words of one import message, with `{name}` replaced by its parameter (a missing one left as written). */
export function importText(lang: Lang, key: string, params: ImportParams = {}): string {
  const message = (lang === 'en' ? en : vi)[key] ?? vi[key] ?? key;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

/**
 * How the columns of a file are named to its reader: `file`, the header cell as written in the file (null when the
 * file has no such column); `vi`, the column's Vietnamese name. Keyed by the column's key.
 */
export type ColumnLabels = Record<string, { file: string | null; vi: string }>;

/** The column as the reader knows it: as written in the file's header, else its Vietnamese name (vi) or key (en). */
export function columnLabel(lang: Lang, column: string, labels?: ColumnLabels): string {
  const label = labels?.[column];
  return label?.file ?? (lang === 'vi' ? label?.vi : undefined) ?? column;
}

/** A problem with a whole file: its format, encoding or header; `too_large`: more than we read safely (an XLSX bomb). */
export type HeaderProblemCode =
  'missing_column' | 'duplicate_column' | 'empty_file' | 'unsupported_format' | 'invalid_encoding' | 'unreadable_file' | 'too_large';

export interface HeaderProblem {
  /** The column's key (its English name) when the problem is about one column; null when about the whole file. */
  column: string | null;
  code: HeaderProblemCode;
  /** A technical detail in English (for logs and tests); the reader sees the catalog's words for `code`. */
  reason: string;
  /** The message's parameters, and `label`: the column's name for its reader. */
  params?: ImportParams;
}

export function formatHeaderProblem(p: HeaderProblem, lang: Lang = 'vi'): string {
  const reason = importText(lang, `import.file.${p.code}`, p.params);
  if (p.column === null) return reason;
  const label = p.params?.label;
  const column = typeof label === 'string' && (lang === 'vi' || label !== p.params?.vi) ? label : p.column;
  return importText(lang, 'import.column_prefix', { column, reason });
}

/**
 * The file cannot be read as a table with the expected header; thrown before any row is yielded (or, for damage found
 * later in the file, when it is found). Its message is worded in Vietnamese when read (the CLI's language).
 */
export class ImportHeaderError extends Error {
  override readonly name = 'ImportHeaderError';
  constructor(
    readonly problems: HeaderProblem[],
    options?: { cause?: unknown },
  ) {
    super(undefined, options);
    Object.defineProperty(this, 'message', { get: () => this.problems.map((p) => formatHeaderProblem(p)).join('; '), configurable: true });
  }
}

export const fileProblem = (code: HeaderProblemCode, reason: string, cause?: unknown): ImportHeaderError =>
  new ImportHeaderError([{ column: null, code, reason }], { cause });

/**
 * One wrong value: `row` is the file's 1-based row (the header is row 1), `column` the column's key ('' for the whole
 * row), `code` names the message (`import.row.<code>`) and `params` fills it.
 */
export interface RowError {
  row: number;
  column: string;
  code: string;
  params?: ImportParams;
}

export function formatRowError(e: RowError, lang: Lang = 'vi', labels?: ColumnLabels): string {
  const reason = importText(lang, `import.row.${e.code}`, e.params);
  if (e.column === '') return importText(lang, 'import.line', { row: e.row, reason });
  return importText(lang, 'import.line_column', { row: e.row, column: columnLabel(lang, e.column, labels), reason });
}

/**
 * Thrown by importers when any row is wrong; nothing is written. `errors` lists the wrong rows in file order — all of
 * them, or the first ones when an importer stops listing (a file of a million bad rows) — and `total` counts them all.
 * `labels` names the columns as the file did. Its message (Vietnamese, the first five) is worded when read.
 */
export class ImportRowsError extends Error {
  override readonly name = 'ImportRowsError';
  readonly total: number;
  constructor(
    readonly errors: RowError[],
    total = errors.length,
    readonly labels: ColumnLabels = {},
  ) {
    super();
    this.total = Math.max(total, errors.length);
    Object.defineProperty(this, 'message', { get: () => this.describe('vi', 5), configurable: true });
  }

  /** The first `shown` errors in `lang`, joined with "; ", and how many more there are. */
  describe(lang: Lang, shown: number): string {
    const listed = this.errors.slice(0, shown).map((e) => formatRowError(e, lang, this.labels));
    const more = this.total - listed.length;
    return more > 0 ? `${listed.join('; ')}; ${importText(lang, 'import.more', { n: more })}` : listed.join('; ');
  }
}

/** The row error code of a date the parser refused (core/calendar's parse code; its message takes the cell as `value`). */
export function dateErrorCode(code: string, reason: string): string {
  return code === 'invalid_date' && reason.startsWith('the year') ? 'date_year_range' : `date_${code}`;
}

/** Collects the row errors of one import: lists at most `limit` of them, counts them all, and knows the file's column names. */
export class RowErrors {
  readonly listed: RowError[] = [];
  count = 0;
  private labels: ColumnLabels;

  constructor(
    columns: { key: string; names: string[] }[],
    private readonly limit = Infinity,
  ) {
    this.labels = Object.fromEntries(columns.map((c) => [c.key, { file: null, vi: c.names.find((n) => n !== c.key) ?? c.key }]));
  }

  /** The header cells the file used, by column key (readTable's onHeader). */
  readonly seeHeader = (found: Map<string, string>): void => {
    for (const [key, text] of found) if (this.labels[key]) this.labels[key] = { ...this.labels[key], file: text };
  };

  add(row: number, column: string, code: string, params?: ImportParams): void {
    this.count++;
    if (this.listed.length < this.limit) this.listed.push(params === undefined ? { row, column, code } : { row, column, code, params });
  }

  get any(): boolean {
    return this.count > 0;
  }

  toError(): ImportRowsError {
    return new ImportRowsError(this.listed, this.count, this.labels);
  }
}

/** How many errors an import page lists; the rest are counted ("and N more"). */
export const SHOWN_IMPORT_ERRORS = 50;

/** What an import page shows of a refused file (the locals of views/<feature>/import.hbs). */
export interface ImportFailureLocals {
  /** The first SHOWN_IMPORT_ERRORS wrong rows or file problems, as `Dòng N, cột C: …` lines in the reader's language. */
  importErrors: string[];
  /** How many there are in all. */
  errorCount: number;
  /** How many are not listed ("and N more"). */
  moreErrors: number;
  /** A file we do not read at all (too large once unpacked): the message next to the file field. */
  errors: { file?: { key: string; params: Record<string, string> } };
}

export function importFailureLocals(err: ImportRowsError | ImportHeaderError, lang: Lang = 'vi'): ImportFailureLocals {
  if (err instanceof ImportHeaderError) {
    const tooLarge = err.problems.find((p) => p.code === 'too_large');
    if (tooLarge)
      return { importErrors: [], errorCount: 1, moreErrors: 0, errors: { file: { key: 'import.file_too_large', params: { detail: tooLarge.reason } } } };
  }
  const all =
    err instanceof ImportRowsError
      ? err.errors.slice(0, SHOWN_IMPORT_ERRORS).map((e) => formatRowError(e, lang, err.labels))
      : err.problems.map((p) => formatHeaderProblem(p, lang));
  const total = err instanceof ImportRowsError ? err.total : all.length;
  const importErrors = all.slice(0, SHOWN_IMPORT_ERRORS);
  return { importErrors, errorCount: total, moreErrors: total - importErrors.length, errors: {} };
}
