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

describe('demo data', () => {
  it('creates the model office with one user per role and prints their passwords', async () => {
    expect(await one(t, 'select name, parent_agency, place_name from organisation where id = 1')).toEqual({
      name: 'Phòng Lao động - Thương binh và Xã hội',
      parent_agency: 'UBND huyện Nghĩa Hưng',
      place_name: 'Nghĩa Hưng',
    });
    const roles = await rows(t, 'select distinct role from users where organisation_id = 1 order by role');
    expect(roles).toEqual([{ role: 'admin' }, { role: 'leader' }, { role: 'quality_officer' }, { role: 'staff' }]);
    for (const u of DEMO_USERS) expect(lines.join('\n')).toContain(`${u.username}${DEMO_PASSWORD_SUFFIX}`);
    expect(await one(t, 'select count(*) as n from procedures where organisation_id = 1')).toEqual({ n: 42 });
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

  it('builds the province around the model office: a department, two communes, one succeeding a district office, and an inspector', async () => {
    expect(
      await rows(
        t,
        `select o.code, o.kind, o.status, p.code as parent, (select count(*) from procedures x where x.organisation_id = o.id) as procedures
         from organisation o left join organisation p on p.id = o.parent_id order by o.id`,
      ),
    ).toEqual([
      { code: 'DV1', kind: 'office', status: 'active', parent: 'TINH-NB', procedures: 42 },
      { code: 'TINH-NB', kind: 'province', status: 'active', parent: null, procedures: 0 },
      { code: 'SO-NV', kind: 'department', status: 'active', parent: 'TINH-NB', procedures: 42 },
      { code: 'XA-YK', kind: 'commune', status: 'active', parent: 'TINH-NB', procedures: 42 },
      { code: 'HUYEN-NH-CU', kind: 'office', status: 'read_only', parent: 'TINH-NB', procedures: 42 },
      { code: 'XA-NH', kind: 'commune', status: 'active', parent: 'TINH-NB', procedures: 42 },
    ]);
    expect(
      await rows(
        t,
        'select p.code as predecessor, s.code as successor, l.kind, l.effective_on from organisation_lineage l join organisation p on p.id = l.predecessor_id join organisation s on s.id = l.successor_id',
      ),
    ).toEqual([{ predecessor: 'HUYEN-NH-CU', successor: 'XA-NH', kind: 'merge', effective_on: '2025-07-01' }]);
    // the copies are drafts; the former office keeps its dossiers, its users moved to the commune
    expect(
      await one(
        t,
        "select count(*) as n from document_revisions r join organisation o on o.id = r.organisation_id where o.code = 'XA-YK' and r.status <> 'draft'",
      ),
    ).toEqual({ n: 0 });
    expect(await one(t, "select count(*) as n from dossiers d join organisation o on o.id = d.organisation_id where o.code = 'HUYEN-NH-CU'")).toEqual({
      n: 30,
    });
    expect(
      await rows(
        t,
        "select u.username, o.code from users u join organisation o on o.id = u.organisation_id where u.username in ('kiemtra', 'thuky.nh') order by u.username",
      ),
    ).toEqual([
      { username: 'kiemtra', code: 'TINH-NB' },
      { username: 'thuky.nh', code: 'XA-NH' },
    ]);
    // the inspector signs in and sees every organisation of the province on the oversight page
    const app = createApp(t.appCtx);
    const agent = request.agent(app);
    const csrf = extractCsrf((await agent.get('/login')).text);
    expect(
      (
        await agent
          .post('/login')
          .type('form')
          .send({ username: 'kiemtra', password: `kiemtra${DEMO_PASSWORD_SUFFIX}`, _csrf: csrf })
      ).status,
    ).toBe(303);
    const page = await agent.get('/oversight');
    expect(page.status).toBe(200);
    for (const code of ['DV1', 'SO-NV', 'XA-YK', 'XA-NH', 'HUYEN-NH-CU']) expect(page.text, code).toContain(code);
  });
});
