import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS, allows, type Role } from '../../src/core/http/roles';
import { samplePerPattern, type Page } from '../support/crawl';
import { extractCsrf } from '../support/app';
import { headerProblems } from '../support/headers';
import { fill, label, policiesOf, type Policy } from '../support/routes';
import { createWorld, type World, WORLD_TIMEOUT } from '../support/world';

/**
 * Security headers on a sample of every GET route (one real URL per route pattern, as every role, found by
 * crawling the demo world), and on every kind of answer: redirects, 403, 404, 405-ish, 413, 422, JSON and CSV
 * exports and downloads (whatever the crawl reaches), static files, and production mode (HSTS). 500 pages are covered by
 * errors.test.ts, which checks headers on every failure it provokes.
 */
let w: World;
/** The model office's public survey page for its first active procedure (issue 24). */
let SURVEY: string;
let policies: Policy[];
const crawled = {} as Record<Role, Page[]>;

beforeAll(async () => {
  w = await createWorld();
  policies = policiesOf(w.app);
  for (const role of WORKERS) crawled[role] = w.crawled(role);
  const { code } = await w.ctx.db
    .selectFrom('procedures')
    .select('code')
    .where('organisation_id', '=', 1)
    .where('status', '=', 'active')
    .orderBy('code')
    .executeTakeFirstOrThrow();
  SURVEY = `/s/DV1/${encodeURIComponent(code)}`;
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

describe('security headers', () => {
  it('are on a real page of every GET route, for every role, and on every page the crawl reached', async () => {
    const problems: string[] = [];
    const seen = new Set<Policy>();
    for (const role of WORKERS) {
      for (const page of crawled[role]) {
        if (page.policy) seen.add(page.policy);
        for (const p of headerProblems(page)) problems.push(`${role} GET ${page.url} → ${page.status}: ${p}`);
        // exports and downloads: a header no file name can break
        const disposition = page.headers['content-disposition'];
        if (disposition !== undefined && !/^(attachment|inline)(;|$)[\x20-\x7e]*$/.test(String(disposition)))
          problems.push(`${page.url}: Content-Disposition ${String(disposition)}`);
      }
      // routes the crawl did not reach by links: their pattern with real-looking ids
      const user = await w.as(role);
      for (const [policy, url] of samplePerPattern(policies, crawled[role])) {
        if (crawled[role].some((pg) => pg.policy === policy)) continue;
        const res = await user.get(url);
        seen.add(policy);
        for (const p of headerProblems(res)) problems.push(`${role} GET ${url} → ${res.status}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
    const gets = policies.filter((p) => p.method === 'GET');
    expect(gets.filter((p) => !seen.has(p)).map(label)).toEqual([]);
  });

  it('are on redirects, refusals, missing pages, validation errors and oversized bodies', async () => {
    const staff = await w.as('staff');
    const admin = await w.as('admin');
    const anon = request(w.app);
    const citizen = request.agent(w.app);
    const forbidden = policies.find((p) => p.method === 'GET' && !allows(p.access, 'staff'))!;
    const responses: [string, request.Response][] = [
      ['anonymous page → 303', await anon.get('/procedures')],
      ['anonymous POST (no session, so no CSRF token) → 403', await anon.post('/procedures').type('form').send('a=1')],
      ['sign-in page', await anon.get('/login')],
      ['anonymous 404', await anon.get('/khong-co')],
      ['staff 403', await staff.get(fill(forbidden.path, {}))],
      ['staff 404', await staff.get('/khong-co/trang-nay')],
      ['POST without CSRF → 403', await staff.agent.post('/logout').type('form').send('')],
      ['POST with a bad body → 422', await admin.post('/admin/units', { code: '', name: '' })],
      ['POST to a GET-only path → 404', await admin.post('/khong-co', {})],
      [
        'oversized body → 413',
        await admin.agent
          .post('/admin/units')
          .type('form')
          .send(`_csrf=${admin.csrf}&name=${'x'.repeat(3 * 1024 * 1024)}`),
      ],
      ['malformed encoding → 4xx', await admin.agent.post('/admin/units').type('form').send(`_csrf=${admin.csrf}&name=%E0%A4%A`)],
      ['unknown id → 404', await admin.get('/procedures/999999')],
      ['public survey page', await citizen.get(SURVEY)],
      ['public survey, unknown procedure → 404', await anon.get('/s/DV1/KHONG-CO')],
      ['public survey thank-you page', await anon.get(`${SURVEY}/thanks`)],
      [
        'public survey sent empty → 422',
        await citizen
          .post(SURVEY)
          .type('form')
          .send({ _csrf: extractCsrf((await citizen.get(SURVEY)).text) }),
      ],
    ];
    const problems: string[] = [];
    for (const [what, res] of responses) {
      expect(res.status, what).toBeLessThan(500);
      for (const p of headerProblems(res)) problems.push(`${what} (${res.status}): ${p}`);
    }
    expect(responses.map(([, r]) => r.status)).toEqual([303, 403, 200, 404, 403, 404, 403, 422, 404, 413, 422, 404, 200, 404, 200, 422]);
    const css = await anon.get('/static/app.css');
    expect(css.status).toBe(200);
    for (const p of headerProblems(css, { static: true })) problems.push(`static file: ${p}`);
    const surveyCss = await anon.get('/static/survey.css');
    expect(surveyCss.status).toBe(200);
    for (const p of headerProblems(surveyCss, { static: true })) problems.push(`survey stylesheet: ${p}`);
    expect(problems).toEqual([]);
  });

  it('adds HSTS in production on every kind of answer', async () => {
    const prod = await createWorld({ env: { NODE_ENV: 'production' } });
    try {
      const anon = request(prod.app);
      const problems: string[] = [];
      for (const [what, res] of [
        ['sign-in', await anon.get('/login')],
        ['404', await anon.get('/khong-co')],
        ['redirect', await anon.get('/')],
      ] as const) {
        for (const p of headerProblems(res, { production: true })) problems.push(`${what}: ${p}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await prod.close();
    }
  });
});
