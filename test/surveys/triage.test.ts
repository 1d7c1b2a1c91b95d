import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { surveyLimiterOf } from '../../src/features/surveys/surveys.limits.model';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { injectedMarkup, textOf } from '../support/html';
import { procedure } from '../reports/fixtures';
import { answer, defaultSet, ORG } from './support';

/**
 * The citizens' voice end to end (issue 24), through the pages as people use them: a citizen's low score on the public
 * page opens a feedback record that the quality officer finds in the register, with the scores; a complaint raised as
 * a nonconformity links both ways; an answer discarded as spam cancels the record it opened, unless someone worked on it.
 */
let t: TestApp;
let qo: SignedIn;
let q: number[];
const PAGE = `/s/${ORG}/P-A`;

const feedbackOf = (responseId: number) =>
  one<{ id: number; code: string; status: string; channel: string; content: string; cancel_reason: string | null }>(
    t,
    'select id, code, status, channel, content, cancel_reason from feedback where survey_response_id = ?',
    responseId,
  );
const lastResponse = async () => (await one<{ id: number }>(t, 'select max(id) as id from survey_responses'))!.id;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  await procedure(t, 'P-A', { unitId: t.units.main });
  ({ questions: q } = await defaultSet(t));
});
afterAll(async () => t?.close());
beforeEach(() => surveyLimiterOf(t.appCtx).clear());

describe('a low score on the public page', () => {
  it('opens a feedback record in the register, which the officer raises as a nonconformity linked both ways', async () => {
    const sent = await answer(t, PAGE, { [`q${q[0]}`]: '5', [`q${q[2]}`]: '1' });
    expect(sent.status).toBe(303);
    const f = (await feedbackOf(await lastResponse()))!;
    expect(f).toMatchObject({ status: 'open', channel: 'survey' });
    expect(f.content).toContain(': 1/5');
    expect(f.content).not.toContain(': 5/5');

    const register = await qo.get('/feedback');
    expect(textOf(register.text)).toContain(f.code);
    const raised = await qo.post(`/feedback/${f.id}/raise`, {});
    expect(raised.status).toBe(303);
    const nc = (await one<{ id: number; code: string; source: string }>(
      t,
      'select n.id, n.code, n.source from feedback f join nonconformities n on n.id = f.nonconformity_id where f.id = ?',
      f.id,
    ))!;
    expect(nc.source).toBe('complaint');
    expect(textOf((await qo.get(`/feedback/${f.id}`)).text)).toContain(nc.code);
    const ncPage = await qo.get(`/nonconformities/${nc.id}`);
    expect(ncPage.text).toContain(`href="/feedback/${f.id}"`);
    expect(textOf(ncPage.text)).toContain(f.code);
  });

  it('opens nothing for a satisfied answer without a comment', async () => {
    const before = (await one<{ n: number }>(t, 'select count(*) as n from feedback'))!.n;
    expect((await answer(t, PAGE, { [`q${q[0]}`]: '4', [`q${q[1]}`]: '5' })).status).toBe(303);
    expect((await one<{ n: number }>(t, 'select count(*) as n from feedback'))!.n).toBe(before);
  });
});

describe('an answer discarded as spam', () => {
  it('cancels the open record it opened, with the reason, audit-logged, in the discarding transaction', async () => {
    expect((await answer(t, PAGE, { comment: 'Vay tiền nhanh, liên hệ 0900 000 000' })).status).toBe(303);
    const id = await lastResponse();
    const f = (await feedbackOf(id))!;
    expect(f.status).toBe('open');
    const res = await qo.post(`/surveys/responses/${id}/discard`, { discard_reason: 'Quảng cáo' });
    expect(res.status).toBe(303);
    expect(await feedbackOf(id)).toMatchObject({ status: 'cancelled', cancel_reason: 'Phiếu khảo sát đã bị loại (phiếu rác): Quảng cáo' });
    const audit = await rows<{ action: string; user_id: number }>(
      t,
      "select action, user_id from audit_log where entity = 'feedback' and entity_id = ? order by id",
      String(f.id),
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'cancel']);
    expect(audit[1].user_id).toBe(t.users.quality_officer);
  });

  it('leaves a record someone already answered as it is', async () => {
    expect((await answer(t, PAGE, { comment: 'Chờ lâu quá' })).status).toBe(303);
    const id = await lastResponse();
    const f = (await feedbackOf(id))!;
    await run(
      t,
      "update feedback set status = 'answered', answer = 'Đã gọi lại', answered_on = '2026-11-26', answered_by = ? where id = ?",
      t.users.quality_officer,
      f.id,
    );
    expect((await qo.post(`/surveys/responses/${id}/discard`, { discard_reason: 'Nhầm' })).status).toBe(303);
    expect((await feedbackOf(id))!.status).toBe('answered');
  });
});

describe("a citizen's hostile comment", () => {
  it('is shown as text, never as markup, on every page that shows it', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>';
    expect((await answer(t, PAGE, { [`q${q[1]}`]: '2', comment: hostile })).status).toBe(303);
    const f = (await feedbackOf(await lastResponse()))!;
    for (const path of ['/surveys/responses', '/surveys/results', `/feedback/${f.id}`, '/feedback']) {
      const page = await qo.get(path);
      expect(page.status).toBe(200);
      expect(injectedMarkup(page.text), path).toEqual([]);
    }
    expect(textOf((await qo.get(`/feedback/${f.id}`)).text)).toContain('<script>alert(1)</script>');
  });
});
