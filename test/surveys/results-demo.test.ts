import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { DEMO_PASSWORD_SUFFIX, runDemo } from '../../src/features/demo';
import { createTestApp, extractCsrf, one, rows, type TestApp } from '../support/app';
import { answer, questionSet } from './results-fixtures';

/**
 * The results page and the reports on the demo (the demo's "now" is the test clock's, 2026-11-26): they render with
 * the demo's answers, or its empty state when the demo has none, and count an answer added to it.
 */
let t: TestApp;
let agent: request.Agent;
const fig = (html: string, name: string) => new RegExp(`data-fig="${name}">([^<]*)<`).exec(html)?.[1];
const YEAR = 'from=2026-01-01&to=2026-11-26&lang=vi';

beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
  agent = request.agent(createApp(t.appCtx));
  const csrf = extractCsrf((await agent.get('/login')).text);
  await agent
    .post('/login')
    .type('form')
    .send({ username: 'thuky', password: `thuky${DEMO_PASSWORD_SUFFIX}`, _csrf: csrf });
}, 120_000);
afterAll(async () => t?.close());

describe('survey results on the demo', () => {
  it('renders the page, the annual report and the compliance report, then counts one more answer', async () => {
    const before = Number(
      (await one<{ n: number }>(
        t,
        "select count(*) as n from survey_responses where organisation_id = 1 and status = 'counted' and answered_on between '2026-01-01' and '2026-11-26'",
      ))!.n,
    );
    const page = await agent.get(`/surveys/results?${YEAR}`);
    expect(page.status).toBe(200);
    if (before === 0) expect(page.text).toContain('Chưa có phiếu khảo sát nào trong kỳ này.');
    else expect(fig(page.text, 'responses')).toBe(String(before));
    // one answer more, on a question set of its own (the demo's sets keep their versions)
    const version = Number((await one<{ v: number }>(t, 'select coalesce(max(version), 0) as v from survey_question_sets where organisation_id = 1'))!.v) + 1;
    const set = await questionSet(t, version, 'retired', ['attitude']);
    const [p] = await rows<{ id: number; code: string; unit_id: number | null }>(
      t,
      "select id, code, unit_id from procedures where organisation_id = 1 and status = 'active' order by code limit 1",
    );
    await answer(t, {
      procedureId: Number(p.id),
      unitId: p.unit_id === null ? null : Number(p.unit_id),
      set,
      on: '2026-11-20',
      scores: [5],
      comment: 'Cán bộ hướng dẫn tận tình.',
    });
    const after = await agent.get(`/surveys/results?${YEAR}`);
    expect(after.status).toBe(200);
    expect(fig(after.text, 'responses')).toBe(String(before + 1));
    expect(after.text).toContain('Cán bộ hướng dẫn tận tình.');
    expect((await agent.get(`/surveys/results.xlsx?${YEAR}`)).status).toBe(200);
    const report = await agent.get(`/reports/procedures/${encodeURIComponent(p.code)}?from=2026-11-01&to=2026-11-26&lang=vi`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('<h2 id="satisfaction">');
    expect((await agent.get('/reports/annual/2026?lang=vi')).status).toBe(200);
  });
});
