import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { openDatabase } from '../../src/core/db/database';
import { startCommand } from '../../src/features/demo';
import { extractCsrf } from '../support/app';
import { runCli } from '../../src/cli';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

/**
 * Runs `qms <args>` as the README says (npm run qms -- …) but through tsx directly, to skip npm's start-up: the
 * real process, for what only it shows (its exit code, a password piped on standard input). The other checks call
 * the same runCli in this process (`qms`), which saves a process start of 2–3 s each.
 */
async function spawnQms(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(TSX, ['src/cli.ts', ...args], { env: { ...process.env, ...env }, cwd: process.cwd() });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  } else child.child.stdin!.end();
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const qms = (args: string[], env: Record<string, string>) => runCli(args, { ...process.env, ...env });

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qms-cli-'));
  env = { DATABASE_PATH: join(dir, 'qms.sqlite'), NODE_ENV: 'test' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('qms CLI', { timeout: 240_000 }, () => {
  it('migrates, adds a user who can sign in through the form, and refuses bad input with one line', async () => {
    expect((await qms(['migrate'], env)).code).toBe(0);
    const added = await qms(['user:add', '--username', 'u', '--name', 'Nguyễn Văn A', '--role', 'quality_officer'], {
      ...env,
      QMS_PASSWORD: 'mật khẩu đủ dài',
    });
    expect(added.code, added.stderr).toBe(1);
    expect(added.stderr.trim()).toMatch(/^qms user:add: --username is required/);
    const ok = await qms(['user:add', '--username', 'ua', '--name', 'Nguyễn Văn A', '--role', 'quality_officer'], { ...env, QMS_PASSWORD: 'mật khẩu đủ dài' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('user ua created');
    const fromStdin = await spawnQms(['user:add', '--username', 'staff1', '--name', 'Trần Thị B', '--role', 'staff'], env, 'another long password\n');
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const dup = await qms(['user:add', '--username', 'ua', '--name', 'X', '--role', 'staff'], { ...env, QMS_PASSWORD: 'mật khẩu đủ dài' });
    expect(dup.code).toBe(1);
    expect(dup.stderr.trim()).toBe('qms user:add: username ua is already taken');
    const badRole = await qms(['user:add', '--username', 'x1', '--name', 'X', '--role', 'boss'], { ...env, QMS_PASSWORD: 'mật khẩu đủ dài' });
    expect(badRole.code).toBe(1);
    expect(badRole.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const short = await qms(['user:add', '--username', 'x2', '--name', 'X', '--role', 'staff'], { ...env, QMS_PASSWORD: 'short' });
    expect(short.code).toBe(1);
    // The forms' rule: long enough is not enough; a common password or one holding the name is refused, nothing written.
    const common = await qms(['user:add', '--username', 'x3', '--name', 'Lê Văn C', '--role', 'staff'], { ...env, QMS_PASSWORD: 'password1234' });
    expect(common.code).toBe(1);
    expect(common.stderr.trim()).toBe('qms user:add: This password is too common: attackers try passwords like it first. Choose a phrase of your own.');
    const named = await qms(['user:add', '--username', 'x4', '--name', 'Lê Văn Cường', '--role', 'staff'], { ...env, QMS_PASSWORD: 'levancuong2026!' });
    expect(named.code).toBe(1);
    expect(named.stderr.trim()).toMatch(/^qms user:add: .*name/i);

    const config = loadConfig({ ...env });
    const opened = openDatabase(config.databasePath);
    try {
      const app = createApp({ config, db: opened.db, sqlite: opened.sqlite, clock: systemClock });
      const agent = request.agent(app);
      const csrf = extractCsrf((await agent.get('/login')).text);
      const res = await agent.post('/login').type('form').send({ username: 'ua', password: 'mật khẩu đủ dài', _csrf: csrf });
      expect(res.status).toBe(303);
      expect((await agent.get('/procedures')).status).toBe(200);
    } finally {
      await opened.close();
    }
  });

  it('verifies the audit log, and names the first broken row after tampering', async () => {
    const good = await qms(['audit-log:verify'], env);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/audit log verified: \d+ rows/);
    const db = new Database(env.DATABASE_PATH);
    db.exec('drop trigger audit_log_no_update');
    db.prepare("update audit_log set action = 'forged' where id = 2").run();
    db.close();
    const bad = await qms(['audit-log:verify'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('qms audit-log:verify: audit log broken at row 2 (hash_mismatch); 1 rows before it verified');
  });

  it('imports procedures all-or-nothing, listing the bad rows', async () => {
    const fresh = { ...env, DATABASE_PATH: join(dir, 'p.sqlite') };
    const file = join(dir, 'p.csv');
    writeFileSync(file, 'code,title,processing_days\nQT-1,Một,3\nQT-2,Hai,x\n');
    const bad = await qms(['import:procedures', file], fresh);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('1 dòng sai; chưa ghi dữ liệu nào');
    expect(bad.stderr).toContain('Dòng 3, cột processing_days: “x” không phải là số ngày làm việc (số nguyên, từ 0)');
    writeFileSync(file, 'code,title,processing_days\nQT-1,Một,3\nQT-2,Hai,4\n');
    const ok = await qms(['import:procedures', file], fresh);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('2 added');
  });

  it('backs up online with integrity and foreign-key checks, and restores only over an empty database unless forced', async () => {
    const backup = join(dir, 'backup.sqlite');
    const res = await qms(['backup', backup], { ...env, DATABASE_PATH: join(dir, 'p.sqlite') });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('integrity_check ok, foreign_key_check ok');
    expect(existsSync(backup)).toBe(true);
    const again = await qms(['backup', backup], { ...env, DATABASE_PATH: join(dir, 'p.sqlite') });
    expect(again.code).toBe(1);
    const target = { ...env, DATABASE_PATH: join(dir, 'restored.sqlite') };
    const restored = await qms(['restore', backup], target);
    expect(restored.code, restored.stderr).toBe(0);
    const db = new Database(target.DATABASE_PATH, { readonly: true });
    expect(db.prepare('select code from procedures order by code').all()).toEqual([{ code: 'QT-1' }, { code: 'QT-2' }]);
    db.close();
    const withUsers = { ...env };
    const refused = await qms(['restore', backup], withUsers);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('add --force');
  });

  it('loads the demo and ends with the command that starts the app on the same database and port', async () => {
    const database = join(dir, 'demo.sqlite');
    const res = await qms(['demo'], { ...env, DATABASE_PATH: database, PORT: '4123' });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('thuky@Demo2026');
    const last = res.stdout.trim().split('\n').pop();
    expect(last).toBe(`Demo data loaded. Start the app with \`DATABASE_PATH=${database} PORT=4123 npm start\` and sign in at http://localhost:4123/login`);
  });

  it('prints plain npm start for the defaults, and quotes what the shell would split', () => {
    expect(startCommand(loadConfig({}))).toBe('npm start');
    expect(startCommand(loadConfig({ DATABASE_PATH: 'data/qms.sqlite', PORT: '3000' }))).toBe('npm start');
    expect(startCommand(loadConfig({ PORT: '8080' }))).toBe('PORT=8080 npm start');
    expect(startCommand(loadConfig({ DATABASE_PATH: "/srv/qms data/it's.sqlite" }))).toBe(`DATABASE_PATH='/srv/qms data/it'\\''s.sqlite' npm start`);
    // Uploaded files follow the database unless FILES_PATH put them elsewhere.
    expect(startCommand(loadConfig({ DATABASE_PATH: '/srv/qms.sqlite', FILES_PATH: '/srv/files' }))).toBe('DATABASE_PATH=/srv/qms.sqlite npm start');
    expect(startCommand(loadConfig({ DATABASE_PATH: '/srv/qms.sqlite', FILES_PATH: '/var/qms-files' }))).toBe(
      'DATABASE_PATH=/srv/qms.sqlite FILES_PATH=/var/qms-files npm start',
    );
  });

  it('answers an unknown command with usage and a non-zero exit', async () => {
    const res = await spawnQms(['frobnicate'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('usage: npm run qms --');
  });
});
