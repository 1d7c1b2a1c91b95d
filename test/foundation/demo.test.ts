import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { verify } from '../../src/core/audit-log/audit-log';
import { FakeClock } from '../../src/core/clock';
import type { AppContext } from '../../src/core/context';
import { openDatabase, type OpenedDatabase } from '../../src/core/db/database';
import { migrateToLatest } from '../../src/core/db/migrate';
import { DEMO_PASSWORD_SUFFIX, DEMO_USERS, runDemo } from '../../src/features/demo';
import { extractCsrf } from '../support/app';

/** The demo dataset loads into an empty database, fills every feature, and leaves a verifiable audit log. */
let dir: string;
let opened: OpenedDatabase;
let ctx: AppContext;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qms-demo-'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'demo.sqlite') });
  opened = openDatabase(config.databasePath);
  await migrateToLatest(opened.db);
  ctx = { config, db: opened.db, sqlite: opened.sqlite, clock: new FakeClock('2026-11-26T02:00:00Z') };
  await runDemo(ctx, (line) => lines.push(line));
}, 180_000);
afterAll(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (table: string) => (ctx.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('demo data', () => {
  it('creates the model office with one user per role and prints their passwords', () => {
    expect(ctx.sqlite.prepare('select name, parent_agency, place_name from organisation').get()).toEqual({
      name: 'Phòng Lao động - Thương binh và Xã hội',
      parent_agency: 'UBND huyện Nghĩa Hưng',
      place_name: 'Nghĩa Hưng',
    });
    const roles = ctx.sqlite.prepare('select distinct role from users order by role').all();
    expect(roles).toEqual([{ role: 'admin' }, { role: 'leader' }, { role: 'quality_officer' }, { role: 'staff' }]);
    for (const u of DEMO_USERS) expect(lines.join('\n')).toContain(`${u.username}${DEMO_PASSWORD_SUFFIX}`);
    expect(count('procedures')).toBe(42);
  });

  it('leaves an audit log whose chain verifies', async () => {
    const result = await verify(ctx.db);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(50);
  });

  it('lets each demo user sign in and open the home page', async () => {
    const app = createApp(ctx);
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
