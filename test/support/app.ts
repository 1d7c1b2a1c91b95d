import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp, type CreatedApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { FakeClock } from '../../src/core/clock';
import type { AppContext } from '../../src/core/context';
import { openConfiguredDatabase } from '../../src/core/db/open';
import { scopedDb } from '../../src/core/db/scope';
import { migrateToLatest, startAuditChain } from '../../src/core/db/migrate';
import type { Role } from '../../src/core/http/roles';
import { hashPassword } from '../../src/core/security/passwords';
import { insertOrganisation } from '../../src/features/organisation/organisation.queries';
import { insertUnit } from '../../src/features/units/units.queries';
import { insertUser } from '../../src/features/users/users.queries';
import { freshPostgresDatabase, freshSqliteFile, onPostgres, query } from './engine';

/**
 * A fresh app on a fresh database (a file in a temporary folder, so WAL behaves as in production),
 * with a fake clock, an organisation, two units and one user per role. `signIn(role)` gives a supertest
 * agent with a session cookie and the page's CSRF token.
 */
export const TEST_PASSWORD = 'correct horse battery';
let sharedHash: Promise<string> | undefined;

export interface TestApp {
  app: CreatedApp;
  /** The app's context with a handle that works for organisation 1 (the test users' organisation). */
  ctx: AppContext;
  /** The context the app was created with: its handle has no organisation of its own. */
  appCtx: AppContext;
  clock: FakeClock;
  config: Config;
  dir: string;
  users: Record<Role, number>;
  units: { main: number; other: number };
  signIn(role: Role | string): Promise<SignedIn>;
  close(): Promise<void>;
}

export interface SignedIn {
  agent: request.Agent;
  csrf: string;
  /** POST a form with the CSRF token added. */
  post(path: string, body?: Record<string, string | string[]>): request.Test;
  get(path: string): request.Test;
  refreshCsrf(): Promise<string>;
}

export function extractCsrf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

export async function createTestApp(options: { env?: Record<string, string>; withUsers?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'qms-test-'));
  const pg = onPostgres ? await freshPostgresDatabase() : undefined;
  const env = { NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite'), ...(pg ? { DATABASE_URL: pg.url } : {}), ...options.env };
  const config = loadConfig(env, options.config);
  // a copy of the migrated template unless the test names a database of its own
  const copied = pg !== undefined ? !options.env?.DATABASE_URL : !config.databaseUrl && !existsSync(config.databasePath);
  if (copied && !pg) await freshSqliteFile(config.databasePath);
  const opened = await openConfiguredDatabase(config);
  // a copy of the migrated template has nothing to migrate: only its keyed audit chain to start
  if (copied) await startAuditChain(opened.db);
  else await migrateToLatest(opened.db);
  const clock = new FakeClock('2026-11-26T02:00:00Z');
  const ctx: AppContext = { config, db: opened.db, sqlite: opened.sqlite, clock };
  const at = clock.now().toISOString();
  const users = {} as Record<Role, number>;
  let units = { main: 0, other: 0 };
  if (options.withUsers !== false) {
    const seed = scopedDb(ctx.db, 1);
    await insertOrganisation(
      seed,
      {
        name: 'Phòng Lao động - Thương binh và Xã hội',
        parent_agency: 'UBND huyện Nghĩa Hưng',
        place_name: 'Nghĩa Hưng',
        report_number_suffix: 'LĐTBXH',
        signer_title: 'TRƯỞNG PHÒNG',
        signer_name: 'Phạm Văn Minh',
        time_zone: 'Asia/Ho_Chi_Minh',
        recipients: 'Lưu: VT',
        not_applicable_clauses: '["8.3"]',
      },
      at,
    );
    units = {
      main: await insertUnit(seed, { code: 'LĐTBXH', name: 'Phòng LĐTBXH' }, at),
      other: await insertUnit(seed, { code: 'VP', name: 'Văn phòng' }, at),
    };
    sharedHash ??= hashPassword(TEST_PASSWORD);
    const hash = await sharedHash;
    for (const role of ['admin', 'quality_officer', 'leader', 'staff'] as const) {
      users[role] = await insertUser(
        seed,
        { username: role.replace('_', ''), full_name: `Người dùng ${role}`, role, unit_id: units.main, email: null, position_title: null, password_hash: hash },
        at,
      );
    }
  }
  const app = createApp(ctx);

  const signIn = async (who: Role | string): Promise<SignedIn> => {
    const username = who.replace('_', '');
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username, password: TEST_PASSWORD, _csrf: extractCsrf(page.text) });
    if (res.status !== 303) throw new Error(`sign-in as ${username} answered ${res.status}`);
    const signed: SignedIn = {
      agent,
      csrf: '',
      post: (path, body = {}) =>
        agent
          .post(path)
          .type('form')
          .send({ ...body, _csrf: signed.csrf }),
      get: (path) => agent.get(path),
      refreshCsrf: async () => {
        signed.csrf = extractCsrf((await agent.get('/account/password')).text);
        return signed.csrf;
      },
    };
    await signed.refreshCsrf();
    return signed;
  };

  return {
    app,
    // Tests call queries and services outside any request: their handle works for the first organisation, as the
    // signed-in test users' requests do (core/db/scope.ts). The app itself was given the handle without a scope.
    ctx: { ...ctx, db: scopedDb(ctx.db, 1) },
    appCtx: ctx,
    clock,
    config,
    dir,
    users,
    units,
    signIn,
    async close() {
      await opened.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of a statement written with `?` placeholders, for assertions on what was stored (either engine). */
export async function rows<T = Record<string, unknown>>(t: { ctx: AppContext }, sqlText: string, ...params: unknown[]): Promise<T[]> {
  return (await query<T>(t.ctx.db, sqlText, params)).rows;
}

/** The first row of a statement, or undefined. */
export async function one<T = Record<string, unknown>>(t: { ctx: AppContext }, sqlText: string, ...params: unknown[]): Promise<T | undefined> {
  return (await query<T>(t.ctx.db, sqlText, params)).rows[0];
}

/** Runs a statement (a test's direct change to the data); the number of rows it changed. */
export async function run(t: { ctx: AppContext }, sqlText: string, ...params: unknown[]): Promise<{ changes: number }> {
  return { changes: (await query(t.ctx.db, sqlText, params)).changes };
}
