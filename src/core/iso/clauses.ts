import data from './clauses.json' with { type: 'json' };

/** ISO 9001:2015 clause numbers and titles (EN + VI), from shared/domain/iso9001-2015-clauses.json. */
export interface Clause {
  clause: string;
  parent: string | null;
  titleEn: string;
  titleVi: string;
}

export const CLAUSES: readonly Clause[] = Object.freeze((data as { clauses: Clause[] }).clauses);
const byNumber = new Map(CLAUSES.map((c) => [c.clause, c]));

export function findClause(clause: string): Clause | undefined {
  return byNumber.get(clause);
}

export function isClause(clause: string): boolean {
  return byNumber.has(clause);
}

export function clauseTitle(clause: string, lang: 'vi' | 'en'): string {
  const c = byNumber.get(clause);
  return c ? (lang === 'vi' ? c.titleVi : c.titleEn) : clause;
}

/** Clauses for a select: "8.5.1 — title", in document order. */
export function clauseOptions(lang: 'vi' | 'en'): { value: string; label: string; depth: number }[] {
  return CLAUSES.map((c) => ({
    value: c.clause,
    label: `${c.clause} — ${lang === 'vi' ? c.titleVi : c.titleEn}`,
    depth: c.clause.split('.').length - 1,
  }));
}
