import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { DEMO_PASSWORD_SUFFIX, runDemo } from '../../src/features/demo';
import { createTestApp, extractCsrf, type TestApp } from '../support/app';
import { crawl, type Page } from '../support/crawl';
import { policiesOf } from '../support/routes';
import { visibleText } from './visible-text';

/**
 * No English keys, raw JSON or ISO dates in the Vietnamese interface (issue 20): every page reachable by the demo's
 * quality officer, administrator, leader and staff member is crawled (one per route each) and its visible text — not
 * attribute values such as URLs and input values, not what users typed in textareas — is checked for a yyyy-mm-dd
 * date, a line that is a catalog key (`nonconformities.status.open`) and a JSON object (`{"`).
 */

/**
 * Pages of the sections of issue 20 still in progress (reports, dossiers, holidays, procedures), by path prefix:
 * what they leak is printed on every run, not failed. Empty when written: every page passed on 05/12/2026.
 */
const STILL_TO_FIX: readonly string[] = [];

/** Lines that show an ISO date on purpose: the import pages describe the date formats a file may use. */
const ISO_DATE_ALLOWED: readonly { prefix: string; line: RegExp }[] = [{ prefix: '/dossiers/import', line: /^Ngày hoặc ngày giờ:/ }];

let t: TestApp;
const pages: Page[] = [];

async function signIn(app: ReturnType<typeof createApp>, username: string) {
  const agent = request.agent(app);
  const csrf = extractCsrf((await agent.get('/login')).text);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username, password: `${username}${DEMO_PASSWORD_SUFFIX}`, _csrf: csrf });
  expect(res.status).toBe(303);
  return agent;
}

beforeAll(async () => {
  t = await createTestApp({ withUsers: false }); // an empty, migrated database on the engine under test
  t.clock.set('2026-12-05T02:00:00Z');
  await runDemo(t.ctx, () => {});
  const app = createApp(t.appCtx);
  const policies = policiesOf(app);
  for (const username of ['thuky', 'admin', 'lanhdao', 'canbo']) {
    const agent = await signIn(app, username);
    // Signing out would end the crawl; exports and language switches are not pages of the Vietnamese interface.
    const skip = (url: string) => /\/logout|\.(csv|json|xlsx|pdf)(\?|$)|[?&](format|download)=/.test(url);
    pages.push(...(await crawl(agent, policies, { perPattern: 1, maxPages: 300, skip, start: ['/admin/audit-log'] })));
  }
}, 300_000);
afterAll(async () => t.close());

interface Leak {
  url: string;
  what: string;
  text: string;
}

function leaksOf(page: Page): Leak[] {
  const out: Leak[] = [];
  for (const line of visibleText(page.text).split('\n')) {
    if (/^(https?:\/\/|\/)\S*$/.test(line)) continue; // a URL shown as a link's text
    const allowed = ISO_DATE_ALLOWED.some((a) => page.url.startsWith(a.prefix) && a.line.test(line));
    if (!allowed && /\b\d{4}-\d{2}-\d{2}\b/.test(line)) out.push({ url: page.url, what: 'ISO date', text: line });
    if (/^[a-z_]+(\.[a-z_]+)+$/.test(line)) out.push({ url: page.url, what: 'catalog key', text: line });
    if (line.includes('{"')) out.push({ url: page.url, what: 'raw JSON', text: line });
  }
  return out;
}

describe('visible text of the Vietnamese interface', () => {
  it('crawls the pages of the demo', () => {
    const html = pages.filter((p) => p.contentType.includes('text/html') && p.status === 200);
    expect(html.length).toBeGreaterThan(40);
    expect(html.some((p) => p.url.startsWith('/admin/audit-log'))).toBe(true);
  });

  it('shows no ISO date, catalog key or raw JSON', () => {
    const leaks = pages.filter((p) => p.contentType.includes('text/html')).flatMap(leaksOf);
    const pending = leaks.filter((l) => STILL_TO_FIX.some((prefix) => l.url.startsWith(prefix)));
    if (pending.length > 0) console.warn(`visible leaks still to fix (issue 20):\n  ${pending.map((l) => `${l.url} ${l.what}: ${l.text}`).join('\n  ')}`);
    const owned = leaks.filter((l) => !pending.includes(l));
    expect(owned.map((l) => `${l.url} ${l.what}: ${l.text}`)).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    const page = (body: string): Page => ({ url: '/x', status: 200, contentType: 'text/html', text: body, headers: {}, policy: undefined, forms: [] });
    expect(leaksOf(page('<p>Hạn: 2026-12-05</p><td>audits.status.planned</td><pre>{"status":"open"}</pre>')).map((l) => l.what)).toEqual([
      'ISO date',
      'catalog key',
      'raw JSON',
    ]);
    // Input values, link targets and dd/MM/yyyy dates are not leaks.
    expect(leaksOf(page('<input name="from" value="2026-12-05"><a href="/reports?from=2026-01-01">05/12/2026</a>'))).toEqual([]);
  });
});
