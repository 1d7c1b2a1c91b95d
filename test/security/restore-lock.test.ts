import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';
import { loadConfig } from '../../src/config';
import { APP_LOCK, holdAppLock, withRestoreLock } from '../../src/core/db/app-lock';
import { openPostgresKysely } from '../../src/core/db/postgres';
import { setLockWait } from '../../src/core/db/dialect/storage';
import { freshPostgresDatabase, onPostgres, type TestDatabase } from '../support/engine';
import { Client, prepareDatabase, SERVER_PASSWORD, startServer, type ServerProcess } from '../support/server';

/**
 * `qms restore` is refused while an app process uses the database (issue 29, part 1): a server holds the app's lock
 * for its life (a file lock beside the SQLite database, an advisory lock on PostgreSQL), the restore takes it
 * exclusively or refuses having changed nothing, and the server goes on keeping every write. Once the server has
 * stopped, cleanly or killed, the same restore runs; and a server started while a restore holds the lock is refused.
 * A real server process on either engine; the CLI runs in this process (runCli, as `npm run qms` does).
 */
let dir: string;
let pg: TestDatabase | undefined;
let env: Record<string, string>;
let server: ServerProcess | undefined;
const path = () => join(dir, 'qms.sqlite');
const backupFile = () => join(dir, onPostgres ? 'before.dump' : 'before.sqlite');
const qms = (args: string[]) => runCli(args, { ...process.env, NODE_ENV: 'test', DATABASE_PATH: path(), ...env });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qms-restore-lock-'));
  pg = onPostgres ? await freshPostgresDatabase() : undefined;
  env = { AUDIT_KEY_FILE: join(dir, 'audit.key'), ...(pg ? { DATABASE_URL: pg.url } : {}) };
  await prepareDatabase(path(), undefined, env);
});

afterAll(async () => {
  await server?.kill('SIGKILL');
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The titles of the stored NCs and a few tables' row counts, read from the database itself (not through the app). */
async function stored(): Promise<{ titles: string[]; counts: Record<string, number> }> {
  const tables = ['nonconformities', 'users', 'units', 'organisation'];
  if (pg) {
    const { db } = openPostgresKysely(pg.url, { poolSize: 1 });
    try {
      const titles = (await sql<{ title: string }>`select title from nonconformities order by id`.execute(db)).rows.map((r) => r.title);
      const counts: Record<string, number> = {};
      for (const t of tables) counts[t] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0].n);
      return { titles, counts };
    } finally {
      await db.destroy();
    }
  }
  const db = new Database(path(), { readonly: true, fileMustExist: true });
  try {
    const titles = (db.prepare('select title from nonconformities order by id').all() as { title: string }[]).map((r) => r.title);
    const counts = Object.fromEntries(tables.map((t) => [t, (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]));
    return { titles, counts };
  } finally {
    db.close();
  }
}

/** PostgreSQL ends a killed client's session when it reads the closed socket: until then its lock is still held. */
async function untilAppLockFree(): Promise<void> {
  if (!pg) return;
  const { db } = openPostgresKysely(pg.url, { poolSize: 1 });
  try {
    const held = async () =>
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from pg_locks where locktype = 'advisory' and objid = ${APP_LOCK}
            and database = (select oid from pg_database where datname = current_database())`.execute(db)
        ).rows[0].n,
      );
    while ((await held()) > 0) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    await db.destroy();
  }
}

const ncFields = (title: string) => ({
  title,
  description: 'Ghi nhận trong lúc thử khôi phục.',
  source: 'other',
  severity: 'minor',
  detected_on: '2026-12-01',
});

describe('restore while the app runs', { timeout: 180_000 }, () => {
  it('is refused, with nothing changed, while a server holds the database; the server keeps every write', async () => {
    server = await startServer(path(), env);
    const client = new Client(server.port);
    await client.signIn('qualityofficer', SERVER_PASSWORD);
    const made = await qms(['backup', backupFile()]);
    expect(made.code, made.stderr).toBe(0);
    expect((await client.post('/nonconformities', ncFields('RESTORE-AFTER-BACKUP'))).status).toBe(303);
    const before = await stored();
    expect(before.titles).toEqual(['RESTORE-AFTER-BACKUP']);
    const inode = pg ? 0 : statSync(path()).ino;

    const refused = await qms(['restore', backupFile(), '--force']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^qms restore: the database is in use by a running qms-tracker process: stop the app first/);
    expect(await stored()).toEqual(before);
    if (!pg) {
      expect(statSync(path()).ino).toBe(inode); // the same file, not replaced
      expect(existsSync(`${path()}-wal`)).toBe(true);
      expect(readdirSync(dir).filter((f) => f.includes('.restore-'))).toEqual([]);
    }

    // the server goes on: a write after the refusal is acknowledged and stored, with the one before it
    expect((await client.post('/nonconformities', ncFields('RESTORE-REFUSED-THEN-WRITE'))).status).toBe(303);
    expect((await client.get('/nonconformities')).text).toContain('RESTORE-AFTER-BACKUP');
    expect(await server.kill('SIGTERM')).toBe(0);
    server = undefined;
    const after = await stored();
    expect(after.titles).toEqual(['RESTORE-AFTER-BACKUP', 'RESTORE-REFUSED-THEN-WRITE']);
    expect(after.counts).toEqual({ ...before.counts, nonconformities: 2 });

    // stopped: the same restore runs, and the database is the backup's again (no NC)
    const restored = await qms(['restore', backupFile(), '--force']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^restored /);
    expect((await stored()).titles).toEqual([]);
  });

  it('runs once the server was killed (the system released its lock)', async () => {
    server = await startServer(path(), env);
    expect((await qms(['restore', backupFile(), '--force'])).stderr).toMatch(/in use by a running qms-tracker process/);
    await server.kill('SIGKILL');
    server = undefined;
    await untilAppLockFree();
    const restored = await qms(['restore', backupFile(), '--force']);
    expect(restored.code, restored.stderr).toBe(0);
  });

  it('refuses to start a server while a restore holds the lock', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path(), ...env });
    await withRestoreLock(config, async () => {
      await expect(startServer(path(), env)).rejects.toThrow(
        /server exited \(1\) before listening:\s*qms-tracker failed to start: qms restore is replacing the database: start the app once the restore has finished/,
      );
      // and a second restore is refused meanwhile
      expect((await qms(['restore', backupFile(), '--force'])).code).toBe(1);
    });
    // a server starts once the restore is done: the test above started one after its restore
  });

  it('refuses the CLI commands that open the database while a restore holds the lock, and runs them after', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path(), ...env });
    const before = await stored();
    await withRestoreLock(config, async () => {
      for (const command of [['migrate'], ['org:list'], ['user:add', '--username', 'trongluc', '--name', 'Trong Lúc Khôi Phục', '--role', 'staff']]) {
        const refused = await runCli(command, { ...process.env, NODE_ENV: 'test', DATABASE_PATH: path(), QMS_PASSWORD: 'Mật-khẩu-đủ-dài-2026', ...env });
        expect(refused, command[0]).toEqual({
          code: 1,
          stdout: '',
          stderr: `qms ${command[0]}: qms restore is replacing the database: run the command again once the restore has finished\n`,
        });
      }
    });
    expect(await stored()).toEqual(before);
    const listed = await qms(['org:list']);
    expect(listed.code, listed.stderr).toBe(0);
  });

  it.runIf(onPostgres)("holds the writers' lock through a restore: a write of a process whose app lock lapsed is answered busy", async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path(), ...env });
    const { db } = openPostgresKysely(pg!.url, { poolSize: 1 });
    setLockWait(db, 0); // PostgreSQL's least wait (POSTGRES_MIN_LOCK_WAIT_MS)
    try {
      const before = await stored();
      await withRestoreLock(config, async () => {
        await expect(sql`update units set name = 'Ghi trong lúc khôi phục'`.execute(db)).rejects.toMatchObject({ code: '55P03' });
      });
      expect(await stored()).toEqual(before);
      expect((await sql<{ n: number }>`select count(*) as n from units where name = 'Ghi trong lúc khôi phục'`.execute(db)).rows[0].n).toBe(0);
      // once the restore is done, the same write goes through
      await sql`update units set name = name`.execute(db);
    } finally {
      await db.destroy();
    }
  });

  it.runIf(!onPostgres)('names the lock file when it cannot be created beside the database', async () => {
    writeFileSync(join(dir, 'not-a-folder'), '');
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'not-a-folder', 'qms.sqlite') });
    await expect(holdAppLock(config)).rejects.toThrow(/^cannot open the lock file .*not-a-folder\/qms\.sqlite\.lock .*the folder must be writable$/);
    await expect(withRestoreLock(config, async () => 'ran')).rejects.toThrow(/cannot open the lock file/);
  });
});
