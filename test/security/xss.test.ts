import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS, allows, type Role } from '../../src/core/http/roles';
import { formsByRoute, samplePerPattern, type FoundForm, type Page } from '../support/crawl';
import { fillContext, isTextual, plan, submitUntilAccepted, type FillContext } from '../support/forms';
import { decodeEntities, parseForms, PROBE_TAG, responseMarkupProblems } from '../support/html';
import { fill, label, matchPath, paramNames, policiesOf, type Policy } from '../support/routes';
import { createWorld, type World, WORLD_TIMEOUT } from '../support/world';

/**
 * Stored and reflected XSS over every form the app renders. For each POST route, a form found while
 * crawling as a role allowed to use it gets a payload in every text field (fields that refuse it fall back
 * to plain values), in three rounds: a script element, an attribute break-out with an event handler, and a
 * javascript: URL (textareas also get Markdown/HTML links). Then every page that can show the record —
 * the redirect target, the route's own pages, every list, the audit log — is read as every role, and must
 * carry the payload only as text. Every 422 page on the way must escape it too.
 */
const SKIP: Record<string, string> = {
  'POST /login': 'public sign-in form, tested in sessions.test.ts',
  'POST /setup': 'only exists before the first user',
  'POST /logout': 'no fields; ends the session',
  'POST /account/password': 'password fields only; ends the session',
};

/** Pages that show what a route stores, where neither the redirect nor the route's own pages do. */
const SHOW_PAGES: Record<string, string[]> = {};

const ACTORS: Role[] = ['quality_officer', 'admin', 'leader', 'staff'];

const payloads = (n: number) => [
  { text: `<script>alert(${n})</script><${PROBE_TAG}>`, long: `<script>alert(${n})</script>\n\n<${PROBE_TAG}>` },
  { text: `"><img src=x onerror=alert(${n})><${PROBE_TAG} a='`, long: `"><img src=x onerror=alert(${n})>\n<a href="javascript:alert(${n})">x</a>` },
  {
    text: `javascript:alert(${n})`,
    long: `javascript:alert(${n})\n\n[bấm vào đây](javascript:alert(${n})) <javascript:alert(${n})>\n\n![x](javascript:alert(${n}))`,
  },
];

let w: World;
let policies: Policy[];
const crawled = {} as Record<Role, Page[]>;
let ctx: FillContext;

beforeAll(async () => {
  w = await createWorld();
  policies = policiesOf(w.app);
  for (const role of WORKERS) crawled[role] = w.crawled(role);
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

function actorFor(p: Policy): Role | undefined {
  return ACTORS.find((r) => allows(p.access, r));
}

/** Forms for the route (one per target record, the actor's own crawl first) that do not target a signed-in actor's account. */
function pickForms(p: Policy, role: Role): FoundForm[] {
  const found = [...(formsByRoute(policies, crawled[role]).get(p) ?? []), ...(formsByRoute(policies, crawled.admin).get(p) ?? [])];
  const actorIds = new Set(WORKERS.map((r) => String(w.byRole[r].id)));
  return found.filter(
    (f, i) =>
      found.findIndex((g) => g.form.action.split('?')[0] === f.form.action.split('?')[0]) === i &&
      (!p.path.startsWith('/admin/users/') || !actorIds.has(matchPath(p.path, f.form.action.split('?')[0])?.id ?? '')),
  );
}

async function freshForm(role: Role, found: FoundForm) {
  const user = await w.as(role);
  const page = await user.get(found.page);
  const forms = parseForms(page.text, found.page).filter((f) => f.method === 'POST' && f.action.split('?')[0] === found.form.action.split('?')[0]);
  return forms.find((f) => f.fields.map((x) => x.name).join() === found.form.fields.map((x) => x.name).join()) ?? forms[0];
}

describe('stored XSS', () => {
  it('shows every payload typed into any form only as text, on every page that shows it, to every role', async () => {
    ctx = fillContext('');
    const problems: string[] = [];
    const accepted: { route: string; marker: string; pages: string[] }[] = [];
    const noForm: string[] = [];
    const displayed = new Set<string>();
    let n = 1000;
    for (const p of policies.filter((x) => x.method === 'POST')) {
      if (SKIP[label(p)]) continue;
      const role = actorFor(p);
      if (!role) continue;
      const targets = pickForms(p, role)
        .filter((f) => f.form.fields.some(isTextual))
        .slice(0, 3);
      if (targets.length === 0) {
        if (!pickForms(p, role).length) noForm.push(label(p));
        continue;
      }
      const user = await w.as(role);
      const actor = w.byRole[role];
      for (const round of [0, 1, 2]) {
        const marker = `alert(${++n})`;
        const payload = payloads(n)[round];
        let form: Awaited<ReturnType<typeof freshForm>> | undefined;
        let outcome: Awaited<ReturnType<typeof submitUntilAccepted>> | undefined;
        // the first target whose record takes this step now (another may be in a state that refuses it)
        for (const found of targets) {
          form = await freshForm(role, found);
          if (!form) continue;
          const forced: Record<string, string> = {};
          for (const f of form.fields) if (isTextual(f)) forced[f.name] = f.type === 'textarea' ? payload.long : payload.text;
          outcome = await submitUntilAccepted(user, plan(form, { ...ctx, password: actor.password }, forced), { fileName: `${payload.text}.pdf` });
          for (const res of outcome.responses) {
            for (const problem of responseMarkupProblems(res)) problems.push(`${label(p)} round ${round} → ${res.status}: ${problem}`);
          }
          if (outcome.accepted) break;
        }
        if (!form || !outcome?.accepted) continue;
        const storedText = Object.values(outcome.body).some((v) => String(v).includes(marker));
        if (!storedText) continue;
        const values = matchPath(p.path, form.action.split('?')[0]) ?? {};
        const pages = new Set<string>([...(SHOW_PAGES[label(p)] ?? []), '/admin/audit-log']);
        const location = outcome.res.headers.location as string | undefined;
        if (location?.startsWith('/')) pages.add(location);
        const prefix = p.path.split('/:')[0];
        for (const g of policies) {
          if (g.method !== 'GET' || !g.path.startsWith(prefix)) continue;
          const names = paramNames(g.path);
          if (names.length > 0 && names.every((name) => values[name] !== undefined)) pages.add(fill(g.path, values));
        }
        accepted.push({ route: label(p), marker, pages: [...pages] });
        // Right away, before a later round overwrites the same field: the record's own pages, as every role.
        for (const viewer of WORKERS) {
          const other = await w.as(viewer);
          for (const url of pages) {
            const res = await other.get(url);
            for (const problem of responseMarkupProblems(res))
              problems.push(`${viewer} GET ${url} after ${label(p)} round ${round} → ${res.status}: ${problem}`);
            if (decodeEntities(res.text ?? '').includes(marker)) displayed.add(label(p));
          }
        }
      }
    }
    // Every list page and every route's sample page, as every role, plus each record's own pages.
    const lists = new Set<string>();
    for (const role of WORKERS) for (const url of samplePerPattern(policies, crawled[role]).values()) lists.add(url);
    for (const role of WORKERS) {
      const user = await w.as(role);
      const urls = new Set<string>([...lists, ...accepted.flatMap((a) => a.pages)]);
      // lists again, deeper: the audit log's first pages show the newest changes
      urls.add('/admin/audit-log');
      for (const url of urls) {
        const res = await user.get(url);
        const text = res.text ?? '';
        for (const problem of responseMarkupProblems(res)) problems.push(`${role} GET ${url} → ${res.status}: ${problem}`);
        const decoded = decodeEntities(text);
        for (const a of accepted) if (decoded.includes(a.marker)) displayed.add(a.route);
      }
    }
    const routes = [...new Set(accepted.map((a) => a.route))];
    console.log(`stored XSS: payloads stored through ${routes.length} routes; no form reached for: ${noForm.join(', ') || 'none'}`);
    expect(problems).toEqual([]);
    expect(routes.length).toBeGreaterThan(5);
    // the crawl must reach the forms of most POST routes, or this test proves little
    expect(noForm.length, `no form reached for ${noForm.join(', ')}`).toBeLessThanOrEqual(Math.floor(0.4 * policies.filter((x) => x.method === 'POST').length));
    expect(
      routes.filter((r) => !displayed.has(r)),
      'routes whose stored payload no page displayed',
    ).toEqual([]);
  }, 300_000);
});

describe('reflected XSS', () => {
  it('escapes payloads sent in query strings, filter forms and path parameters, and never redirects off the site', async () => {
    const problems: string[] = [];
    const probe = `"><img src=x onerror=alert(1)><script>alert(1)</script><${PROBE_TAG}>`;
    for (const role of WORKERS) {
      const user = await w.as(role);
      const urls = new Set<string>();
      for (const page of crawled[role]) {
        for (const form of page.forms.filter((f) => f.method === 'GET')) {
          const params = new URLSearchParams();
          for (const f of form.fields) params.append(f.name, probe);
          urls.add(`${form.action.split('?')[0]}?${params}`);
        }
      }
      for (const p of policies.filter((x) => x.method === 'GET' && allows(x.access, role))) {
        const q = new URLSearchParams({ q: probe, page: probe, next: probe, status: probe, from: probe, to: probe, sort: probe });
        urls.add(`${fill(p.path, {}, probe)}?${q}`);
        urls.add(fill(p.path, {}, 'javascript:alert(1)'));
      }
      for (const p of policies.filter((x) => x.method === 'GET' && allows(x.access, role) && paramNames(x.path).length === 0)) {
        for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example'])
          urls.add(`${p.path}?next=${encodeURIComponent(next)}&back=${encodeURIComponent(next)}&return=${encodeURIComponent(next)}`);
      }
      for (const url of urls) {
        const res = await user.get(url);
        expect(res.status, `${role} GET ${url}`).toBeLessThan(500);
        const location = res.headers.location as string | undefined;
        if (location !== undefined && (!location.startsWith('/') || location.startsWith('//') || location.startsWith('/\\')))
          problems.push(`${role} GET ${url} redirects off the site: ${location}`);
        for (const problem of responseMarkupProblems(res)) problems.push(`${role} GET ${url} → ${res.status}: ${problem}`);
      }
    }
    const anon = (await import('supertest')).default(w.app);
    for (const url of [
      `/login?next=${encodeURIComponent(probe)}`,
      `/login?next=${encodeURIComponent('javascript:alert(1)')}`,
      `/${encodeURIComponent(probe)}`,
    ]) {
      const res = await anon.get(url);
      for (const problem of responseMarkupProblems(res)) problems.push(`anonymous GET ${url}: ${problem}`);
    }
    expect(problems).toEqual([]);
  }, 240_000);
});

/** Imports: text typed into a spreadsheet is user input too. Files per import route, with the pages that show the rows. */
const IMPORTS: { post: string; role: Role; file: (n: number) => string; pages: (n: number) => string[] }[] = [
  {
    post: '/procedures/import',
    role: 'quality_officer',
    file: (n) =>
      `code,title,field,national_code\nXSS-${n},"<script>alert(${n})</script><${PROBE_TAG}>","""><img src=x onerror=alert(${n})>",javascript:alert(${n})\n`,
    pages: (n) => [`/procedures?q=XSS-${n}`, '/procedures?status=all', '/admin/audit-log'],
  },
  {
    post: '/admin/holidays/import',
    role: 'admin',
    file: (n) => `date,kind,name\n2031-01-02,holiday,"<script>alert(${n})</script>""><img src=x onerror=alert(${n})>"\n`,
    pages: () => ['/admin/holidays?year=2031', '/admin/audit-log'],
  },
  {
    post: '/dossiers/import',
    role: 'quality_officer',
    file: (n) =>
      `code,procedure_code,received_at,channel\n"<script>alert(${n})</script>",QT-BTXH-01,2026-11-20,direct\n"HS-${n}""><img src=x onerror=alert(${n})>",QT-BTXH-01,2026-11-20,"<script>alert(${n})</script>"\n`,
    pages: () => ['/dossiers', '/dossiers/procedures/QT-BTXH-01', '/admin/audit-log'],
  },
];

describe('XSS through imports', () => {
  it('shows text from imported files, and the rows an import refuses, only as text', async () => {
    const problems: string[] = [];
    let imported = 0;
    let n = 9000;
    for (const imp of IMPORTS) {
      const p = policies.find((x) => x.method === 'POST' && x.path === imp.post);
      if (!p) continue;
      const user = await w.as(imp.role);
      const marker = ++n;
      const res = await user.agent
        .post(`${imp.post}`)
        .field('_csrf', user.csrf)
        .attach('file', Buffer.from(imp.file(marker)), 'nhap-lieu.csv');
      for (const problem of responseMarkupProblems(res)) problems.push(`${imp.post} → ${res.status}: ${problem}`);
      expect(res.status, `${imp.post} answered ${res.status}`).toBeLessThan(500);
      if (res.status === 303) imported++;
      for (const viewer of WORKERS) {
        const other = await w.as(viewer);
        for (const url of imp.pages(marker)) {
          const page = await other.get(url);
          for (const problem of responseMarkupProblems(page)) problems.push(`${viewer} GET ${url} after ${imp.post} → ${page.status}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(imported, 'imports that accepted a file with markup in its text').toBeGreaterThan(0);
  }, 300_000);
});
