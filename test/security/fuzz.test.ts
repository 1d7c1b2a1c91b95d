import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { WORKERS, allows, type Role } from '../../src/core/http/roles';
import { formsByRoute, realParams, type Page } from '../support/crawl';
import { databaseHealth } from '../support/db-checks';
import { candidates, encode, fillContext, PDF_BYTES, type Body } from '../support/forms';
import { parseForms, type HtmlForm } from '../support/html';
import { fill, label, matchPath, paramNames, policiesOf, type Policy } from '../support/routes';
import { createWorld, type World, WORLD_TIMEOUT } from '../support/world';

/**
 * Property-based fuzzing of every POST route as every role allowed to use it, with a valid CSRF token:
 * bodies mix the form's own fields (with plausible and hostile values) and hostile keys — huge strings,
 * full Unicode, arrays (repeated keys), nested-looking keys, null bytes, numbers as strings, impossible dates,
 * negative and enormous ids, SQL and markup — plus raw malformed bodies and multipart uploads with junk.
 * The property: never a 5xx. Afterwards the database passes integrity_check and foreign_key_check and the
 * audit-log chain verifies. FUZZ_RUNS is the total number of cases, spread evenly over the route × role pairs (at
 * least 3 each): `npm test` asks for 750 (5 per pair, every route and role reached); FUZZ_RUNS=20000 for a long run.
 */
const TOTAL = loadConfig().fuzzRuns ?? 750;

let w: World;
let policies: Policy[];
const crawled = {} as Record<Role, Page[]>;
let stats = { cases: 0, byStatus: {} as Record<number, number>, routes: 0 };

beforeAll(async () => {
  w = await createWorld();
  policies = policiesOf(w.app);
  for (const role of WORKERS) crawled[role] = w.crawled(role);
  // The public survey page (issue 24) is reached from a QR code, not a link: its form is fuzzed as every role sees it,
  // for the model office's first active procedure.
  const { code } = await w.ctx.db
    .selectFrom('procedures')
    .select('code')
    .where('organisation_id', '=', 1)
    .where('status', '=', 'active')
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const PUBLIC_SURVEY = `/s/DV1/${encodeURIComponent(code)}`;
  for (const role of WORKERS) {
    const res = await (await w.as(role)).get(PUBLIC_SURVEY);
    const policy = policies.find((p) => p.method === 'GET' && p.path === '/s/:org/:procedure');
    crawled[role].push({
      url: PUBLIC_SURVEY,
      status: res.status,
      contentType: 'text/html',
      text: res.text,
      headers: res.headers,
      policy,
      forms: parseForms(res.text, PUBLIC_SURVEY),
    });
  }
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

const NOT_FUZZED: Record<string, string> = {
  'POST /logout': 'ends the session the fuzzer uses',
  'POST /login': 'public; refuses before any session exists (sessions.test.ts)',
  'POST /setup': 'only exists before the first user',
};

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u202e\u202d',
    '🙂🇻🇳',
    'Nguyễn Thị Hồng Nhung',
    "' or 1=1 --",
    "'; drop table users; --",
    '"><script>alert(1)</script>',
    '../../../etc/passwd',
    '%00',
    '%E0%A4%A',
    '{{constructor}}',
    '__proto__',
    '1',
    '-1',
    '0',
    '1.5',
    '1e309',
    'NaN',
    'Infinity',
    '0x10',
    '１２',
    '99999999999999999999999',
    '-9007199254740993',
    '2026-02-30',
    '2026-13-01',
    '0000-00-00',
    '9999-12-31',
    '2026-2-3',
    '26/11/2026',
    '2026-11-26T25:00',
    'true',
    'on',
    'null',
    'undefined',
    '//evil.example/x',
    'https://evil.example',
    '/\\evil.example',
    '[]',
    '{}',
  ),
  fc.integer({ min: 1000, max: 60_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 100, max: 5000 }).map((n) => 'Đ'.repeat(n)),
);

const hostileKey = fc.oneof(
  fc.constantFrom(
    'a[b]',
    'a[]',
    'a[0]',
    '__proto__',
    'constructor',
    'prototype',
    'role',
    'status',
    'id',
    'version',
    'created_by',
    'user_id',
    '',
    ' ',
    'a.b',
    'x'.repeat(300),
    'tên',
    '\u0000',
  ),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
);

function fieldValue(form: HtmlForm | undefined, name: string): fc.Arbitrary<string | string[]> {
  const field = form?.fields.find((f) => f.name === name);
  const plausible = field ? candidates(field, fillContext(w.byRole.admin.password)).filter((v): v is string => v !== undefined) : [];
  const single = plausible.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...plausible) }, { weight: 2, arbitrary: hostileText }) : hostileText;
  return fc.oneof({ weight: 5, arbitrary: single }, { weight: 1, arbitrary: fc.array(single, { minLength: 2, maxLength: 4 }) });
}

function bodyArbitrary(form: HtmlForm | undefined): fc.Arbitrary<Body> {
  const names = (form?.fields ?? []).map((f) => f.name).filter((n) => n !== '_csrf');
  const own = names.length
    ? fc
        .subarray([...new Set(names)])
        .chain((keys) =>
          keys.length
            ? fc.tuple(...keys.map((k) => fieldValue(form, k))).map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]])))
            : fc.constant({}),
        )
    : fc.constant({});
  const extra = fc.dictionary(hostileKey, fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 })), { maxKeys: 3 });
  return fc.tuple(own, fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extra })).map(([a, b]) => {
    const out: Body = {};
    for (const [k, v] of Object.entries({ ...a, ...b })) if (k !== '_csrf') out[k] = v as string | string[];
    return out;
  });
}

/** A Location that stays on this site: a path, not `//host`, `/\\host` or a scheme. */
const isLocal = (location: string) => location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\');

const HOSTILE_IDS = ['0', '-1', '99999999999999999999', 'abc', '1e3', '%00', '..%2f..%2fetc', '1.5', '%20', '007', '9007199254740993'];

function urlArbitrary(p: Policy, forms: { form: HtmlForm }[], pages: Page[]): fc.Arbitrary<{ url: string; form: HtmlForm | undefined }> {
  const actorIds = new Set(WORKERS.map((r) => String(w.byRole[r].id)));
  const urls = new Set([...forms.map((f) => f.form.action.split('?')[0]), ...realParams(p, pages).map((v) => fill(p.path, v))]);
  const safe = [...urls].filter((url) => !p.path.startsWith('/admin/users/') || !actorIds.has(matchPath(p.path, url)?.id ?? ''));
  const real = safe.map((url) => ({ url, form: forms[0]?.form }));
  if (paramNames(p.path).length === 0) return fc.constant({ url: p.path, form: forms[0]?.form });
  const hostile = fc.constantFrom(...HOSTILE_IDS).map((id) => ({ url: fill(p.path, {}, '__ID__').replaceAll('__ID__', id), form: forms[0]?.form }));
  return real.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: hostile }) : hostile;
}

describe('fuzzing every POST route', () => {
  it(
    `never answers 5xx to random and hostile bodies (${TOTAL} cases), and leaves the database sound`,
    async () => {
      const targets: { p: Policy; role: Role }[] = [];
      for (const p of policies.filter((x) => x.method === 'POST' && !NOT_FUZZED[label(x)]))
        for (const role of WORKERS) if (allows(p.access, role)) targets.push({ p, role });
      stats = { cases: 0, byStatus: {}, routes: new Set(targets.map((t) => t.p)).size };
      const runs = Math.max(3, Math.ceil(TOTAL / targets.length));
      for (const { p, role } of targets) {
        const user = await w.as(role);
        const forms = formsByRoute(policies, crawled[role]).get(p) ?? formsByRoute(policies, crawled.admin).get(p) ?? [];
        const pages = [...crawled[role], ...crawled.admin];
        const multipart = forms[0]?.form.enctype === 'multipart/form-data';
        const kind = fc.oneof(
          {
            weight: 8,
            arbitrary: fc
              .record({ kind: fc.constant('form' as const), target: urlArbitrary(p, forms, pages) })
              .chain(({ kind, target }) => bodyArbitrary(target.form).map((body) => ({ kind, url: target.url, body, raw: '' }))),
          },
          {
            weight: 1,
            arbitrary: fc.record({
              kind: fc.constant('raw' as const),
              url: urlArbitrary(p, forms, pages).map((t) => t.url),
              body: fc.constant({}),
              raw: fc.string({ unit: 'binary-ascii', maxLength: 200 }),
            }),
          },
          {
            weight: multipart ? 3 : 1,
            arbitrary: fc.record({
              kind: fc.constant('multipart' as const),
              url: urlArbitrary(p, forms, pages).map((t) => t.url),
              body: bodyArbitrary(forms[0]?.form),
              raw: fc.oneof(fc.constantFrom('../../x.pdf', 'a"b.pdf', 'bad\r\nname.pdf', '', '.pdf', 'tệp.pdf'), fc.string({ maxLength: 30 })),
            }),
          },
        );
        await fc.assert(
          fc.asyncProperty(kind, fc.boolean(), async (c, pdf) => {
            let res;
            if (c.kind === 'form') res = await user.agent.post(c.url).type('form').send(encode(c.body, user.csrf));
            else if (c.kind === 'raw')
              res = await user.agent
                .post(c.url)
                .type('form')
                .send(`${c.raw}&_csrf=${encodeURIComponent(user.csrf)}`);
            else {
              let req = user.agent.post(`${c.url}`).field('_csrf', user.csrf);
              for (const [k, v] of Object.entries(c.body)) for (const item of Array.isArray(v) ? v : [v]) if (k) req = req.field(k, item.slice(0, 50_000));
              const fileField = forms[0]?.form.fields.find((f) => f.type === 'file')?.name ?? 'file';
              res = await req.attach(fileField, pdf ? PDF_BYTES : Buffer.from(c.raw || 'junk'), c.raw || 'x.bin');
            }
            stats.cases++;
            stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
            if (res.status >= 500) throw new Error(`${role} POST ${c.url} → ${res.status}\n${(res.text ?? '').slice(0, 300)}`);
            const location = res.headers.location as string | undefined;
            if (location !== undefined && !isLocal(location)) throw new Error(`${role} POST ${c.url} redirected off the site: ${location}`);
          }),
          { numRuns: runs, endOnFailure: true },
        );
      }
      const h = await databaseHealth(w.ctx.db);
      expect(h.integrity).toBe('ok');
      expect(h.foreignKeyProblems).toEqual([]);
      expect(h.auditLog.ok).toBe(true);
      console.log(
        `fuzz: ${stats.cases} cases over ${stats.routes} POST routes (${targets.length} route × role pairs), statuses ${JSON.stringify(stats.byStatus)}`,
      );
      expect(stats.cases).toBeGreaterThanOrEqual(Math.min(TOTAL, targets.length * 3));
    },
    // A safety net only: a case takes about 10 ms, at most a few times that on a busy machine.
    300_000 + TOTAL * 200,
  );
});
