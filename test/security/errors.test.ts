import { afterEach, describe, expect, it, vi } from 'vitest';
import { WORKERS, allows, type Role } from '../../src/core/http/roles';
import { formsByRoute, samplePerPattern } from '../support/crawl';
import { FaultInjector, LEAK_MARKERS } from '../support/faults';
import { bodyOf, fillContext, plan, send } from '../support/forms';
import { headerProblems } from '../support/headers';
import { label, policiesOf } from '../support/routes';
import { createWorld, WORLD_TIMEOUT, type World } from '../support/world';

/**
 * Failures inside handlers, under NODE_ENV development and production: with the database failing every
 * statement a handler makes (see support/faults.ts), every GET route (a real URL per pattern, as every role)
 * and every POST route (with the body its form would send) answers 500 with a reference id and nothing
 * internal — no stack, no file path, no SQL, no SQLite error — with the security headers, logs the reference,
 * and the very next request, once the database is back, works.
 */
let w: World | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await w?.close();
  w = undefined;
});

const leaks = (text: string) => LEAK_MARKERS.filter((m) => m.test(text)).map(String);

for (const nodeEnv of ['development', 'production'] as const) {
  describe(`errors under NODE_ENV=${nodeEnv}`, () => {
    it(
      'answers a failing handler on every route with a clean 500 page and keeps serving',
      async () => {
        w = await createWorld({ env: { NODE_ENV: nodeEnv } });
        const world = w;
        const policies = policiesOf(world.app);
        const production = nodeEnv === 'production';
        const problems: string[] = [];
        const failedRoutes = new Set<string>();
        const logged: string[] = [];
        const faults = new FaultInjector(world.ctx);
        try {
          const samples = {} as Record<Role, Map<(typeof policies)[number], string>>;
          const forms = {} as Record<Role, ReturnType<typeof formsByRoute>>;
          for (const role of WORKERS) {
            const user = await world.as(role);
            const pages = world.crawled(role);
            samples[role] = samplePerPattern(policies, pages);
            forms[role] = formsByRoute(policies, pages);
            await faults.learn(async () => {
              await user.get('/account/password');
              await user.post('/account/password', {});
            });
          }
          vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
            logged.push(String(args[0]));
          });
          const check = (what: string, res: { status: number; text?: string; headers: Record<string, string | string[] | undefined> }) => {
            const text = res.text ?? '';
            if (res.status > 500) problems.push(`${what} → ${res.status}`);
            for (const leak of leaks(text)) problems.push(`${what} → ${res.status} leaks ${leak}`);
            for (const p of headerProblems(res, { production })) problems.push(`${what} → ${res.status}: ${p}`);
            if (res.status === 500) {
              const reference = /([0-9a-f]{12})/.exec(text)?.[1];
              if (!reference) problems.push(`${what} → 500 without a reference id`);
              else if (!logged.some((line) => line.includes(reference))) problems.push(`${what} → 500 reference ${reference} not logged`);
            }
          };
          for (const role of WORKERS) {
            const user = await world.as(role);
            for (const [policy, url] of samples[role]) {
              if (!allows(policy.access, role) || policy.path === '/logout') continue;
              faults.arm();
              const res = await user.get(url).catch((err: Error) => ({ status: 599, text: `GET aborted: ${err.message}`, headers: {} }));
              faults.disarm();
              check(`${role} GET ${url}`, res);
              if (res.status === 500) {
                failedRoutes.add(label(policy));
                const again = await user.get(url);
                if (again.status >= 500) problems.push(`${role} GET ${url} still ${again.status} after the database came back`);
              }
            }
            for (const [policy, found] of forms[role]) {
              if (!allows(policy.access, role) || ['/logout', '/account/password', '/login', '/setup'].includes(policy.path)) continue;
              const body = bodyOf(plan(found[0].form, fillContext(world.byRole[role].password)));
              faults.arm();
              const res = await send(user, found[0].form, body).catch((err: Error) => ({ status: 599, text: `POST aborted: ${err.message}`, headers: {} }));
              faults.disarm();
              check(`${role} POST ${found[0].form.action}`, res);
              if (res.status === 500) failedRoutes.add(label(policy));
              const after = await user.get(found[0].page);
              if (after.status >= 500) problems.push(`${role} GET ${found[0].page} → ${after.status} after a failed POST`);
            }
          }
          // unknown pages and refusals carry no internals either
          const staff = await world.as('staff');
          for (const url of ['/khong-co', '/procedures/abc', '/procedures/99999999999999999999', '/admin/users'])
            check(`staff GET ${url}`, await staff.get(url));
        } finally {
          faults.restore();
        }
        expect(problems).toEqual([]);
        expect(faults.hits).toBeGreaterThan(0);
        // most routes touch the database; each of those must have failed cleanly
        expect(failedRoutes.size).toBeGreaterThan(policies.length / 2);
      },
      WORLD_TIMEOUT,
    );
  });
}
