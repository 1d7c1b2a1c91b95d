import { clauseTitle, isClause } from '../../core/iso/clauses';
import { translate, type Lang } from '../../core/i18n';
import type { NewChecklistItem } from './audits.checklist.queries';
import type { LibraryItem } from './audits.library.queries';

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

/** A library question as the checklist builder needs it. */
export interface LibraryQuestion {
  id: number;
  clause: string;
  procedure_id: number | null;
  position: number;
  text_vi: string;
  text_en: string;
  revision: number;
  active: number;
}

/** A scope clause ("8", "8.5", "8.5.1") covers itself and every clause under it; no scope clause covers all. */
export const clauseCovered = (clause: string, scopeClauses: string[]) =>
  scopeClauses.length === 0 || scopeClauses.some((s) => clause === s || clause.startsWith(`${s}.`));

/**
 * From the library: for each procedure of the scope (or once, without procedure, when the scope names none), the
 * active general questions of every clause the scope covers plus that procedure's own, in clause order, each
 * naming the question and revision it came from, worded in the request's language (Vietnamese when no English).
 */
export function itemsFromLibrary(scope: ScopeForChecklist, questions: LibraryQuestion[], lang: Lang): LibraryItem[] {
  const usable = questions
    .filter((q) => q.active === 1 && clauseCovered(q.clause, scope.clauses))
    .sort((a, b) => clauseOrder(a.clause, b.clause) || a.position - b.position || a.id - b.id);
  const procedures: ({ id: number } | null)[] = scope.procedures.length ? scope.procedures : [null];
  const items: LibraryItem[] = [];
  for (const p of procedures) {
    for (const q of usable) {
      if (q.procedure_id !== null && q.procedure_id !== p?.id) continue;
      const question = lang === 'en' && q.text_en.trim() !== '' ? q.text_en : q.text_vi;
      items.push({ procedure_id: p?.id ?? null, clause: q.clause, question, question_id: q.id, question_revision: q.revision });
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
