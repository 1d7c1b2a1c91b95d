import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKERS, allows, type Role } from '../../src/core/http/roles';
import { formsByRoute, type FoundForm, type Page } from '../support/crawl';
import { changedTables, ChangeWatch, databaseChecksums } from '../support/db-checks';
import { advance, bodyOf, fillContext, plan, send, PDF_BYTES } from '../support/forms';
import { fieldsWithErrors, parseForms } from '../support/html';
import { label, matchPath, policiesOf, type Policy } from '../support/routes';
import { createWorld, type World, WORLD_TIMEOUT } from '../support/world';

/**
 * Mass assignment: every form the app renders, submitted with a field it does not have (role, status, id,
 * version, created_by, …), is refused with 422 and changes nothing (checksum of every table but sessions and
 * sign-in attempts). Then the same body without the extra field is accepted — so the 422 came from the extra
 * field and not from something else wrong with the body.
 */
const EXTRA: Record<string, string> = {
  role: 'admin',
  status: 'closed',
  id: '1',
  version: '99',
  created_by: '1',
  created_at: '2020-01-01T00:00:00Z',
  user_id: '1',
  active: '1',
  password_hash: 'x',
  unit_id: '1',
  is_admin: '1',
};

const SKIP: Record<string, string> = {
  'POST /login': 'public; its fields are fixed and tested in sessions.test.ts',
  'POST /setup': 'only exists before the first user',
  'POST /logout': 'ends the session',
  'POST /account/password': 'ends the session (tested below with a wrong current password)',
};

const ACTORS: Role[] = ['quality_officer', 'admin', 'leader', 'staff'];

let w: World;
let policies: Policy[];
const crawled = {} as Record<Role, Page[]>;

beforeAll(async () => {
  w = await createWorld();
  policies = policiesOf(w.app);
  for (const role of WORKERS) crawled[role] = w.crawled(role);
}, WORLD_TIMEOUT);
afterAll(async () => w?.close());

/** Forms for the route (one per target record) that do not target one of the signed-in actors' own accounts. */
function pickForms(p: Policy, role: Role): FoundForm[] {
  const actorIds = new Set(WORKERS.map((r) => String(w.byRole[r].id)));
  const found = [...(formsByRoute(policies, crawled[role]).get(p) ?? []), ...(formsByRoute(policies, crawled.admin).get(p) ?? [])];
  return found.filter(
    (f, i) =>
      found.findIndex((g) => g.form.action.split('?')[0] === f.form.action.split('?')[0]) === i &&
      (!p.path.startsWith('/admin/users/') || !actorIds.has(matchPath(p.path, f.form.action.split('?')[0])?.id ?? '')),
  );
}

describe('mass assignment', () => {
  it('refuses an unexpected field in every form with 422 and writes nothing; the same body without it is accepted', async () => {
    const failures = new Set<string>();
    const watch = await ChangeWatch.start(w.ctx);
    const proven: string[] = [];
    const unproven: string[] = [];
    const noForm: string[] = [];
    for (const p of policies.filter((x) => x.method === 'POST')) {
      if (SKIP[label(p)]) continue;
      const role = ACTORS.find((r) => allows(p.access, r));
      if (!role) continue;
      const targets = pickForms(p, role).slice(0, 3);
      if (targets.length === 0) {
        noForm.push(label(p));
        continue;
      }
      const user = await w.as(role);
      let outcome = 'no valid body found';
      for (const found of targets) {
        const page = await user.get(found.page);
        const form =
          parseForms(page.text, found.page).find((f) => f.method === 'POST' && f.action.split('?')[0] === found.form.action.split('?')[0]) ?? found.form;
        const pl = plan(form, fillContext(w.byRole[role].password));
        const own = new Set(form.fields.map((f) => f.name));
        const extras = Object.entries(EXTRA).filter(([k]) => !own.has(k));
        const file = form.fields.find((f) => f.type === 'file');
        const attach = file ? { field: file.name, name: 'bang-chung.pdf', bytes: PDF_BYTES } : undefined;
        let settled = false;
        for (let round = 0; round < 10 && !settled; round++) {
          const body = bodyOf(pl);
          const answers: [string, number][] = [];
          for (const [key, value] of extras) {
            await watch.changed();
            const res = await send(user, form, { ...body, [key]: value }, attach);
            const changed = await watch.changed();
            answers.push([key, res.status]);
            if (res.status < 400) failures.add(`${label(p)} as ${role}: extra field ${key}=${value} accepted (${res.status})`);
            if (changed.length) failures.add(`${label(p)} as ${role}: extra field ${key} changed ${changed.join(', ')}`);
          }
          const clean = await send(user, form, body, attach);
          if (clean.status === 422) {
            if (!advance(pl, fieldsWithErrors(clean.text))) settled = true;
            continue;
          }
          settled = true;
          if (clean.status < 400) {
            // the body is good: each refusal above was for the extra field, and must be a 422 naming it
            for (const [key, status] of answers)
              if (status !== 422 && status >= 400) failures.add(`${label(p)} as ${role}: extra field ${key} → ${status} (expected 422)`);
            outcome = 'proven';
          } else outcome = `the record refuses this step now (${clean.status})`;
        }
        if (outcome === 'proven') break;
      }
      if (outcome === 'proven') proven.push(label(p));
      else unproven.push(`${label(p)}: ${outcome}`);
    }
    watch.stop();
    console.log(
      `mass assignment: ${proven.length} routes proven; not proven (state or data): ${unproven.join('; ') || 'none'}; no form reached: ${noForm.join(', ') || 'none'}`,
    );
    expect([...failures]).toEqual([]);
    // most forms must be exercised end to end, or this test proves little
    expect(proven.length, `proven ${proven.length}, unproven ${unproven.length}, no form ${noForm.length}`).toBeGreaterThanOrEqual(
      Math.ceil(0.5 * (proven.length + unproven.length + noForm.length)),
    );
  }, 600_000);

  it('refuses extra fields on the password change without ending the session', async () => {
    const user = await w.signIn('leader');
    const before = await databaseChecksums(w.ctx.db);
    const res = await user.post('/account/password', {
      current_password: 'wrong',
      new_password: 'một mật khẩu mới dài',
      confirm_password: 'một mật khẩu mới dài',
      role: 'admin',
    });
    expect(res.status).toBe(422);
    expect(changedTables(before, await databaseChecksums(w.ctx.db))).toEqual([]);
    expect((await user.get('/account/password')).status).toBe(200);
  });
});
