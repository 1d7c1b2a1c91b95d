import type { Db } from '../../core/db/database';
import { formatNumber, formatPercent } from '../../core/views/format';
import { translate, type Lang } from '../../core/i18n';

/**
 * Citizens' satisfaction as the reports carry it (issue 24): the survey answers of the report's period — how many,
 * the satisfaction index, the average score, per criterion. The surveys feature computes it (its definitions are in
 * surveys.figures.ts and the README) and answers through these hooks, wired in src/features/hooks.ts, so that reports
 * imports nothing of surveys. `index` is in percent (2 decimals), null without scores; averages have 2 decimals.
 */
export interface SatisfactionScores {
  scores: number;
  satisfied: number;
  average: number | null;
  index: number | null;
}

export interface SatisfactionFigures extends SatisfactionScores {
  responses: number;
  withComment: number;
  /** The criteria with at least one score, in their order. */
  criteria: (SatisfactionScores & { criterion: string })[];
}

/** One procedure's answers in [from, to] (the compliance report per procedure). */
export type ProcedureSatisfactionHook = (db: Db, procedureId: number, from: string, to: string) => Promise<SatisfactionFigures>;
export const procedureSatisfactionHooks: ProcedureSatisfactionHook[] = [];

/** The figures of the first hook, or undefined when no feature answers (the section is then left out). */
export async function procedureSatisfaction(db: Db, procedureId: number, from: string, to: string): Promise<SatisfactionFigures | undefined> {
  const hook = procedureSatisfactionHooks[0];
  return hook ? hook(db, procedureId, from, to) : undefined;
}

const indexText = (index: number | null, lang: Lang) => (index === null ? translate(lang, 'surveys.results.no_data') : formatPercent(index / 100, lang));
const averageText = (average: number | null, lang: Lang) => (average === null ? '—' : formatNumber(average, lang));

/** The figures as the pages print them ("no data" for an index without scores, a dash for an average). */
export function satisfactionView(s: SatisfactionFigures | undefined, lang: Lang) {
  if (!s) return undefined;
  return {
    responses: s.responses,
    withComment: s.withComment,
    scores: s.scores,
    index: indexText(s.index, lang),
    average: averageText(s.average, lang),
    criteria: s.criteria.map((c) => ({ criterion: c.criterion, scores: c.scores, index: indexText(c.index, lang), average: averageText(c.average, lang) })),
  };
}
