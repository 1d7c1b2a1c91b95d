import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { FakeClock } from '../../src/core/clock';
import { openConfiguredDatabase, type Opened } from '../../src/core/db/open';
import { scopedDb } from '../../src/core/db/scope';
import { queueMail } from '../../src/features/notifications/notifications.outbox';
import { sendDue } from '../../src/features/notifications/notifications.sender';
import { mailTransportOf } from '../../src/features/notifications/notifications.transport';
import { extractCsrf, one, rows } from '../support/app';
import { freshPostgresDatabase, onPostgres, type TestDatabase } from '../support/engine';
import { prepareDatabase, ROOT, SERVER_PASSWORD, startServer } from '../support/server';
import { TestSmtp } from './support/smtp';

/**
 * Sender processes on one database (a SQLite file, or one PostgreSQL database): two of them deliver each message once;
 * the app's server, whose sender starts with it when SMTP_URL is set, killed (kill -9) between sending a message and
 * recording it leaves that message, and only that one, sent twice, marked, and reported on the admin's outbox page.
 */
let dir: string;
let pg: TestDatabase | undefined;
let smtp: TestSmtp;
let env: Record<string, string>;
let opened: Opened;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qms-senders-'));
  pg = onPostgres ? await freshPostgresDatabase() : undefined;
  smtp = await TestSmtp.start();
  env = {
    NODE_ENV: 'test',
    DATABASE_PATH: join(dir, 'qms.sqlite'),
    AUDIT_KEY_FILE: join(dir, 'audit.key'),
    SMTP_URL: smtp.url,
    ...(pg ? { DATABASE_URL: pg.url } : {}),
  };
  await prepareDatabase(join(dir, 'qms.sqlite'), undefined, env);
  opened = await openConfiguredDatabase(loadConfig(env));
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await opened?.close();
  await smtp?.stop();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

interface Sender {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Starts a sender process and waits until it polls. */
async function startSender(extra: Record<string, string> = {}): Promise<Sender> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/notifications/support/sender-process.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, SENDER_INTERVAL_MS: '20', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (children.delete(child), resolve())));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('sender ready')) resolve();
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    void exited.then(() => reject(new Error(`the sender exited before it was ready:\n${out}`)));
  });
  return { child, exited };
}

/** Waits until `check` holds (polling; no fixed sleep), or fails after a generous safety net. */
async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const t = () => ({ ctx: { db: opened.db } }) as Parameters<typeof rows>[0];
const QUEUED_AT = new Date('2026-11-26T02:00:00Z'); // in the past: due at once for the senders on the real clock

/** Queues `n` messages in one transaction (the senders see them all at once); their idempotency keys. */
async function queue(prefix: string, n: number): Promise<string[]> {
  const keys = Array.from({ length: n }, (_, i) => `${prefix}.${i + 1}`);
  await scopedDb(opened.db, 1)
    .transaction()
    .execute(async (trx) => {
      for (const [i, key] of keys.entries()) {
        const mail = { subject: `Thư số ${i + 1}`, text: `Nội dung ${i + 1}`, html: `<p>Nội dung ${i + 1}</p>` };
        await queueMail(
          trx,
          { kind: 'notice', userId: null, notificationId: null, to: `nguoi${i + 1}@nghiahung.gov.vn`, lang: 'vi', ...mail, idempotencyKey: key },
          QUEUED_AT,
        );
      }
    });
  return keys;
}

const received = (key: string) => smtp.withId(`<${key}@127.0.0.1>`).length;
const sentCount = async (prefix: string) => (await rows(t(), "select id from outbox where idempotency_key like ? and status = 'sent'", `${prefix}.%`)).length;

describe('sender processes', () => {
  it('deliver each message once when two of them work on one database', async () => {
    const [a, b] = await Promise.all([startSender(), startSender()]);
    const keys = await queue('two', 30);
    await until(async () => (await sentCount('two')) === 30, '30 messages sent');
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    expect(keys.map(received)).toEqual(Array(30).fill(1));
    expect(
      await rows(t(), "select attempts, possible_duplicate from outbox where idempotency_key like 'two.%' and (attempts <> 1 or possible_duplicate <> 0)"),
    ).toEqual([]);
  });

  it('send a message twice, and only that one, when a sender is killed between sending and recording it; the page reports it', async () => {
    // the app's own server: its sender starts with it when SMTP_URL is set, and waits after sending (tests only)
    const keys = await queue('kill', 3);
    const server = await startServer(join(dir, 'qms.sqlite'), { ...env, QMS_TEST_SENDER_PAUSE_MS: '600000' });
    // the sender sent its first message and now waits before recording it
    await until(() => keys.some((k) => received(k) === 1), 'the first message received');
    const first = keys.find((k) => received(k) === 1)!;
    const claimed = (await one<{ status: string; lease_until: string }>(t(), 'select status, lease_until from outbox where idempotency_key = ?', first))!;
    expect(claimed.status).toBe('sending');
    await server.kill('SIGKILL');
    expect(keys.map(received).reduce((x, y) => x + y)).toBe(1);

    // a new sender, once the lease has run out, sends it again (marked) and the others once
    const clock = new FakeClock(new Date(Date.parse(claimed.lease_until) + 1000));
    const transport = mailTransportOf(loadConfig(env))!;
    try {
      expect(await sendDue(opened.db, { transport, clock })).toEqual({ sent: 3, retrying: 0, failed: 0, duplicates: 1 });
      expect(await sendDue(opened.db, { transport, clock })).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    } finally {
      transport.close();
    }
    expect(keys.map((k) => [k, received(k)])).toEqual(keys.map((k) => [k, k === first ? 2 : 1]));
    const marked = await rows<{ idempotency_key: string }>(t(), 'select idempotency_key from outbox where possible_duplicate = 1');
    expect(marked.map((r) => r.idempotency_key)).toEqual([first]);

    const app = createApp({ config: loadConfig(env), db: opened.db, sqlite: opened.sqlite, clock });
    const admin = request.agent(app);
    const login = await admin.get('/login');
    expect(
      (
        await admin
          .post('/login')
          .type('form')
          .send({ username: 'admin', password: SERVER_PASSWORD, _csrf: extractCsrf(login.text) })
      ).status,
    ).toBe(303);
    const page = await admin.get('/admin/outbox?show=duplicate');
    expect(page.status).toBe(200);
    expect(page.text.match(/<tr data-outbox=/g)).toHaveLength(1);
    expect(page.text).toContain('Có thể đã gửi hai lần');
    expect(/data-counts="([^"]+)"/.exec(page.text)?.[1]).toBe('0,0,33,0,1');
  });
});
