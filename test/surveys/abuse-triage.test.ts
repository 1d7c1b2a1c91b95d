import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { surveyFeedbackHooks, type SurveyFeedbackHook, type SurveyFeedbackInput } from '../../src/features/surveys/surveys.hooks';
import { surveyLimiterOf } from '../../src/features/surveys/surveys.limits.model';
import { submitResponse } from '../../src/features/surveys/surveys.service';
import { createTestApp, one, run, type TestApp } from '../support/app';
import { textOf } from '../support/html';
import { dossier, procedure } from '../reports/fixtures';
import { answer, countAnswers, defaultSet, ORG } from './support';

/**
 * The public page's rate limits (per address, per address and procedure, in memory, on the app's clock) and the
 * triage event: surveyFeedbackHooks is called, in the answer's transaction, exactly when a score is at or below the
 * organisation's low score (if not 0) or a comment is given while comments open a feedback record.
 */
let t: TestApp;
let q: number[];
let pa: number;

beforeAll(async () => {
  t = await createTestApp();
  pa = await procedure(t, 'P-A', { unitId: t.units.main });
  for (const code of ['P-B', 'P-C', 'P-D', 'P-E']) await procedure(t, code);
  await dossier(t, pa, 'HS-7', { received: '2026-11-01', due: '2026-11-10', returned: '2026-11-09' });
  ({ questions: q } = await defaultSet(t));
});
afterAll(async () => t?.close());
beforeEach(() => surveyLimiterOf(t.appCtx).clear());

describe('rate limits', () => {
  afterEach(() => t.clock.set('2026-11-26T02:00:00Z'));

  it('allows 3 answers an hour per address and procedure, then 429 with Retry-After, and again after the hour', async () => {
    const path = `/s/${ORG}/P-B`;
    for (let i = 0; i < 3; i++) {
      expect((await answer(t, path, { [`q${q[0]}`]: '5' })).status).toBe(303);
      t.clock.advance(60_000);
    }
    const before = await countAnswers(t);
    const refused = await answer(t, path, { [`q${q[0]}`]: '5' });
    expect(refused.status).toBe(429);
    // the first answer was at 02:00, so the window frees at 03:00, 57 minutes from 02:03
    expect(refused.headers['retry-after']).toBe(String(57 * 60));
    expect(textOf(refused.text)).toContain('Xin thử lại sau khoảng 57 phút.');
    expect(await countAnswers(t)).toBe(before);
    // a honeypot hit is refused the same, never 5xx
    expect((await answer(t, path, { [`q${q[0]}`]: '5', website: 'x' })).status).toBe(429);
    t.clock.set('2026-11-26T03:00:00.001Z');
    expect((await answer(t, path, { [`q${q[0]}`]: '5' })).status).toBe(303);
    expect(await countAnswers(t)).toBe(before + 1);
  });

  it('allows 10 answers an hour per address over all procedures, a honeypot hit counting as one', async () => {
    const codes = ['P-A', 'P-B', 'P-C', 'P-D'];
    for (let i = 0; i < 9; i++) expect((await answer(t, `/s/${ORG}/${codes[i % 4]}`, { [`q${q[1]}`]: '4' })).status).toBe(303);
    expect((await answer(t, `/s/${ORG}/P-B`, { [`q${q[1]}`]: '4', website: 'bot' })).status).toBe(303);
    const refused = await answer(t, `/s/${ORG}/P-E`, { [`q${q[1]}`]: '4' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBe(3600);
    t.clock.advance(3600_000 + 1);
    expect((await answer(t, `/s/${ORG}/P-E`, { [`q${q[1]}`]: '4' })).status).toBe(303);
  });

  it('does not count a form sent back for correction', async () => {
    for (let i = 0; i < 5; i++) expect((await answer(t, `/s/${ORG}/P-C`, {})).status).toBe(422);
    expect((await answer(t, `/s/${ORG}/P-C`, { [`q${q[2]}`]: '3' })).status).toBe(303);
  });
});

describe('the triage event', () => {
  const calls: SurveyFeedbackInput[] = [];
  const hook: SurveyFeedbackHook = async (trx, input) => {
    // called inside the answer's transaction: the answer is already there
    const row = await trx.selectFrom('survey_responses').select('id').where('id', '=', input.responseId).executeTakeFirst();
    expect(row).toBeDefined();
    calls.push(input);
  };
  beforeAll(() => surveyFeedbackHooks.push(hook));
  afterAll(() => void surveyFeedbackHooks.splice(surveyFeedbackHooks.indexOf(hook), 1));
  beforeEach(() => void calls.splice(0));
  const settings = (low: number, comment: 0 | 1) =>
    run(t, 'update organisation set survey_low_score = ?, survey_comment_feedback = ? where id = 1', low, comment);
  const lastId = async () => Number((await one<{ id: number }>(t, 'select max(id) as id from survey_responses'))!.id);

  it('is called for a score at or below the low score, with the low scores, the answer and its dossier', async () => {
    await settings(2, 1);
    expect((await answer(t, `/s/${ORG}/P-A`, { [`q${q[0]}`]: '2', [`q${q[3]}`]: '1', [`q${q[5]}`]: '3', dossier_code: 'HS-7' })).status).toBe(303);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({
      organisationId: 1,
      responseId: await lastId(),
      procedureId: pa,
      unitId: t.units.main,
      dossierCode: 'HS-7',
      answeredOn: '2026-11-26',
      comment: null,
      lowScores: [
        {
          questionId: q[0],
          seq: 1,
          criterion: 'information',
          textVi: 'Thông tin về thủ tục hành chính được niêm yết công khai, đầy đủ, dễ hiểu.',
          textEn: 'Information about the administrative procedure is posted publicly, complete and easy to understand.',
          score: 2,
        },
        expect.objectContaining({ questionId: q[3], seq: 4, criterion: 'attitude', score: 1 }),
      ],
      at: new Date('2026-11-26T02:00:00Z'),
    });
  });

  it('is not called for scores above the low score without a comment', async () => {
    await settings(2, 1);
    expect((await answer(t, `/s/${ORG}/P-B`, { [`q${q[0]}`]: '3', [`q${q[1]}`]: '5' })).status).toBe(303);
    expect(calls).toHaveLength(0);
  });

  it('is called for a comment when comments open a feedback record, with no low scores', async () => {
    await settings(2, 1);
    expect((await answer(t, `/s/${ORG}/P-C`, { [`q${q[0]}`]: '5', comment: 'Nên có thêm ghế chờ.' })).status).toBe(303);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ responseId: await lastId(), comment: 'Nên có thêm ghế chờ.', lowScores: [] });
  });

  it('follows the settings: no call for a comment when comments do not open one, none for any score when the low score is 0', async () => {
    await settings(2, 0);
    expect((await answer(t, `/s/${ORG}/P-D`, { [`q${q[0]}`]: '5', comment: 'Tốt.' })).status).toBe(303);
    expect(calls).toHaveLength(0);
    await settings(0, 0);
    expect((await answer(t, `/s/${ORG}/P-E`, { [`q${q[0]}`]: '1', comment: 'Rất chậm.' })).status).toBe(303);
    expect(calls).toHaveLength(0);
    await settings(4, 0);
    expect((await answer(t, `/s/${ORG}/P-D`, { [`q${q[0]}`]: '4' })).status).toBe(303);
    expect(calls.map((c) => c.lowScores.map((l) => l.score))).toEqual([[4]]);
  });

  it('rolls the answer back when a handler fails: nothing half-written', async () => {
    await settings(2, 1);
    const failing: SurveyFeedbackHook = async () => {
      throw new Error('feedback register unavailable');
    };
    surveyFeedbackHooks.push(failing);
    try {
      const before = await countAnswers(t);
      const scores = await one<{ n: number }>(t, 'select count(*) as n from survey_scores');
      const answerOf = { procedureCode: 'P-A', scores: new Map([[q[0], 1]]), dossierCode: null, comment: null, counter: null, language: 'vi' as const };
      await expect(submitResponse(t.ctx.db, answerOf, t.clock.now(), 'Asia/Ho_Chi_Minh')).rejects.toThrow('feedback register unavailable');
      expect(await countAnswers(t)).toBe(before);
      expect(await one<{ n: number }>(t, 'select count(*) as n from survey_scores')).toEqual(scores);
    } finally {
      surveyFeedbackHooks.splice(surveyFeedbackHooks.indexOf(failing), 1);
    }
  });
});
