import type { TestApp } from '../support/app';
import { run } from '../reports/fixtures';
import type { SurveyCriterion } from '../../src/features/surveys/surveys.tables';

/**
 * Survey rows written straight into the tables (the public page and the question-set editor are tested by their own
 * files): a question set with its questions, then answers with their scores. Every figure the results tests expect is
 * computed by hand from these.
 */
const AT = '2026-09-01T00:00:00.000Z';

/** A question set of the organisation (`org`, 1 by default), with its questions, then put in use ('active' or 'retired'). */
export async function questionSet(
  t: TestApp,
  version: number,
  status: 'active' | 'retired',
  criteria: SurveyCriterion[],
  org = 1,
): Promise<{ id: number; questions: number[] }> {
  const id = await run(t, `insert into survey_question_sets (organisation_id, version, created_at) values (?, ?, ?)`, org, version, AT);
  const questions: number[] = [];
  for (const [i, criterion] of criteria.entries()) {
    questions.push(
      await run(
        t,
        `insert into survey_questions (question_set_id, seq, criterion, text_vi, text_en) values (?, ?, ?, ?, ?)`,
        id,
        i + 1,
        criterion,
        `Câu ${i + 1} (bản ${version})`,
        `Question ${i + 1} (version ${version})`,
      ),
    );
  }
  await run(t, `update survey_question_sets set status = ?, activated_at = ?, retired_at = ? where id = ?`, status, AT, status === 'retired' ? AT : null, id);
  return { id, questions };
}

export interface AnswerInput {
  procedureId: number;
  unitId: number | null;
  set: { id: number; questions: number[] };
  on: string;
  /** Scores in the set's question order; null: question left unanswered. */
  scores: (number | null)[];
  comment?: string;
  dossierCode?: string;
  discarded?: boolean;
  org?: number;
}

/** An answer with its scores; its id. */
export async function answer(t: TestApp, a: AnswerInput): Promise<number> {
  const id = await run(
    t,
    `insert into survey_responses (organisation_id, procedure_id, unit_id, question_set_id, dossier_code, comment, language, answered_on, created_at,
       status, discard_reason, discarded_at) values (?, ?, ?, ?, ?, ?, 'vi', ?, ?, ?, ?, ?)`,
    a.org ?? 1,
    a.procedureId,
    a.unitId,
    a.set.id,
    a.dossierCode ?? null,
    a.comment ?? null,
    a.on,
    `${a.on}T03:00:00.000Z`,
    a.discarded ? 'discarded' : 'counted',
    a.discarded ? 'Phiếu rác' : null,
    a.discarded ? `${a.on}T04:00:00.000Z` : null,
  );
  for (const [i, score] of a.scores.entries()) {
    if (score !== null) await run(t, `insert into survey_scores (response_id, question_id, score) values (?, ?, ?)`, id, a.set.questions[i], score);
  }
  return id;
}

/**
 * The known answers of the results tests (the test clock says 2026-11-26; the organisation's low score is 2):
 * - set v1 (retired): Q1 information, Q2 attitude; set v2 (active): Q3 information, Q4 attitude, Q5 time;
 * - P-A handled by the main unit, then moved to the other unit (its later answers carry the other unit); P-B by the
 *   other unit.
 *
 * | answer | procedure | unit  | set | date       | scores      | comment / dossier        |
 * | R1     | P-A       | main  | v1  | 2026-10-01 | 5, 4        | "Rất tốt", D-1           |
 * | R2     | P-A       | main  | v1  | 2026-10-10 | 2, 3        | "<b>Chờ lâu</b>"         |
 * | R3     | P-A       | other | v2  | 2026-10-20 | 4, 5, 1     | D-3                      |
 * | R4     | P-B       | other | v2  | 2026-10-31 | 5, 5, 4     |                          |
 * | R5     | P-B       | other | v2  | 2026-11-01 | 1, –, –     | (day after October)      |
 * | R6     | P-B       | other | v2  | 2026-09-30 | 1, –, –     | (day before October)     |
 * | R7     | P-A       | main  | v2  | 2026-10-15 | 1, 1, 1     | discarded                |
 * | R8     | P-B       | none  | v2  | 2026-10-25 | –, –, –     | "   " (blank)            |
 */
export async function seedKnownAnswers(t: TestApp, procedureOf: (code: string, unitId: number) => Promise<number>) {
  const v1 = await questionSet(t, 1, 'retired', ['information', 'attitude']);
  const v2 = await questionSet(t, 2, 'active', ['information', 'attitude', 'time']);
  const pa = await procedureOf('P-A', t.units.main);
  const pb = await procedureOf('P-B', t.units.other);
  const { main, other } = t.units;
  const r1 = await answer(t, { procedureId: pa, unitId: main, set: v1, on: '2026-10-01', scores: [5, 4], comment: 'Rất tốt', dossierCode: 'D-1' });
  await answer(t, { procedureId: pa, unitId: main, set: v1, on: '2026-10-10', scores: [2, 3], comment: '<b>Chờ lâu</b>' });
  await answer(t, { procedureId: pa, unitId: main, set: v2, on: '2026-10-15', scores: [1, 1, 1], discarded: true });
  // P-A moves to the other unit: its answers from now on carry it
  await run(t, `update procedures set unit_id = ? where id = ?`, other, pa);
  await answer(t, { procedureId: pa, unitId: other, set: v2, on: '2026-10-20', scores: [4, 5, 1], dossierCode: 'D-3' });
  await answer(t, { procedureId: pb, unitId: other, set: v2, on: '2026-10-31', scores: [5, 5, 4] });
  await answer(t, { procedureId: pb, unitId: other, set: v2, on: '2026-11-01', scores: [1, null, null] });
  await answer(t, { procedureId: pb, unitId: other, set: v2, on: '2026-09-30', scores: [1, null, null] });
  await answer(t, { procedureId: pb, unitId: null, set: v2, on: '2026-10-25', scores: [null, null, null], comment: '   ' });
  return { v1, v2, pa, pb, r1 };
}
