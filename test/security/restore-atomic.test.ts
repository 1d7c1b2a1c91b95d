import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { record, verify } from '../../src/core/audit-log/audit-log';
import { FakeClock } from '../../src/core/clock';
import { openDatabase } from '../../src/core/db/database';
import { migrateToLatest } from '../../src/core/db/migrate';
import { scopedDb } from '../../src/core/db/scope';
import { insertUnit } from '../../src/features/units/units.queries';
import { createTestApp, rows, type TestApp } from '../support/app';
import { prepareDatabase, ROOT, startServer } from '../support/server';

/**
 * `qms restore` is atomic (issue 19, point 2): killed at any point, the database is the old one, whole, or the new
 * one, whole; never empty, never without its tables, and the one-time setup page never opens on it. The restore runs
 * as the real command in a child process; QMS_TEST_RESTORE_PAUSE_MS (tests only) makes it announce each step on
 * stderr and wait after it, so that SIGKILL lands at every step of the copy and of the swap; more kills land at
 * increasing delays without the pauses. Only outcomes are asserted, never times.
 */
const dir = mkdtempSync(join(tmpdir(), 'qms-restore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OLD = join(dir, 'old.sqlite');
const NEW = join(dir, 'new.sqlite');
const BACKUP = join(dir, 'backup.sqlite');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  steps: string[];
  stdout: string;
  stderr: string;
}

/** `qms <args>` as a child process; `killAt(steps, elapsedMs)` says when to SIGKILL it. */
function qms(args: string[], env: Record<string, string>, killAt?: (steps: string[]) => boolean, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve) => {
    // node itself with tsx as a loader (not the tsx wrapper, which runs node as its child): SIGKILL kills the restore
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const steps: string[] = [];
    let stdout = '';
    let stderr = '';
    let pending = '';
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      pending += c.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const step = /^restore step: (.*)$/.exec(line)?.[1];
        if (step === undefined) continue;
        steps.push(step);
        if (killAt?.(steps)) child.kill('SIGKILL');
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, steps, stdout, stderr });
    });
  });
}

/** A target holding the old database as a crashed app leaves it: its last write only in the -wal file. */
async function oldTarget(name: string): Promise<string> {
  const target = join(dir, name);
  const opened = openDatabase(OLD);
  try {
    opened.sqlite.pragma('wal_autocheckpoint = 0');
    const at = new Date().toISOString();
    await opened.db.transaction().execute(async (trx) => {
      await insertUnit(scopedDb(trx, 1), { code: 'OLD-WAL', name: 'only in the write-ahead log' }, at);
      await record(trx, { userId: null, action: 'create', entity: 'unit', entityId: 'OLD-WAL', new: {} }, new Date(at));
    });
    copyFileSync(OLD, target);
    copyFileSync(`${OLD}-wal`, `${target}-wal`);
    copyFileSync(`${OLD}.audit-head`, `${target}.audit-head`);
    expect(statSync(`${target}-wal`).size).toBeGreaterThan(0);
    opened.sqlite.exec("delete from units where code = 'OLD-WAL'"); // the template stays as it was
  } finally {
    await opened.close();
  }
  return target;
}

/** Which database the target holds, after checking it is whole, verifies and never opens the setup page. */
async function outcome(target: string): Promise<'old' | 'new'> {
  expect(existsSync(target), 'the target exists').toBe(true);
  expect(statSync(target).size, 'the target is not empty').toBeGreaterThan(0);
  const opened = openDatabase(target, { quickCheck: true });
  try {
    await migrateToLatest(opened.db);
    expect(String(opened.sqlite.pragma('integrity_check', { simple: true }))).toBe('ok');
    const codes = (opened.sqlite.prepare('select code from units order by code').pluck().all() as string[]).join(',');
    const which = codes.includes('NEW-UNIT') ? 'new' : 'old';
    expect(codes, 'all of one database, none of the other').toBe(which === 'new' ? 'LĐTBXH,NEW-UNIT' : 'LĐTBXH,OLD-UNIT,OLD-WAL');
    const chain = await verify(opened.db);
    expect(chain.ok, `audit log of the ${which} database: ${chain.problem ?? JSON.stringify(chain.brokenAt)}`).toBe(true);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: target });
    const app = createApp({ config, db: opened.db, sqlite: opened.sqlite, clock: new FakeClock('2026-11-26T02:00:00Z') });
    const home = await request(app).get('/');
    expect(home.headers.location, 'never the setup page').toBe('/login?next=%2F');
    expect((await request(app).get('/setup')).status).toBe(404);
    return which;
  } finally {
    await opened.close();
  }
}

beforeAll(async () => {
  await prepareDatabase(NEW, async (opened, at) => {
    await insertUnit(scopedDb(opened.db, 1), { code: 'NEW-UNIT', name: 'the restored one' }, at);
    // enough audit rows for a copy of many steps
    await opened.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2500; i++)
        await record(trx, { userId: null, action: 'update', entity: 'unit', entityId: i, new: { note: 'x'.repeat(200) } }, new Date(at));
    });
  });
  await prepareDatabase(OLD, async (opened, at) => {
    await insertUnit(scopedDb(opened.db, 1), { code: 'OLD-UNIT', name: 'the one in place' }, at);
    await opened.db
      .transaction()
      .execute((trx) => record(trx, { userId: null, action: 'create', entity: 'unit', entityId: 'OLD-UNIT', new: {} }, new Date(at)));
  });
  const made = await qms(['backup', BACKUP], { DATABASE_PATH: NEW });
  expect(made.code, made.stderr).toBe(0);
}, 300_000);

describe('qms restore, killed', { timeout: 900_000 }, () => {
  let steps: string[] = [];

  it('runs to the end when not killed: the new database, the old -wal gone, no staging file left', async () => {
    const target = await oldTarget('complete.sqlite');
    const run = await qms(['restore', BACKUP, '--force'], { DATABASE_PATH: target, QMS_TEST_RESTORE_PAUSE_MS: '0' });
    expect(run.code, run.stderr).toBe(0);
    steps = run.steps;
    expect(steps.filter((s) => s.startsWith('copying')).length).toBeGreaterThan(5);
    expect(steps.slice(-8)).toEqual(['migrated', 'logged', 'synced', 'head-pending', 'old-settled', 'old-wal-removed', 'renamed', 'done']);
    expect(await outcome(target)).toBe('new');
    expect(readdirSync(dir).filter((f) => f.startsWith('complete.sqlite.restore-'))).toEqual([]);
  });

  it('at every step of the copy and of the swap leaves the old database or the new one, whole', async () => {
    const copying = steps.map((s, i) => ({ s, i })).filter(({ s }) => s.startsWith('copying'));
    const points = new Set<number>(steps.map((_, i) => i).filter((i) => !steps[i].startsWith('copying') && steps[i] !== 'done'));
    for (const { i } of [copying[0], copying[1], copying[Math.floor(copying.length / 2)], copying[copying.length - 1]]) points.add(i);
    const targets = new Map<number, string>();
    for (const index of points) targets.set(index, await oldTarget(`kill-${index}.sqlite`));
    // six restores at a time: each waits after every step, so most of a run is waiting (while a core stays idle)
    const runs = new Map<number, Run>();
    const queue = [...points].sort((a, b) => a - b);
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async () => {
        for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
          const at = index;
          runs.set(
            at,
            await qms(['restore', BACKUP, '--force'], { DATABASE_PATH: targets.get(at)!, QMS_TEST_RESTORE_PAUSE_MS: '250' }, (s) => s.length === at + 1),
          );
        }
      }),
    );
    const seen: Record<string, number> = { old: 0, new: 0 };
    for (const [index, target] of [...targets].sort((a, b) => a[0] - b[0])) {
      const run = runs.get(index)!;
      expect(run.signal, `killed after step ${index} (${steps[index]}): ${run.stderr}`).toBe('SIGKILL');
      const which = await outcome(target);
      seen[which]++;
      // killed before the old database's -wal was removed: the old database; once the rename is announced: the new one
      const last = steps.indexOf(run.steps.at(-1)!);
      if (last < steps.indexOf('old-wal-removed')) expect(which, `killed after ${steps[last]}`).toBe('old');
      if (last >= steps.indexOf('renamed')) expect(which, `killed after ${steps[last]}`).toBe('new');
    }
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
    // a restore run again after a killed one completes, and removes the killed one's staging file
    const target = targets.get(copying[1].i)!;
    expect(readdirSync(dir).filter((f) => f.startsWith(`kill-${copying[1].i}.sqlite.restore-`)).length).toBeGreaterThan(0);
    const again = await qms(['restore', BACKUP, '--force'], { DATABASE_PATH: target });
    expect(again.code, again.stderr).toBe(0);
    expect(await outcome(target)).toBe('new');
    expect(readdirSync(dir).filter((f) => f.startsWith(`kill-${copying[1].i}.sqlite.restore-`))).toEqual([]);
  });

  it('at increasing delays, without the pauses, leaves the old database or the new one, whole', async () => {
    // RESTORE_KILL_DELAYS (milliseconds, comma-separated) for a longer run, e.g. 500,1500,3000,5000,8000
    for (const delay of (process.env.RESTORE_KILL_DELAYS ?? '1500,5000').split(',').map(Number)) {
      const target = await oldTarget(`delay-${delay}.sqlite`);
      await qms(['restore', BACKUP, '--force'], { DATABASE_PATH: target }, undefined, delay);
      await outcome(target);
    }
  });
});

describe('a database file that exists but holds no database', { timeout: 300_000 }, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('is refused by openDatabase, the CLI and the server, unless QMS_CREATE_DATABASE=1; the file is left as it was', async () => {
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    expect(() => openDatabase(empty)).toThrow(/empty\.sqlite exists but is empty \(0 bytes\): .*QMS_CREATE_DATABASE=1/);
    const tableless = join(dir, 'tableless.sqlite');
    const raw = new Database(tableless);
    raw.pragma('user_version = 7');
    raw.close();
    expect(() => openDatabase(tableless)).toThrow(/tableless\.sqlite exists but holds no tables/);

    const cli = await qms(['migrate'], { DATABASE_PATH: empty });
    expect(cli.code).toBe(1);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).toMatch(/^qms migrate: .*empty\.sqlite exists but is empty \(0 bytes\)/);
    await expect(startServer(empty)).rejects.toThrow(/qms-tracker failed to start: .*empty\.sqlite exists but is empty \(0 bytes\)/);
    expect(statSync(empty).size).toBe(0);

    const created = await qms(['migrate'], { DATABASE_PATH: empty, QMS_CREATE_DATABASE: '1' });
    expect(created.code, created.stderr).toBe(0);
    const opened = openDatabase(empty);
    expect(opened.sqlite.prepare("select count(*) as n from sqlite_master where name = 'users'").get()).toEqual({ n: 1 });
    await opened.close();
  });

  it('is what a restore may replace without --force (it has no users)', async () => {
    const target = join(dir, 'zero.sqlite');
    writeFileSync(target, '');
    const run = await qms(['restore', BACKUP], { DATABASE_PATH: target });
    expect(run.code, run.stderr).toBe(0);
    expect(await outcome(target)).toBe('new');
  });

  it('never gets the setup page once initialised, even with every user gone', async () => {
    t = await createTestApp();
    t.ctx.sqlite!.pragma('foreign_keys = OFF');
    t.ctx.sqlite!.exec('delete from users');
    t.ctx.sqlite!.pragma('foreign_keys = ON');
    const agent = request.agent(t.app);
    const page = await agent.get('/setup');
    expect(page.status).toBe(409);
    expect(page.text).not.toContain('name="confirm_password"');
    expect(page.text).toContain('npm run qms -- user:add');
    const post = await agent
      .post('/setup')
      .type('form')
      .send({ name: 'X', username: 'intruder', full_name: 'X', password: 'một mật khẩu rất dài', confirm_password: 'một mật khẩu rất dài' });
    expect(post.status).toBeGreaterThanOrEqual(400);
    expect(await rows(t, 'select count(*) as n from users')).toEqual([{ n: 0 }]);
  });
});
