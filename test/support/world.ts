import { rows } from './support/app';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type CreatedApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { FakeClock } from '../../src/core/clock';
import type { AppContext } from '../../src/core/context';
import { openDatabase, type OpenedDatabase } from '../../src/core/db/database';
import { migrateToLatest } from '../../src/core/db/migrate';
import { ROLES, type Role } from '../../src/core/http/roles';
import { DEMO_PASSWORD_SUFFIX, DEMO_USERS, runDemo } from '../../src/features/demo';
import type { SignedIn } from './app';
import { signInWith } from './agents';
import { crawl, type Page } from './crawl';
import { populate } from './populate';
import { label, policiesOf } from './routes';

/**
 * A "world": the app on a copy of the demo database (every feature's own seeder, so records of every kind
 * in every state exist: drafts, superseded revisions, reported/closed nonconformities, audits, dossiers),
 * made busier through the app's own forms (support/populate.ts), with a fake clock at the demo's "now". Building the demo takes seconds, so it is built once per version
 * of the source and copied for each test file (a template in the temp folder, keyed by a hash of src/).
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

async function buildTemplate(target: string): Promise<void> {
  const building = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(building, 'qms.sqlite') });
  const opened = openDatabase(config.databasePath);
  try {
    await migrateToLatest(opened.db);
    const ctx: AppContext = { config, db: opened.db, sqlite: opened.sqlite, clock: new FakeClock(WORLD_NOW) };
    await runDemo(ctx, () => undefined);
    const app = createApp(ctx);
    const users = usersOf(opened.sqlite);
    await populate(app, users);
    // what each role sees, crawled once here instead of in every test file
    for (const role of ROLES) {
      const user = users.find((u) => u.role === role)!;
      const pages = await crawl((await signInWith(app, user.username, user.password)).agent, policiesOf(app), { perPattern: 4 });
      writeFileSync(
        join(building, `crawl-${role}.json`),
        JSON.stringify(pages.map(({ policy, ...page }) => ({ ...page, policy: policy ? label(policy) : undefined }))),
      );
    }
    opened.sqlite.exec('delete from sessions; delete from login_attempts');
    opened.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    await opened.close();
  }
  try {
    renameSync(building, target);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another worker won the race; its copy is the same
  }
  // templates of older source versions, unused for a day
  for (const name of readdirSync(tmpdir())) {
    const full = join(tmpdir(), name);
    if (name.startsWith('qms-world-') && full !== target && Date.now() - statSync(full).mtimeMs > 86_400_000) rmSync(full, { recursive: true, force: true });
  }
}

/** The demo's users (whose passwords we know), not the ones the populating forms created. */
function usersOf(sqlite: OpenedDatabase['sqlite']): WorldUser[] {
  const demo = new Set(DEMO_USERS.map((u) => u.username));
  return (sqlite.prepare('select id, username, role, unit_id from users order by id').all() as Omit<WorldUser, 'password'>[])
    .filter((u) => demo.has(u.username))
    .map((u) => ({
      ...u,
      password: `${u.username}${DEMO_PASSWORD_SUFFIX}`,
    }));
}

let templatePromise: Promise<string> | undefined;

/** The folder of the demo template for the current source, built when missing. */
export function worldTemplate(): Promise<string> {
  templatePromise ??= (async () => {
    const target = join(tmpdir(), `qms-world-${sourceKey()}`);
    const lock = `${target}.lock`;
    // one builder at a time (test files run in parallel workers); the others wait for its result
    for (let waited = 0; !existsSync(join(target, 'qms.sqlite')); waited += 500) {
      try {
        mkdirSync(lock);
      } catch {
        const stale = existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 15 * 60_000;
        if (stale) rmSync(lock, { recursive: true, force: true });
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      try {
        if (!existsSync(join(target, 'qms.sqlite'))) await buildTemplate(target);
      } finally {
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
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite'), ...options.env });
  const opened: OpenedDatabase = openDatabase(config.databasePath);
  await migrateToLatest(opened.db);
  const clock = new FakeClock(WORLD_NOW);
  const ctx: AppContext = { config, db: opened.db, sqlite: opened.sqlite, clock };
  const app = createApp(ctx);
  app.locals.secureCookies = config.production;
  const users = usersOf(opened.sqlite);
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
    ctx,
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of a world's database. */
export function worldRows<T = Record<string, unknown>>(w: { ctx: AppContext }, sqlText: string, ...params: unknown[]): T[] {
  return (await rows(w, sqlText, ...params)) as T[];
}
