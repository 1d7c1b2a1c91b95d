import type { FindingRow } from './audits.checklist.queries';
import type { AssessorRow } from './audits.recording.queries';
import { FINDING_GRADES, type FindingGrade } from './audits.tables';

/**
 * How the report arranges what was found and who found it: findings by grade (major NC, minor NC, observation, OFI),
 * within a grade by procedure code with the general questions last, each group with its count; and per procedure
 * (general last) the auditors who recorded its results with how many questions each answered.
 */
export interface ProcedureRef {
  id: number;
  code: string;
  title: string;
}

interface Keyed {
  procedure_id: number | null;
  procedure_code: string | null;
}

/** Procedures by code, the general group (no procedure) last. */
function byProcedure<T extends Keyed>(list: T[], procedures: ProcedureRef[]) {
  const groups = new Map<number | null, T[]>();
  for (const x of list) groups.set(x.procedure_id, [...(groups.get(x.procedure_id) ?? []), x]);
  return [...groups]
    .map(([id, items]) => {
      const p = procedures.find((q) => q.id === id);
      return { procedure_id: id, code: id === null ? null : (p?.code ?? items[0].procedure_code), title: p?.title ?? null, general: id === null, items };
    })
    .sort((a, b) => (a.general !== b.general ? (a.general ? 1 : -1) : (a.code ?? '').localeCompare(b.code ?? '', 'vi')));
}

export interface FindingGroup {
  grade: FindingGrade;
  n: number;
  procedures: { code: string | null; title: string | null; general: boolean; n: number; findings: FindingRow[] }[];
}

export function groupFindings(findings: FindingRow[], procedures: ProcedureRef[]): FindingGroup[] {
  return FINDING_GRADES.map((grade) => {
    const ofGrade = findings.filter((f) => f.grade === grade);
    return {
      grade,
      n: ofGrade.length,
      procedures: byProcedure(ofGrade, procedures).map((g) => ({
        code: g.code,
        title: g.title,
        general: g.general,
        n: g.items.length,
        findings: [...g.items].sort((a, b) => a.seq - b.seq),
      })),
    };
  }).filter((g) => g.n > 0);
}

export interface AssessorGroup {
  code: string | null;
  title: string | null;
  general: boolean;
  auditors: { user_id: number; full_name: string; n: number }[];
}

export function groupAssessors(rows: AssessorRow[], procedures: ProcedureRef[]): AssessorGroup[] {
  return byProcedure(rows, procedures).map((g) => ({
    code: g.code,
    title: g.title,
    general: g.general,
    auditors: g.items
      .map((r) => ({ user_id: r.user_id, full_name: r.full_name, n: r.n }))
      .sort((a, b) => a.full_name.localeCompare(b.full_name, 'vi') || a.user_id - b.user_id),
  }));
}
