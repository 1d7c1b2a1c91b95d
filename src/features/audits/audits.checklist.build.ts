import { clauseTitle, isClause } from '../../core/iso/clauses';
import { translate, type Lang } from '../../core/i18n';
import type { NewChecklistItem } from './audits.checklist.queries';

/**
 * Building checklist items: from the scope (one question per procedure × clause, editable afterwards),
 * or from a template (each template question once per procedure of the scope). Pure.
 */
export interface ScopeForChecklist {
  procedures: { id: number; code: string }[];
  clauses: string[];
}

const clauseOrder = (a: string, b: string) => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
};

export function sortClauses(clauses: string[]): string[] {
  return [...clauses].sort(clauseOrder);
}

export function itemsFromScope(scope: ScopeForChecklist, lang: Lang): NewChecklistItem[] {
  const clauses = sortClauses(scope.clauses);
  const items: NewChecklistItem[] = [];
  if (scope.procedures.length === 0) {
    for (const clause of clauses) {
      items.push({ procedure_id: null, clause, question: translate(lang, 'audits.checklist.q_clause', { clause, title: clauseTitle(clause, lang) }) });
    }
    return items;
  }
  for (const p of scope.procedures) {
    if (clauses.length === 0) {
      items.push({ procedure_id: p.id, clause: null, question: translate(lang, 'audits.checklist.q_procedure', { procedure: p.code }) });
    }
    for (const clause of clauses) {
      items.push({
        procedure_id: p.id,
        clause,
        question: translate(lang, 'audits.checklist.q_procedure_clause', { procedure: p.code, clause, title: clauseTitle(clause, lang) }),
      });
    }
  }
  return items;
}

export function itemsFromTemplate(scope: ScopeForChecklist, questions: { clause: string | null; question: string }[]): NewChecklistItem[] {
  const items: NewChecklistItem[] = [];
  const procedures: ({ id: number } | null)[] = scope.procedures.length ? scope.procedures : [null];
  for (const p of procedures) {
    for (const q of questions) items.push({ procedure_id: p?.id ?? null, clause: q.clause, question: q.question });
  }
  return items;
}

/** Template questions typed one per line, "8.5.1 | question" or just "question". */
export function parseTemplateQuestions(text: string): { questions: { clause: string | null; question: string }[]; badLines: number[] } {
  const questions: { clause: string | null; question: string }[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const m = /^(\d+(?:\.\d+)*)\s*\|\s*(.+)$/.exec(line);
    const question = (m ? m[2] : line).trim();
    if (question.length > 1000 || question === '' || (m && !isClause(m[1]))) badLines.push(index + 1);
    else questions.push({ clause: m ? m[1] : null, question });
  });
  return { questions, badLines };
}

export function formatTemplateQuestions(questions: { clause: string | null; question: string }[]): string {
  return questions.map((q) => (q.clause ? `${q.clause} | ${q.question}` : q.question)).join('\n');
}
