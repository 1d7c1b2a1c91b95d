import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyFeedbackHooks, type SurveyFeedbackInput } from '../../src/features/surveys/surveys.hooks';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { procedure } from '../reports/fixtures';

/**
 * A survey answer with a low score or a comment opens a feedback record (issue 24), through surveyFeedbackHooks, in
 * the transaction that stores the answer — as the public survey page calls them, on a handle of no signed-in
 * organisation. The answer's rows are written straight into the surveys' tables here (that feature tests its page).
 */
let t: TestApp;
let qo: SignedIn;
let pa: number;
let questions: number[];
const AT = '2026-11-20T03:00:00.000Z';

async function response(dossierCode: string | null, comment: string | null, scores: number[]): Promise<number> {
  await run(
    t,
    `insert into survey_responses (organisation_id, procedure_id, unit_id, question_set_id, dossier_code, counter, comment, language, answered_on, created_at)
     values (1, ?, null, (select id from survey_question_sets where organisation_id = 1), ?, 'Quầy 2', ?, 'vi', '2026-11-20', ?)`,
    pa,
    dossierCode,
    comment,
    AT,
  );
  const id = (await one<{ id: number }>(t, 'select max(id) as id from survey_responses'))!.id;
  for (const [i, score] of scores.entries())
    await run(t, 'insert into survey_scores (response_id, question_id, score) values (?, ?, ?)', id, questions[i], score);
  return id;
}

const TEXTS: [string, string, string][] = [
  ['information', 'Việc niêm yết, công khai thông tin thủ tục', 'Public information on the procedure'],
  ['attitude', 'Thái độ, cách hướng dẫn của công chức', "The officials' attitude and guidance"],
  ['time', 'Thời gian giải quyết hồ sơ', 'The time taken'],
];

/** What the survey page hands the hooks for an answer. */
function input(responseId: number, comment: string | null, low: { i: number; score: number }[], dossierCode: string | null): SurveyFeedbackInput {
  return {
    organisationId: 1,
    responseId,
    procedureId: pa,
    unitId: null,
    dossierCode,
    answeredOn: '2026-11-20',
    comment,
    lowScores: low.map(({ i, score }) => ({
      questionId: questions[i],
      seq: i + 1,
      criterion: TEXTS[i][0] as 'information' | 'attitude' | 'time',
      textVi: TEXTS[i][1],
      textEn: TEXTS[i][2],
      score,
    })),
    at: new Date(AT),
  };
}

const fire = (i: SurveyFeedbackInput) =>
  t.appCtx.db.transaction().execute(async (trx) => {
    for (const h of surveyFeedbackHooks) await h(trx, i);
  });

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  pa = await procedure(t, 'P-A', { unitId: t.units.other });
  await run(t, "insert into survey_question_sets (organisation_id, version, status, note, created_at) values (1, 1, 'draft', '', ?)", AT);
  const set = (await one<{ id: number }>(t, 'select id from survey_question_sets'))!.id;
  for (const [i, [criterion, vi, en]] of TEXTS.entries())
    await run(t, 'insert into survey_questions (question_set_id, seq, criterion, text_vi, text_en) values (?, ?, ?, ?, ?)', set, i + 1, criterion, vi, en);
  await run(t, "update survey_question_sets set status = 'active', activated_at = ? where id = ?", AT, set);
  questions = (await rows<{ id: number }>(t, 'select id from survey_questions order by seq')).map((q) => q.id);
});
afterAll(async () => t?.close());

describe('a survey answer needing triage', () => {
  it('opens a feedback record from the low scores and the comment, unassigned, with its audit entry', async () => {
    const rid = await response('HS-77', 'Phải chờ quá lâu, công chức không giải thích.', [4, 1, 2]);
    await fire(
      input(
        rid,
        'Phải chờ quá lâu, công chức không giải thích.',
        [
          { i: 2, score: 2 },
          { i: 1, score: 1 },
        ],
        'HS-77',
      ),
    );
    const f = (await one<Record<string, unknown>>(
      t,
      'select id, code, channel, kind, procedure_id, unit_id, dossier_code, received_on, answer_due_on, assignee_id, survey_response_id, content, created_by, status from feedback',
    ))!;
    expect(f).toMatchObject({
      code: 'PA-2026-001',
      channel: 'survey',
      kind: 'feedback',
      procedure_id: pa,
      unit_id: t.units.other, // the procedure's unit, the answer naming none
      dossier_code: 'HS-77',
      received_on: '2026-11-20',
      answer_due_on: '2026-12-04', // Fri 20/11 + 10 working days
      assignee_id: null,
      survey_response_id: rid,
      created_by: null,
      status: 'open',
    });
    expect(f.content).toBe(
      [
        'Ý kiến của người dân: Phải chờ quá lâu, công chức không giải thích.',
        'Tiêu chí được chấm điểm thấp:',
        '- Thái độ, cách hướng dẫn của công chức: 1/5',
        '- Thời gian giải quyết hồ sơ: 2/5',
      ].join('\n'),
    );
    const entry = (await one<{ action: string; user_id: number | null; organisation_id: number }>(
      t,
      "select action, user_id, organisation_id from audit_log where entity = 'feedback' and entity_id = ?",
      String(f.id),
    ))!;
    expect(entry).toEqual({ action: 'create', user_id: null, organisation_id: 1 });
    // its page shows the answer's scores, question by question
    const page = await qo.get(`/feedback/${f.id as number}?lang=vi`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Phiếu khảo sát');
    expect(page.text).toMatch(/Việc niêm yết, công khai thông tin thủ tục<\/th><td class="num" data-score="1">4\/5/);
    expect(page.text).toMatch(/data-score="2">1\/5/);
    expect(page.text).toMatch(/data-score="3">2\/5/);
  });

  it('opens one from a comment alone, and none for an answer with neither', async () => {
    const rid = await response(null, 'Cần thêm ghế chờ.', [5, 5, 5]);
    await fire(input(rid, 'Cần thêm ghế chờ.', [], null));
    expect((await one<{ content: string }>(t, 'select content from feedback where survey_response_id = ?', rid))!.content).toBe(
      'Ý kiến của người dân: Cần thêm ghế chờ.',
    );
    const quiet = await response(null, null, [5, 4, 5]);
    await fire(input(quiet, null, [], null));
    expect(await one(t, 'select id from feedback where survey_response_id = ?', quiet)).toBeUndefined();
  });

  it('opens at most one record per answer, and rolls back with the answer', async () => {
    const rid = await response(null, 'Lần hai', [3, 3, 3]);
    await fire(input(rid, 'Lần hai', [], null));
    await expect(fire(input(rid, 'Lần hai', [], null))).rejects.toThrow();
    expect((await rows(t, 'select id from feedback where survey_response_id = ?', rid)).length).toBe(1);
    const before = (await rows(t, 'select id from feedback')).length;
    await expect(
      t.appCtx.db.transaction().execute(async (trx) => {
        for (const h of surveyFeedbackHooks) await h(trx, input(rid + 1000, 'x', [], null));
      }),
    ).rejects.toThrow();
    expect((await rows(t, 'select id from feedback')).length).toBe(before);
  });
});
