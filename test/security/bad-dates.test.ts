import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS, type Role } from '../../src/core/http/roles';
import { translate } from '../../src/core/i18n';
import type { SignedIn } from '../support/app';
import { crawl, type Page } from '../support/crawl';
import { bodyOf, fillContext, plan, send, type Body } from '../support/forms';
import { decodeEntities, type FormField, type HtmlForm } from '../support/html';
import { fill, label, policiesOf, policyFor, type Policy } from '../support/routes';
import { createWorld, WORLD_TIMEOUT, worldRows, type World } from '../support/world';

/**
 * Every date a person can type (issue 19, point 7): each `<input type="date">` of every form the demo world shows,
 * posted or sent as a filter with impossible, out-of-range, empty and garbage values. The app has one date rule
 * (core/calendar/date-schema.ts: a real YYYY-MM-DD from 1900-01-01 to 2100-12-31); a bad date is never a 5xx, never
 * accepted, writes nothing, and its message stands next to the field (`#e-<field>`), in the user's language.
 * Period filters of the figures pages (dossiers, reports, apology slips, survey results and answers, feedback) keep their own 400 page that names the problem.
 */
const FIRST_DATE = '1900-01-01';
const LAST_DATE = '2100-12-31';
let w: World;
let policies: Policy[];
const pages = {} as Record<Role, Page[]>;

beforeAll(async () => {
  w = await createWorld();
  policies = policiesOf(w.app);
  const ids = async (table: string) => (await worldRows<{ id: number }>(w, `select id from ${table} order by id`)).map((r) => r.id);
  // Every nonconformity and audit page too (the crawl keeps a few per pattern): each state shows its own date forms.
  const recordPages = [
    ...(await ids('nonconformities')).map((id) => `/nonconformities/${id}`),
    ...(await ids('audits')).flatMap((id) =>
      policies.filter((p) => p.method === 'GET' && /^\/audits\/:id(\/[a-z-]+)?$/.test(p.path)).map((p) => fill(p.path, { id })),
    ),
  ];
  recordPages.push(await revisionAwaitingApproval());
  for (const role of WORKERS) {
    const extra = await crawl((await w.as(role)).agent, policies, { start: recordPages, follow: false, perPattern: 1000, maxPages: 2000 });
    pages[role] = [...w.crawled(role), ...extra];
  }
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

/** A revision written by the quality officer and reviewed by the admin: its page shows a leader the approval form. */
async function revisionAwaitingApproval(): Promise<string> {
  const qo = await w.as('quality_officer');
  const admin = await w.as('admin');
  const created = await qo.post('/documents', {
    code: 'QT-NGAY-01',
    title: 'Tài liệu kiểm tra ngày',
    type: 'procedure',
    review_interval_months: '12',
    ack_scope: 'none',
  });
  expect(created.status).toBe(303);
  const draft = await qo.post(`${created.headers.location}/revisions`, { body: 'Nội dung' });
  expect(draft.status).toBe(303);
  const url = String(draft.headers.location);
  const version = async () =>
    String((await worldRows<{ version: number }>(w, 'select version from document_revisions where id = ?', Number(url.split('/').pop())))[0].version);
  expect((await qo.post(`${url}/submit`, { version: await version() })).status).toBe(303);
  expect((await admin.post(`${url}/review`, { version: await version(), review_password: w.byRole.admin.password })).status).toBe(303);
  return url;
}

const vi = (key: string) => translate('vi', key);
const BAD: { value: string; key: string }[] = [
  { value: '0001-01-01', key: 'validation.date_out_of_range' },
  { value: '1899-12-31', key: 'validation.date_out_of_range' },
  { value: '2101-01-01', key: 'validation.date_out_of_range' },
  { value: '9999-12-31', key: 'validation.date_out_of_range' },
  { value: '2026-02-30', key: 'validation.invalid_date' },
  { value: '2026-13-01', key: 'validation.invalid_date' },
  { value: 'garbage', key: 'validation.invalid_date' },
  { value: "2026-01-01' or 1=1 --", key: 'validation.invalid_date' },
  { value: '', key: 'validation.required' },
];

interface DateInput {
  role: Role;
  policy: Policy;
  form: HtmlForm;
  field: FormField;
  label: string;
}

/** Each date field of each form (GET and POST), once per route pattern and field, with a role that sees it. */
function dateInputs(): DateInput[] {
  const out = new Map<string, DateInput>();
  for (const role of WORKERS)
    for (const page of pages[role])
      for (const form of page.forms) {
        const policy = policyFor(policies, form.method, form.action);
        if (!policy) continue;
        for (const field of form.fields) {
          if (field.type !== 'date') continue;
          const key = `${label(policy)} ${field.name}`;
          if (!out.has(key)) out.set(key, { role, policy, form, field, label: key });
        }
      }
  return [...out.values()];
}

/** The message shown next to a field (the `#e-<name>` element), as text. */
function fieldMessage(html: string, name: string): string | undefined {
  const m = new RegExp(`<p class="field-error" id="e-${name}">([^<]*)</p>`).exec(html);
  return m ? decodeEntities(m[1]).trim() : undefined;
}

const auditRows = async () => Number((await worldRows<{ n: number }>(w, 'select count(*) n from audit_log'))[0].n);
/** The figures pages' period filters answer with a page-level message, not a form's field message. */
const PERIOD_PAGES = /^GET \/(dossiers|reports|apologies|surveys\/results|surveys\/responses|feedback)/;

async function submit(user: SignedIn, input: DateInput, value: string) {
  const p = plan(input.form, fillContext(w.byRole[input.role].password));
  const body: Body = bodyOf(p);
  body[input.field.name] = value;
  if (input.form.method === 'POST') return send(user, input.form, body);
  const [path, query = ''] = input.form.action.split('?');
  const params = new URLSearchParams(query);
  for (const [k, v] of Object.entries(body)) for (const item of Array.isArray(v) ? v : [v]) params.set(k, item);
  if (path === '/reports/open')
    params.set('code', (await worldRows<{ code: string }>(w, "select code from procedures where status = 'active' order by id limit 1"))[0].code);
  let res = await user.get(`${path}?${params}`);
  // the report opener sends on to the report, which explains the period
  if (res.status === 303 && String(res.headers.location).startsWith('/reports/')) res = await user.get(String(res.headers.location));
  return res;
}

describe('the one date rule', () => {
  it('is a real YYYY-MM-DD date from 1900-01-01 to 2100-12-31', async () => {
    const { FIRST_DATE: first, LAST_DATE: last, dateProblem, isFormDate } = await import('../../src/core/calendar/date-schema');
    expect([first, last]).toEqual([FIRST_DATE, LAST_DATE]);
    for (const ok of ['1900-01-01', '2024-02-29', '2026-11-26', '2100-12-31']) expect(isFormDate(ok), ok).toBe(true);
    for (const { value, key } of BAD) expect(dateProblem(value), value).toBe(key);
    expect(dateProblem(['2026-01-01'])).toBe('validation.invalid_date');
    expect(dateProblem('2026-1-1')).toBe('validation.invalid_date');
    expect(vi('validation.date_out_of_range')).toBe('Ngày phải nằm trong khoảng từ 01/01/1900 đến 31/12/2100.');
    expect(translate('en', 'validation.date_out_of_range')).toBe('The date must be between 01/01/1900 and 31/12/2100.');
  });
});

describe('every date input of the app', () => {
  it('finds them all on the pages of the demo world', () => {
    const found = dateInputs().map((i) => i.label);
    for (const expected of [
      'POST /nonconformities detected_on',
      'POST /nonconformities/report detected_on',
      'POST /nonconformities/:id detected_on',
      'POST /nonconformities/:id/corrections done_on',
      'POST /nonconformities/:id/schedule verify_due_on',
      'POST /nonconformities/:id/actions due_date',
      'POST /actions/:id due_date',
      'POST /admin/holidays date',
      'POST /admin/holidays/:id date',
      'POST /audits planned_start',
      'POST /audits planned_end',
      'POST /audits/:id actual_start',
      'POST /audits/:id/start actual_start',
      'POST /audits/:id/checklist/:itemId found_on',
      'POST /documents/:id/revisions/:revId/approve effective_from',
      'GET /admin/audit-log from',
      'GET /admin/audit-log to',
      'GET /dossiers from',
      'GET /dossiers/procedures/:code to',
      'GET /reports/summary from',
      'GET /reports/procedures/:code to',
    ])
      expect(found, expected).toContain(expected);
  });

  it(
    'answers each bad date with a 4xx, writes nothing, and says why next to the field (never a 5xx)',
    async () => {
      const problems: string[] = [];
      let cases = 0;
      for (const input of dateInputs()) {
        const user = await w.as(input.role);
        for (const bad of BAD) {
          // an optional date may be left empty
          if (bad.value === '' && !input.field.required) continue;
          const before = await auditRows();
          const res = await submit(user, input, bad.value);
          cases++;
          const what = `${input.role} ${input.label} = ${JSON.stringify(bad.value)} → ${res.status}`;
          if (res.status >= 500) problems.push(`${what}: server error`);
          else if (res.status < 400) problems.push(`${what}: accepted`);
          if ((await auditRows()) !== before) problems.push(`${what}: wrote to the audit log`);
          if (PERIOD_PAGES.test(input.label)) {
            if (res.status !== 400 || !/class="alert alert-error" role="alert"/.test(res.text)) problems.push(`${what}: no period message`);
            continue;
          }
          const expected = input.form.method === 'POST' ? 422 : 400;
          if (res.status !== expected) problems.push(`${what}: expected ${expected}`);
          const message = fieldMessage(res.text, input.field.name);
          if (message !== vi(bad.key)) problems.push(`${what}: next to the field ${JSON.stringify(message)}, expected ${JSON.stringify(vi(bad.key))}`);
        }
      }
      console.log(`bad dates: ${cases} cases over ${dateInputs().length} date inputs`);
      expect(problems).toEqual([]);
      expect(cases).toBeGreaterThan(150);
    },
    WORLD_TIMEOUT,
  );

  it('the audit-log filter: to=9999-12-31 is a 400 with the message at the field, in both languages', async () => {
    const admin = await w.as('admin');
    const res = await admin.get('/admin/audit-log?to=9999-12-31');
    expect(res.status).toBe(400);
    expect(fieldMessage(res.text, 'to')).toBe('Ngày phải nằm trong khoảng từ 01/01/1900 đến 31/12/2100.');
    expect(res.text).toMatch(/id="to" name="to" type="date" value="9999-12-31" aria-invalid="true"/);
    const en = await admin.get('/admin/audit-log?from=0001-01-01&to=2026-02-30&lang=en');
    expect(en.status).toBe(400);
    expect(fieldMessage(en.text, 'from')).toBe('The date must be between 01/01/1900 and 31/12/2100.');
    expect(fieldMessage(en.text, 'to')).toBe('Not a valid date (day/month/year).');
    await admin.get('/admin/audit-log?lang=vi');
    const inverted = await admin.get('/admin/audit-log?from=2026-11-26&to=2026-01-01');
    expect(inverted.status).toBe(400);
    expect(fieldMessage(inverted.text, 'to')).toBe(vi('validation.date_order'));
    const ok = await admin.get(`/admin/audit-log?from=${FIRST_DATE}&to=${LAST_DATE}`);
    expect(ok.status).toBe(200);
    expect(fieldMessage(ok.text, 'to')).toBe('');
  });

  it('a year asked in a query string (holidays, audit programmes, reports) is never a 5xx', async () => {
    const admin = await w.as('admin');
    for (const url of [
      '/admin/holidays?year=9999',
      '/admin/holidays?year=0001',
      '/admin/holidays?year=1899',
      '/audits?year=9999',
      '/audits/programmes/9999',
      '/audits/programmes/0001',
      '/reports/annual/9999',
    ]) {
      const res = await admin.get(url);
      expect(res.status, url).toBeLessThan(500);
    }
  });

  it('the report files (JSON, CSV) refuse an out-of-range period with a 400 that says so', async () => {
    const leader = await w.as('leader');
    const code = (await worldRows<{ code: string }>(w, "select code from procedures where status = 'active' order by id limit 1"))[0].code;
    const json = await leader.get(`/reports/procedures/${encodeURIComponent(code)}.json?from=0001-01-01&to=2026-11-26`);
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ error: 'validation.date_out_of_range', message: vi('validation.date_out_of_range') });
    const csv = await leader.get(`/reports/procedures/${encodeURIComponent(code)}.csv?from=2026-01-01&to=9999-12-31`);
    expect(csv.status).toBe(400);
    expect(csv.text).toContain(vi('validation.date_out_of_range'));
  });
});
