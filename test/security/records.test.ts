import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows } from '../../src/core/http/roles';
import { formsByRoute, type Page } from '../support/crawl';
import { ChangeWatch } from '../support/db-checks';
import { bodyOf, fillContext, plan, send, type Body } from '../support/forms';
import type { HtmlForm } from '../support/html';
import { fill, label, paramNames, policiesOf, type Policy } from '../support/routes';
import { createWorld, worldRows, type World, type WorldUser, WORLD_TIMEOUT } from '../support/world';

/**
 * Records by id across roles. Every route with an id that staff may use (per the policy table) must have
 * an expectation here, written as SQL over the database: which parameter sets exist (`all`) and which of
 * them a given staff member (:u) may open or act on (`allowed`), straight from the rules of the issues:
 * staff read only effective revisions of active documents; they see the nonconformities they reported,
 * are responsible for, or own an action of; they work (correction, analysis, actions) only those they are
 * responsible for; an action is seen by its owner and whoever sees its NC, and worked by its owner or the
 * NC's responsible person. Every staff user then probes every parameter set — and mismatched
 * parent/child ids, and ids past the end — and must get 403/404 wherever not allowed, with nothing written.
 */
interface Rule {
  all: string;
  /** Parameter sets staff user :u may use; absent = open to everyone signed in (then `open` says why). */
  allowed?: string;
  open?: string;
  /** GET views that an allowed staff user must be able to open (200), not just "not refused". */
  mustSee?: boolean;
}

const DOC_VISIBLE = `select d.id as id from documents d where d.status = 'active' and exists (select 1 from document_revisions r where r.document_id = d.id and r.status = 'effective')`;
const REV_ALL = 'select document_id as id, id as "revId" from document_revisions';
const REV_VISIBLE = `select r.document_id as id, r.id as "revId" from document_revisions r join documents d on d.id = r.document_id where d.status = 'active' and r.status = 'effective'`;
const NC_VISIBLE = `select n.id as id from nonconformities n where n.reported_by = :u or n.responsible_user_id = :u or exists (select 1 from nc_actions a where a.nonconformity_id = n.id and a.owner_id = :u)`;
const NC_WORK = 'select id from nonconformities where responsible_user_id = :u';
// A risk (clause 6.1) is seen by its owner and the owners of its actions, and worked (reviewed, acted on) by its owner.
const RISK_OWNED = 'select id from risks where owner_id = :u';
const RISK_VISIBLE = `select r.id as id from risks r where r.owner_id = :u or exists (select 1 from nc_actions a where a.risk_id = r.id and a.owner_id = :u)`;
// An action belongs to a nonconformity, to a risk or to a management review's decision: seen and worked through its
// source. A review's decision (clause 9.3.3) gives staff nothing but the actions they own: seen and worked by their
// owner (the review itself is read by the managers and the inspector), planned by the managers only.
const ACTION_VISIBLE = `select a.id as id from nc_actions a where a.owner_id = :u or a.nonconformity_id in (${NC_VISIBLE}) or a.risk_id in (${RISK_OWNED})`;
const ACTION_ACT = `select a.id as id from nc_actions a left join nonconformities n on n.id = a.nonconformity_id left join risks r on r.id = a.risk_id
  where a.owner_id = :u or (a.review_decision_id is null and (n.responsible_user_id = :u or r.owner_id = :u))`;
const ACTION_PLAN = `select a.id as id from nc_actions a left join nonconformities n on n.id = a.nonconformity_id left join risks r on r.id = a.risk_id
  where a.review_decision_id is null and (n.responsible_user_id = :u or r.owner_id = :u)`;

const SURVEY_PAGES = `select o.code as org, p.code as "procedure" from procedures p join organisation o on o.id = p.organisation_id where p.status = 'active' and o.status = 'active' and o.kind <> 'template' and o.name <> ''`;

export const RULES: Record<string, Rule> = {
  // The public survey page (issue 24): every citizen answers for any active procedure of an organisation, signed in or not.
  'GET /s/:org/:procedure': { all: SURVEY_PAGES, open: 'the satisfaction survey is public: anyone answers it from the QR code' },
  'POST /s/:org/:procedure': { all: SURVEY_PAGES, open: 'the satisfaction survey is public: anyone answers it from the QR code' },
  'GET /s/:org/:procedure/thanks': { all: SURVEY_PAGES, open: 'the satisfaction survey is public: anyone answers it from the QR code' },
  'GET /procedures/:id': { all: 'select id from procedures', open: 'the procedure register is open to every signed-in user' },
  'GET /declarations/:id': {
    all: 'select id from qms_declarations',
    open: 'the declarations of conformity are public decisions, open to every signed-in user',
  },
  'GET /declarations/:id/print': {
    all: 'select id from qms_declarations',
    open: 'the declarations of conformity are public decisions, open to every signed-in user',
  },
  'GET /declarations/:id/file': {
    all: 'select id from qms_declarations where file_sha256 is not null',
    open: 'the declarations of conformity are public decisions, open to every signed-in user',
  },
  'GET /objectives/:id': {
    all: 'select id from quality_objectives',
    open: 'the quality objectives are communicated to everyone (ISO 9001:2015 clause 6.2.2), open to every signed-in user',
  },
  'GET /objectives/:id/readings/:readingId/file': {
    all: 'select objective_id as id, id as "readingId" from objective_readings where file_sha256 is not null',
    open: 'the evidence of an objective’s results is read with the objective, open to every signed-in user',
  },
  'GET /risks/:id': { all: 'select id from risks', allowed: RISK_VISIBLE, mustSee: true },
  'POST /risks/:id/reviews': { all: 'select id from risks', allowed: RISK_OWNED },
  'GET /risks/:id/actions/new': { all: 'select id from risks', allowed: RISK_OWNED },
  'POST /risks/:id/actions': { all: 'select id from risks', allowed: RISK_OWNED },
  // a management review (clause 9.3) is read by the readers (managers, inspector) and prepared by the managers: no
  // staff member opens one; the actions of its decisions are reached through the actions' own routes (ACTION_*)
  'GET /reviews/:id': { all: 'select id from management_reviews', allowed: 'select id from management_reviews where 1 = 0' },
  'GET /reviews/:id/print': { all: 'select id from management_reviews', allowed: 'select id from management_reviews where 1 = 0' },
  // feedback (issue 24): a staff member sees what they recorded or are assigned, and answers what they are assigned
  'GET /feedback/:id': { all: 'select id from feedback', allowed: 'select id from feedback where created_by = :u or assignee_id = :u', mustSee: true },
  'POST /feedback/:id/answer': { all: 'select id from feedback', allowed: 'select id from feedback where assignee_id = :u' },
  // competence (issue 27): a staff member reads their own training records and certificates, nobody else's
  'GET /competence/people/:userId': { all: 'select id as "userId" from users', allowed: 'select id as "userId" from users where id = :u', mustSee: true },
  'GET /competence/training/:id/certificate': {
    all: 'select id from training_records where certificate_sha256 is not null',
    allowed: 'select id from training_records where certificate_sha256 is not null and user_id = :u',
  },
  'GET /documents/:id': { all: 'select id from documents', allowed: DOC_VISIBLE, mustSee: true },
  'GET /documents/:id/revisions/:revId': { all: REV_ALL, allowed: REV_VISIBLE, mustSee: true },
  'GET /documents/:id/revisions/:revId/source': {
    all: `${REV_ALL} where source_sha256 is not null`,
    allowed: `${REV_VISIBLE} and r.source_sha256 is not null`,
    mustSee: true,
  },
  'GET /documents/:id/revisions/:revId/file': {
    all: `${REV_ALL} where file_sha256 is not null`,
    allowed: `${REV_VISIBLE} and r.file_sha256 is not null`,
    mustSee: true,
  },
  'POST /documents/:id/revisions/:revId/acknowledge': { all: REV_ALL, allowed: REV_VISIBLE },
  'GET /nonconformities/:id': { all: 'select id from nonconformities', allowed: NC_VISIBLE, mustSee: true },
  'GET /nonconformities/:id/print': { all: 'select id from nonconformities', allowed: NC_VISIBLE, mustSee: true },
  'GET /nonconformities/:id/print.docx': { all: 'select id from nonconformities', allowed: NC_VISIBLE, mustSee: true },
  'GET /nonconformities/:id/correction': { all: 'select id from nonconformities', allowed: NC_WORK },
  'POST /nonconformities/:id/corrections': { all: 'select id from nonconformities', allowed: NC_WORK },
  'GET /nonconformities/:id/analysis': { all: 'select id from nonconformities', allowed: NC_WORK },
  'POST /nonconformities/:id/analysis': { all: 'select id from nonconformities', allowed: NC_WORK },
  'POST /nonconformities/:id/plan': { all: 'select id from nonconformities', allowed: NC_WORK },
  'POST /nonconformities/:id/start': { all: 'select id from nonconformities', allowed: NC_WORK },
  'GET /nonconformities/:id/actions/new': { all: 'select id from nonconformities', allowed: NC_WORK },
  'POST /nonconformities/:id/actions': { all: 'select id from nonconformities', allowed: NC_WORK },
  'GET /actions/:id': { all: 'select id from nc_actions', allowed: ACTION_VISIBLE, mustSee: true },
  'GET /actions/:id/files/:fileId': {
    all: 'select action_id as id, id as "fileId" from nc_action_files',
    allowed: `select f.action_id as id, f.id as "fileId" from nc_action_files f where f.action_id in (${ACTION_VISIBLE})`,
    mustSee: true,
  },
  'POST /actions/:id/files': { all: 'select id from nc_actions', allowed: ACTION_ACT },
  'POST /actions/:id/start': { all: 'select id from nc_actions', allowed: ACTION_ACT },
  'POST /actions/:id/notes': { all: 'select id from nc_actions', allowed: ACTION_ACT },
  'POST /actions/:id/complete': { all: 'select id from nc_actions', allowed: ACTION_ACT },
  'GET /actions/:id/edit': { all: 'select id from nc_actions', allowed: ACTION_PLAN },
  'POST /actions/:id': { all: 'select id from nc_actions', allowed: ACTION_PLAN },
  // The inbox (issue 26): a person marks read only their own notifications; another's id is not found.
  'POST /inbox/:id/read': { all: 'select id from notifications', allowed: 'select id from notifications where user_id = :u' },
};

let w: World;
let policies: Policy[];
let staff: WorldUser[];
let managerPages: Page[];

beforeAll(async () => {
  w = await createWorld();
  policies = policiesOf(w.app);
  staff = w.users.filter((u) => u.role === 'staff');
  managerPages = [...w.crawled('quality_officer'), ...w.crawled('admin')];
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

const key = (names: string[], values: Record<string, unknown>) => names.map((n) => String(values[n])).join('/');

async function paramSets(rule: Rule, names: string[], u?: number): Promise<Record<string, unknown>[]> {
  const sqlText = u === undefined ? rule.all : rule.allowed!;
  return (await worldRows(w, sqlText.replaceAll(':u', '?'), ...Array.from({ length: (sqlText.match(/:u\b/g) ?? []).length }, () => u))).map((r) =>
    Object.fromEntries(names.map((n) => [n, r[n]])),
  );
}

/** Existing sets, plus mismatched parent/child combinations and ids past the end (which exist for nobody). */
async function probes(rule: Rule, names: string[]): Promise<{ values: Record<string, unknown>; exists: boolean }[]> {
  const all = await paramSets(rule, names);
  const existing = new Set(all.map((v) => key(names, v)));
  const out = all.map((values) => ({ values, exists: true }));
  if (names.length > 1 && all.length > 1) {
    for (let i = 0; i < Math.min(all.length, 20); i++) {
      const mixed = { ...all[i], [names[names.length - 1]]: all[(i + 1) % all.length][names[names.length - 1]] };
      if (!existing.has(key(names, mixed))) out.push({ values: mixed, exists: false });
    }
  }
  const past = Object.fromEntries(names.map((n) => [n, 1 + Math.max(0, ...all.map((v) => Number(v[n]) || 0))]));
  out.push({ values: past, exists: false });
  return out;
}

/** A body for a POST route: the form a manager sees for some record of that route, else just the CSRF token. */
function bodyFor(p: Policy): { form: HtmlForm | undefined; body: Body } {
  const found = formsByRoute(policies, managerPages).get(p)?.[0];
  if (!found) return { form: undefined, body: {} };
  return { form: found.form, body: bodyOf(plan(found.form, fillContext('x'))) };
}

describe('records by id across roles', () => {
  const staffRoutes = () => policies.filter((p) => paramNames(p.path).length > 0 && allows(p.access, 'staff'));

  it('has an expectation for every route with an id that staff may use', () => {
    const missing = staffRoutes()
      .map(label)
      .filter((l) => !RULES[l]);
    expect(missing, 'add these routes to RULES in test/security/records.test.ts').toEqual([]);
    for (const [l, rule] of Object.entries(RULES)) expect(rule.allowed !== undefined || rule.open !== undefined, `${l} says who may use it`).toBe(true);
  });

  it('lets staff open only the records they may see, for every such GET route, and nobody reaches a child through the wrong parent', async () => {
    const problems: string[] = [];
    const coverage: Record<string, { forbidden: number; allowed: number }> = {};
    for (const p of staffRoutes().filter((x) => x.method === 'GET')) {
      const rule = RULES[label(p)];
      if (!rule) continue;
      const names = paramNames(p.path);
      const admin = await w.as('admin');
      for (const { values, exists } of await probes(rule, names)) {
        const url = fill(p.path, values as Record<string, string>);
        if (!exists) {
          const res = await admin.get(url);
          if (res.status !== 404) problems.push(`admin GET ${url} (no such record) → ${res.status}`);
        }
      }
      for (const u of staff) {
        const user = await w.as(u.username);
        const allowed = rule.allowed ? new Set((await paramSets(rule, names, u.id)).map((v) => key(names, v))) : undefined;
        for (const { values, exists } of await probes(rule, names)) {
          const url = fill(p.path, values as Record<string, string>);
          const res = await user.get(url);
          const may = exists && (allowed === undefined || allowed.has(key(names, values)));
          const c = (coverage[label(p)] ??= { forbidden: 0, allowed: 0 });
          if (may) c.allowed++;
          else c.forbidden++;
          if (!may && ![403, 404].includes(res.status)) problems.push(`${u.username} GET ${url} → ${res.status}, expected 403/404`);
          if (may && (res.status === 403 || res.status >= 500 || (rule.mustSee && res.status !== 200)))
            problems.push(`${u.username} GET ${url} → ${res.status}, expected to see it`);
          if (!may && res.status === 200) problems.push(`${u.username} read ${url}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // the world must actually contain records staff may not see, or this test proves nothing
    for (const route of ['GET /documents/:id/revisions/:revId', 'GET /nonconformities/:id']) {
      if (!policies.some((p) => label(p) === route)) continue;
      expect(coverage[route]?.forbidden ?? 0, `${route}: records hidden from staff in the test world`).toBeGreaterThan(0);
      expect(coverage[route]?.allowed ?? 0, `${route}: records staff may see in the test world`).toBeGreaterThan(0);
    }
  }, 300_000);

  it('refuses staff every change to a record they may not act on, and writes nothing', async () => {
    const problems: string[] = [];
    const watch = await ChangeWatch.start(w.ctx);
    let tried = 0;
    for (const p of staffRoutes().filter((x) => x.method === 'POST')) {
      const rule = RULES[label(p)];
      if (!rule?.allowed) continue;
      const names = paramNames(p.path);
      const { form, body } = bodyFor(p);
      for (const u of staff) {
        const user = await w.as(u.username);
        const allowed = new Set((await paramSets(rule, names, u.id)).map((v) => key(names, v)));
        for (const { values } of await probes(rule, names)) {
          if (allowed.has(key(names, values))) continue;
          const url = fill(p.path, values as Record<string, string>);
          await watch.changed();
          const res = form ? await send(user, { ...form, action: url }, body) : await user.post(url, {});
          tried++;
          const changed = await watch.changed();
          if (![403, 404].includes(res.status)) problems.push(`${u.username} POST ${url} → ${res.status}, expected 403/404`);
          if (changed.length) problems.push(`${u.username} POST ${url} changed ${changed.join(', ')}`);
        }
      }
    }
    watch.stop();
    expect(problems).toEqual([]);
    expect(tried).toBeGreaterThan(0);
  }, 300_000);
});
