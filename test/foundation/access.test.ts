import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../src/core/http/routes';
import { allows, ROLES, type Role } from '../../src/core/http/roles';
import { hashPassword } from '../../src/core/security/passwords';
import { createTestApp, extractCsrf, run, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';

/**
 * The route × role matrix over every registered route: anonymous → redirect to /login, a role the
 * policy does not allow → 403, an allowed role → neither 403 nor 5xx. Also: no Express route exists
 * without a policy, and every POST refuses a missing or foreign CSRF token. An inspector reads where its role is
 * allowed and posts nothing (403 on every POST but its own account's).
 */
let t: TestApp;
const signedIn = {} as Record<Role, SignedIn>;

const concrete = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'code' ? 'QT-NOPE-01' : '1'));

/**
 * Every route of the pages (the JSON API at /api/v1 is left out: its routes are guarded by token scopes, one per
 * operation, and test/api compares them with the OpenAPI document).
 */
function expressRoutes(app: TestApp['app']): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const walk = (stack: unknown[]) => {
    for (const layer of stack as { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: layer.route.path });
      } else if (layer.handle?.stack && layer.handle !== app.locals.api.router) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  // the test app has a user per working role; an inspector of its own organisation is added here
  await run(
    t,
    `insert into users (username, full_name, role, unit_id, password_hash, active, must_change_password, password_changed_at, version, created_at, updated_at, organisation_id)
     values ('inspector', 'Người kiểm tra', 'inspector', null, ?, 1, 0, '2026-01-01T00:00:00Z', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)`,
    await hashPassword(TEST_PASSWORD),
  );
  for (const role of ROLES) signedIn[role] = await t.signIn(role);
});
afterAll(async () => t.close());

describe('policy table', () => {
  it('has a policy for every registered route and no route without one', () => {
    const policies: Policy[] = t.app.locals.policies;
    expect(policies.length).toBeGreaterThan(20);
    const keyed = new Set(policies.map((p) => `${p.method} ${p.path}`));
    const routes = expressRoutes(t.app);
    expect(routes.length).toBe(policies.length);
    for (const r of routes) expect(keyed.has(`${r.method} ${r.path}`), `${r.method} ${r.path} has no policy`).toBe(true);
  });

  it('lets only the setup and sign-in pages and the satisfaction survey be public', () => {
    const publicRoutes = t.app.locals.policies.filter((p: Policy) => p.access === 'public').map((p: Policy) => `${p.method} ${p.path}`);
    expect(publicRoutes.sort()).toEqual([
      'GET /login',
      'GET /s/:org/:procedure',
      'GET /s/:org/:procedure/thanks',
      'GET /setup',
      'POST /login',
      'POST /s/:org/:procedure',
      'POST /setup',
    ]);
  });
});

describe('route × role matrix', () => {
  it('redirects anonymous visitors to the sign-in page on every protected route', async () => {
    const anon = request.agent(t.app);
    const csrf = extractCsrf((await anon.get('/login')).text);
    for (const p of t.app.locals.policies) {
      if (p.access === 'public') continue;
      const path = concrete(p.path);
      const res = p.method === 'GET' ? await anon.get(path) : await anon.post(path).type('form').send({ _csrf: csrf });
      expect(res.status, `${p.method} ${path}`).toBe(303);
      expect(res.headers.location, `${p.method} ${path}`).toMatch(/^\/login/);
    }
  });

  for (const role of ROLES) {
    it(`answers 403 to ${role} where the policy does not allow it, and never 403/5xx where it does`, async () => {
      const who = signedIn[role];
      for (const p of t.app.locals.policies) {
        if (p.access === 'public' || p.path === '/logout' || p.path === '/account/password') continue;
        const path = concrete(p.path);
        const res = p.method === 'GET' ? await who.get(path) : await who.post(path, {});
        const label = `${role} ${p.method} ${path} → ${res.status}`;
        const allowed = allows(p.access, role) && (role !== 'inspector' || p.method === 'GET');
        if (allowed) {
          expect(res.status, label).not.toBe(403);
          expect(res.status, label).toBeLessThan(500);
        } else expect(res.status, label).toBe(403);
      }
    });
  }
});

describe('CSRF', () => {
  it('refuses every POST route without a token, with another session’s token, and with a foreign Origin', async () => {
    const admin = signedIn.admin;
    const other = await t.signIn('quality_officer');
    for (const p of t.app.locals.policies) {
      if (p.method !== 'POST') continue;
      const path = concrete(p.path);
      const none = await admin.agent.post(path).type('form').send({});
      expect(none.status, `${path} without token`).toBe(403);
      const foreign = await admin.agent.post(path).type('form').send({ _csrf: other.csrf });
      expect(foreign.status, `${path} with another session's token`).toBe(403);
      const origin = await admin.agent.post(path).set('Origin', 'https://evil.example').type('form').send({ _csrf: admin.csrf });
      expect(origin.status, `${path} with a foreign Origin`).toBe(403);
    }
  });
});
