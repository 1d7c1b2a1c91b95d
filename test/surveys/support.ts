import request from 'supertest';
import { extractCsrf, one, rows, type TestApp } from '../support/app';
import { createDefaultSet } from '../../src/features/surveys/surveys.sets.service';

/** The test organisation's code (organisation 1 keeps `DV1`). */
export const ORG = 'DV1';

/** Creates and activates the default question set for organisation 1; the ids of its questions in order. */
export async function defaultSet(t: TestApp): Promise<{ setId: number; questions: number[] }> {
  const setId = (await createDefaultSet(t.ctx.db, t.users.quality_officer, t.clock.now()))!;
  const qs = await rows<{ id: number }>(t, 'select id from survey_questions where question_set_id = ? order by seq', setId);
  return { setId, questions: qs.map((q) => Number(q.id)) };
}

/** A visitor without a session: opens the survey page (for its CSRF token) and sends the form. */
export async function answer(t: TestApp, path: string, body: Record<string, string>): Promise<request.Response> {
  const agent = request.agent(t.app);
  const page = await agent.get(path);
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
  return agent
    .post(path)
    .type('form')
    .send({ ...body, _csrf: extractCsrf(page.text) });
}

export async function countAnswers(t: TestApp): Promise<number> {
  return Number((await one<{ n: number }>(t, 'select count(*) as n from survey_responses'))!.n);
}
