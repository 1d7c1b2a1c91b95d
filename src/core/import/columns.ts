/** Matching a header row against the expected columns. */
import { foldDiacritics } from '../text/fold';
import { ImportHeaderError, type HeaderProblem } from './errors';

export interface ColumnSpec {
  /** The name values are returned under (the English column name). */
  key: string;
  /**
   * Accepted header names, e.g. ['code', 'Mã hồ sơ']; matched ignoring case, spacing, Unicode form and diacritics.
   * The first name other than the key is the column's Vietnamese name, used in messages when the file lacks it.
   */
  names: string[];
  required?: boolean;
}

/**
 * Header names compare equal after trimming, collapsing spaces, lower-casing and folding diacritics (đ → d): the
 * one-stop systems' exports write "Mã hồ sơ", "MÃ HỒ SƠ", "MA HO SO" or "Mã  Hồ Sơ" for the same column.
 */
export function normalizeHeaderName(name: string): string {
  return foldDiacritics(name);
}

/** Map from normalized header name to key; throws (a programming error) when the specs are ambiguous. */
function namesToKeys(columns: ColumnSpec[]): Map<string, string> {
  const byName = new Map<string, string>();
  const keys = new Set<string>();
  for (const { key, names } of columns) {
    if (keys.has(key)) throw new TypeError(`Column key ${key} is declared twice`);
    keys.add(key);
    for (const name of names) {
      const n = normalizeHeaderName(name);
      const other = byName.get(n);
      if (other !== undefined && other !== key) throw new TypeError(`Header name "${name}" belongs to both ${other} and ${key}`);
      byName.set(n, key);
    }
  }
  return byName;
}

/** The column's Vietnamese name: its first name other than the key. */
export const viName = (spec: ColumnSpec): string => spec.names.find((n) => n !== spec.key) ?? spec.key;

/** Checks the column specs up front, so a mistake in them shows before any file is read. */
export function headerMatcher(columns: ColumnSpec[]): (cells: string[]) => Map<string, number> {
  const byName = namesToKeys(columns);
  /** Returns key → 0-based cell index, or throws ImportHeaderError listing every problem. */
  return (cells) => {
    const positions = new Map<string, number[]>();
    cells.forEach((cell, i) => {
      const key = byName.get(normalizeHeaderName(cell ?? ''));
      if (key !== undefined) positions.set(key, [...(positions.get(key) ?? []), i]);
    });
    const problems: HeaderProblem[] = [];
    for (const spec of columns) {
      const found = positions.get(spec.key) ?? [];
      if (found.length > 1) {
        const where = found.map((i) => i + 1).join(', ');
        const label = cells[found[0]] ?? spec.key;
        problems.push({
          column: spec.key,
          code: 'duplicate_column',
          reason: `column given more than once (columns ${where})`,
          params: { where, label, vi: viName(spec) },
        });
      } else if (found.length === 0 && spec.required) {
        const names = [...new Set([spec.key, ...spec.names])];
        problems.push({
          column: spec.key,
          code: 'missing_column',
          reason: `required column is missing (${names.join(' or ')})`,
          params: { names: names.join(', '), label: viName(spec), vi: viName(spec) },
        });
      }
    }
    if (problems.length > 0) throw new ImportHeaderError(problems);
    return new Map([...positions].map(([key, [first]]) => [key, first]));
  };
}
