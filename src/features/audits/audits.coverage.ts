import { CLAUSES, type Clause } from '../../core/iso/clauses';
import { auditedWithin12Months } from './audits.report.queries';

/**
 * The coverage matrix of a year's programme (pure): procedures × clauses and procedures × months, with
 * the two warnings ISO 9001 9.2 auditors look for — an active procedure not audited in the last 12
 * months, and an applicable clause that no planned audit covers. Clauses are judged at the second level
 * (4.1 … 10.3); an audit of a clause covers its sub-clauses and counts for its parent.
 */
export interface CoverageInput {
  today: string;
  procedures: { id: number; code: string; title: string; unit_code: string | null }[];
  items: { id: number; title: string; month: number; procedure_ids: number[]; clauses: string[] }[];
  /** Audits of this year with a first day of fieldwork, per procedure. */
  conducted: { procedure_id: number; actual_start: string }[];
  lastAuditDates: Map<number, string>;
  notApplicable: string[];
}

export type CellState = 'covered' | 'open' | 'na';

export interface CoverageColumn {
  clause: string;
  title: Clause;
  notApplicable: boolean;
  covered: boolean;
}

export interface CoverageRow {
  id: number | null;
  code: string;
  title: string;
  unit_code: string | null;
  cells: { clause: string; state: CellState }[];
  months: { month: number; planned: number; conducted: number }[];
  plannedMonths: number[];
  lastAudit: string | undefined;
  auditedRecently: boolean;
}

export interface Coverage {
  columns: CoverageColumn[];
  rows: CoverageRow[];
  /** The row for planned audits without procedures (management system clauses), when there are any. */
  systemRow: CoverageRow | undefined;
  unauditedProcedures: CoverageRow[];
  uncoveredClauses: CoverageColumn[];
  notApplicableClauses: string[];
}

export const covers = (planned: string, clause: string) => planned === clause || clause.startsWith(`${planned}.`) || planned.startsWith(`${clause}.`);
export const isNotApplicable = (clause: string, notApplicable: string[]) => notApplicable.some((na) => clause === na || clause.startsWith(`${na}.`));

/** The second-level clauses (4.1 … 10.3) in document order. */
export const MATRIX_CLAUSES: readonly Clause[] = CLAUSES.filter((c) => c.clause.split('.').length === 2);

export function computeCoverage(input: CoverageInput): Coverage {
  const columns: CoverageColumn[] = MATRIX_CLAUSES.map((c) => ({
    clause: c.clause,
    title: c,
    notApplicable: isNotApplicable(c.clause, input.notApplicable),
    covered: input.items.some((i) => i.clauses.some((p) => covers(p, c.clause))),
  }));

  const rowFor = (id: number | null, code: string, title: string, unit_code: string | null, items: CoverageInput['items']): CoverageRow => {
    const months = Array.from({ length: 12 }, (_, m) => ({
      month: m + 1,
      planned: items.filter((i) => i.month === m + 1).length,
      conducted: id === null ? 0 : input.conducted.filter((a) => a.procedure_id === id && Number(a.actual_start.slice(5, 7)) === m + 1).length,
    }));
    const lastAudit = id === null ? undefined : input.lastAuditDates.get(id);
    return {
      id,
      code,
      title,
      unit_code,
      cells: columns.map((col) => ({
        clause: col.clause,
        state: col.notApplicable ? 'na' : items.some((i) => i.clauses.some((p) => covers(p, col.clause))) ? 'covered' : 'open',
      })),
      months,
      plannedMonths: [...new Set(items.map((i) => i.month))].sort((a, b) => a - b),
      lastAudit,
      auditedRecently: auditedWithin12Months(lastAudit, input.today),
    };
  };

  const rows = input.procedures.map((p) =>
    rowFor(
      p.id,
      p.code,
      p.title,
      p.unit_code,
      input.items.filter((i) => i.procedure_ids.includes(p.id)),
    ),
  );
  const systemItems = input.items.filter((i) => i.procedure_ids.length === 0);
  return {
    columns,
    rows,
    systemRow: systemItems.length ? rowFor(null, '', '', null, systemItems) : undefined,
    unauditedProcedures: rows.filter((r) => !r.auditedRecently),
    uncoveredClauses: columns.filter((c) => !c.notApplicable && !c.covered),
    notApplicableClauses: [...input.notApplicable],
  };
}

/** The organisation's "not applicable" clauses, from its settings (a JSON array of clause numbers). */
export function parseNotApplicable(json: string | undefined | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
