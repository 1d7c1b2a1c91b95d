import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { verify } from '../../src/core/audit-log/audit-log';
import type { AppContext } from '../../src/core/context';
import { DEMO_PASSWORD_SUFFIX, DEMO_USERS, runDemo } from '../../src/features/demo';
import { createTestApp, extractCsrf, one, rows, type TestApp } from '../support/app';

/** The demo dataset loads into an empty database, fills every feature, and leaves a verifiable audit log. */
let t: TestApp;
let ctx: AppContext;
const lines: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ withUsers: false }); // an empty, migrated database on the engine under test
  ctx = t.ctx;
  await runDemo(ctx, (line) => lines.push(line));
}, 180_000);
afterAll(async () => t.close());

const count = async (table: string) => Number((await one<{ n: number }>(t, `select count(*) as n from ${table}`))?.n);

describe('demo data', () => {
  it('creates the model office with one user per role and prints their passwords', async () => {
    expect(await one(t, 'select name, parent_agency, place_name from organisation')).toEqual({
      name: 'Phòng Lao động - Thương binh và Xã hội',
      parent_agency: 'UBND huyện Nghĩa Hưng',
      place_name: 'Nghĩa Hưng',
    });
    const roles = await rows(t, 'select distinct role from users order by role');
    expect(roles).toEqual([{ role: 'admin' }, { role: 'leader' }, { role: 'quality_officer' }, { role: 'staff' }]);
    for (const u of DEMO_USERS) expect(lines.join('\n')).toContain(`${u.username}${DEMO_PASSWORD_SUFFIX}`);
    expect(await count('procedures')).toBe(42);
  });

  it('leaves an audit log whose chain verifies', async () => {
    const result = await verify(ctx.db);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(50);
  });

  it('lets each demo user sign in and open the home page', async () => {
    const app = createApp(t.appCtx); // the app's handle: each request works for its user's organisation
    for (const u of DEMO_USERS) {
      const agent = request.agent(app);
      const csrf = extractCsrf((await agent.get('/login')).text);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: u.username, password: `${u.username}${DEMO_PASSWORD_SUFFIX}`, _csrf: csrf });
      expect(res.status, u.username).toBe(303);
      const home = await agent.get('/');
      expect(home.status, u.username).toBe(200);
    }
  });
});
