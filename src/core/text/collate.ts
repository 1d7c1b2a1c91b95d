/**
 * Vietnamese sort order for names of people and units. SQLite's ORDER BY compares bytes, so "Đặng" (Đ is U+0110)
 * comes after "Zung" and "Ánh" after "Yến"; Intl.Collator('vi') puts Đ right after D and a letter with a diacritic
 * right after the bare letter (a < á < ă < â … , d < đ). Lists that feed a page are sorted with these, in one place.
 */
const collator = new Intl.Collator('vi', { sensitivity: 'variant', numeric: true });

/** Compares two texts in Vietnamese alphabetical order ("Dung" < "Đặng" < "Zung"); null or undefined sorts first. */
export function compareVi(a: string | null | undefined, b: string | null | undefined): number {
  return collator.compare(a ?? '', b ?? '');
}

/** A comparator on one text field of a row, e.g. `rows.sort(byVi((r) => r.full_name))`. */
export function byVi<T>(key: (row: T) => string | null | undefined): (a: T, b: T) => number {
  return (a, b) => compareVi(key(a), key(b));
}

/** Sorts rows in place by the given keys in turn (the first that differs decides), and returns them. */
export function sortVi<T>(rows: T[], ...keys: ((row: T) => string | number | null | undefined)[]): T[] {
  return rows.sort((a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      const d =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : compareVi(x === null || x === undefined ? '' : String(x), y === null || y === undefined ? '' : String(y));
      if (d !== 0) return d;
    }
    return 0;
  });
}
