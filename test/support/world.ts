import { sql } from 'kysely';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type CreatedApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { FakeClock } from '../../src/core/clock';
import type { AppContext } from '../../src/core/context';
import type { Db } from '../../src/core/db/database';
import { engineOf } from '../../src/core/db/dialect/engine';
import { migrateToLatest } from '../../src/core/db/migrate';
import { openConfiguredDatabase } from '../../src/core/db/open';
import { scopedDb } from '../../src/core/db/scope';
import { openPostgresKysely } from '../../src/core/db/postgres';
import { WORKERS, type Role } from '../../src/core/http/roles';
import { DEMO_PASSWORD_SUFFIX, DEMO_USERS, runDemo } from '../../src/features/demo';
import type { SignedIn } from './app';
import { signInWith } from './agents';
import { rows } from './app';
import { databaseUrl, freshPostgresDatabase, onPostgres, type TestDatabase } from './engine';
import { crawl, type Page } from './crawl';
import { populate } from './populate';
import { label, policiesOf } from './routes';

/**
 * A "world": the app on a copy of the demo database (every feature's own seeder, so records of every kind
 * in every state exist: drafts, superseded revisions, reported/closed nonconformities, audits, dossiers),
 * made busier through the app's own forms (support/populate.ts), with a fake clock at the demo's "now". Building the demo takes seconds, so it is built once per version
 * of the source and copied for each test file (a template in the temp folder, keyed by a hash of src/). On PostgreSQL the
 * template is a database (`qms_world_<key>`, beside a folder with its audit key, files and crawls) and each test file gets
 * `create database … template qms_world_<key>`.
 */
export const WORLD_NOW = '2026-11-26T02:00:00Z';
/** Time a beforeAll may take to get a world: building the template (demo + populate + crawls) is about a minute of CPU, much more on a busy machine. */
export const WORLD_TIMEOUT = 1_200_000;
const ROOT = process.cwd();

export interface WorldUser {
  id: number;
  username: string;
  role: Role;
  unit_id: number | null;
  password: string;
}

export interface World {
  app: CreatedApp;
  ctx: AppContext;
  clock: FakeClock;
  config: Config;
  dir: string;
  users: WorldUser[];
  /** The first demo user of a role (admin, thuky, lanhdao, canbo). */
  byRole: Record<Role, WorldUser>;
  /** Signs in once per username and keeps the agent (re-signs in when the session is gone). */
  as(who: string | Role): Promise<SignedIn>;
  /** A fresh, separate session for a user. */
  signIn(who: string | Role): Promise<SignedIn>;
  /** The pages the first demo user of a role reaches by following links (at most 4 per route pattern), crawled when the world was built. */
  crawled(role: Role): Page[];
  close(): Promise<void>;
}

function sourceKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(full).update(readFileSync(full));
    }
  };
  walk(join(ROOT, 'src'));
  // the support files that shape the template (populating forms, crawling)
  for (const name of ['world', 'populate', 'forms', 'crawl', 'html', 'routes', 'agents']) {
    const full = join(ROOT, 'test', 'support', `${name}.ts`);
    hash.update(full).update(readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The world's PostgreSQL database (its template), named for the source version as the folder is. */
const worldDatabase = (key: string) => `qms_world_${key}`;
/** The file in a PostgreSQL world's folder that names its database (written last: the folder is complete once it exists). */
const DATABASE_FILE = 'database';

/** Statements on the test server itself (create, rename, drop databases). */
async function onServer<T>(fn: (server: Db) => Promise<T>): Promise<T> {
  const { db } = openPostgresKysely(process.env.TEST_DATABASE_URL ?? databaseUrl('postgres'), { poolSize: 1 });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

const databaseExists = (name: string) =>
  onServer(async (server) => (await sql`select 1 from pg_database where datname = ${name}`.execute(server)).rows.length > 0);

/**
 * A statement about a database that the server refuses while a connection to it is still closing (a pool that was
 * just destroyed leaves its backends to exit a moment later): tried again for a few seconds.
 */
async function whenUnused(statement: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await onServer((server) => sql.raw(statement).execute(server));
      return;
    } catch (err) {
      if (attempt >= 50 || !/being accessed by other users/.test(String((err as Error).message))) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Whether the world in `target` is complete: its SQLite file, or on PostgreSQL the file naming its database and that database. */
async function worldReady(target: string): Promise<boolean> {
  if (!onPostgres) return existsSync(join(target, 'qms.sqlite'));
  const file = join(target, DATABASE_FILE);
  if (!existsSync(file)) return false;
  if (await databaseExists(readFileSync(file, 'utf8').trim())) return true;
  rmSync(target, { recursive: true, force: true }); // the server was reset since: build it again
  return false;
}

/**
 * Builds the world into `target`: the demo loaded, populated and crawled in a new database (a SQLite file in the
 * folder; on PostgreSQL a database copied from the migrated template, renamed `qms_world_<key>` once closed, so
 * that it has no open connection when test files copy it). The folder keeps the audit key, uploaded files and crawls.
 */
async function buildTemplate(target: string, key: string): Promise<void> {
  const building = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  mkdirSync(building, { recursive: true });
  const pg = onPostgres ? await freshPostgresDatabase() : undefined;
  try {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(building, 'qms.sqlite'), ...(pg ? { DATABASE_URL: pg.url } : {}) });
    const opened = await openConfiguredDatabase(config);
    try {
      await migrateToLatest(opened.db);
      const ctx: AppContext = { config, db: opened.db, sqlite: opened.sqlite, clock: new FakeClock(WORLD_NOW) };
      await runDemo({ ...ctx, db: scopedDb(ctx.db, 1) }, () => undefined);
      const app = createApp(ctx);
      const users = await usersOf(opened.db);
      await populate(app, users);
      // what each role sees, crawled once here instead of in every test file
      // the roles of the demo's office (its inspector is the province's: test/foundation/inspector.test.ts)
      for (const role of WORKERS) {
        const user = users.find((u) => u.role === role)!;
        const pages = await crawl((await signInWith(app, user.username, user.password)).agent, policiesOf(app), { perPattern: 4 });
        writeFileSync(
          join(building, `crawl-${role}.json`),
          JSON.stringify(pages.map(({ policy, ...page }) => ({ ...page, policy: policy ? label(policy) : undefined }))),
        );
      }
      await sql`delete from sessions`.execute(opened.db);
      await sql`delete from login_attempts`.execute(opened.db);
      // the whole SQLite database in its file, the write-ahead log emptied, before the folder is copied
      if (engineOf(opened.db) === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(opened.db);
    } finally {
      await opened.close();
    }
    if (pg) {
      const name = worldDatabase(key);
      await onServer((server) => sql.raw(`drop database if exists ${name} with (force)`).execute(server)); // a build that died before its folder was in place
      await whenUnused(`alter database ${pg.name} rename to ${name}`);
      writeFileSync(join(building, DATABASE_FILE), name);
    }
  } catch (err) {
    await pg?.drop();
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  try {
    renameSync(building, target);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another worker won the race; its copy is the same
  }
  // templates of older source versions, unused for a day (a PostgreSQL world's database with its folder)
  for (const name of readdirSync(tmpdir())) {
    const full = join(tmpdir(), name);
    if (!name.startsWith('qms-world-') || full === target || Date.now() - statSync(full).mtimeMs <= 86_400_000) continue;
    const databaseFile = join(full, DATABASE_FILE);
    if (existsSync(databaseFile)) {
      if (!onPostgres) continue;
      const old = readFileSync(databaseFile, 'utf8').trim();
      if (/^qms_world_[0-9a-f]+$/.test(old)) await onServer((server) => sql.raw(`drop database if exists ${old} with (force)`).execute(server));
    }
    rmSync(full, { recursive: true, force: true });
  }
}

/** The demo's users (whose passwords we know), not the ones the populating forms created. */
async function usersOf(db: Db): Promise<WorldUser[]> {
  const demo = new Set(DEMO_USERS.map((u) => u.username));
  return (await rows<Omit<WorldUser, 'password'>>({ ctx: { db } as AppContext }, 'select id, username, role, unit_id from users order by id'))
    .filter((u) => demo.has(u.username))
    .map((u) => ({
      ...u,
      password: `${u.username}${DEMO_PASSWORD_SUFFIX}`,
    }));
}

let templatePromise: Promise<string> | undefined;

/** The folder of the demo template for the current source (and engine), built when missing. */
export function worldTemplate(): Promise<string> {
  templatePromise ??= (async () => {
    const key = sourceKey();
    const target = join(tmpdir(), onPostgres ? `qms-world-pg-${key}` : `qms-world-${key}`);
    const lock = `${target}.lock`;
    // one builder at a time (test files run in parallel workers); the others wait for its result
    while (!(await worldReady(target))) {
      try {
        mkdirSync(lock);
      } catch {
        const stale = existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 15 * 60_000;
        if (stale) rmSync(lock, { recursive: true, force: true });
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      // the lock's age says whether its builder is alive: kept fresh while building
      const alive = setInterval(() => utimesSync(lock, new Date(), new Date()), 30_000);
      try {
        if (!(await worldReady(target))) await buildTemplate(target, key);
      } finally {
        clearInterval(alive);
        rmSync(lock, { recursive: true, force: true });
      }
    }
    return target;
  })();
  return templatePromise;
}

export async function createWorld(options: { env?: Record<string, string> } = {}): Promise<World> {
  const template = await worldTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'qms-sec-'));
  cpSync(template, dir, { recursive: true });
  let pg: TestDatabase | undefined;
  try {
    pg = onPostgres ? await freshPostgresDatabase(readFileSync(join(template, DATABASE_FILE), 'utf8').trim()) : undefined;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite'), ...(pg ? { DATABASE_URL: pg.url } : {}), ...options.env });
  const opened = await openConfiguredDatabase(config);
  await migrateToLatest(opened.db);
  const clock = new FakeClock(WORLD_NOW);
  const ctx: AppContext = { config, db: opened.db, sqlite: opened.sqlite, clock };
  const app = createApp(ctx);
  app.locals.secureCookies = config.production;
  const users = await usersOf(opened.db);
  const byRole = {} as Record<Role, WorldUser>;
  for (const u of users) byRole[u.role] ??= u;
  const find = (who: string) => {
    const user = users.find((u) => u.username === who) ?? byRole[who as Role];
    if (!user) throw new Error(`no demo user ${who}`);
    return user;
  };
  const sessions = new Map<string, SignedIn>();
  const signIn = (who: string) => {
    const user = find(who);
    return signInWith(app, user.username, user.password);
  };
  return {
    app,
    // Outside any request, the tests' handle works for the demo's organisation (core/db/scope.ts).
    ctx: { ...ctx, db: scopedDb(ctx.db, 1) },
    clock,
    config,
    dir,
    users,
    byRole,
    signIn,
    crawled(role) {
      const policies = policiesOf(app);
      const raw = JSON.parse(readFileSync(join(dir, `crawl-${role}.json`), 'utf8')) as (Omit<Page, 'policy'> & { policy?: string })[];
      return raw.map((page) => ({ ...page, policy: policies.find((p) => label(p) === page.policy) }));
    },
    async as(who) {
      const user = find(who);
      const known = sessions.get(user.username);
      if (known) {
        const probe = await known.agent.get('/account/password');
        if (probe.status === 200) return known;
      }
      const fresh = await signIn(user.username);
      sessions.set(user.username, fresh);
      return fresh;
    },
    async close() {
      await opened.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of a world's database. */
export function worldRows<T = Record<string, unknown>>(w: { ctx: AppContext }, sqlText: string, ...params: unknown[]): Promise<T[]> {
  return rows<T>(w, sqlText, ...params);
}
