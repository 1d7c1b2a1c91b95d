import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, onPostgres, type TestDatabase } from '../support/engine';
import { Client, prepareDatabase, SERVER_PASSWORD, startServer, type ServerProcess } from '../support/server';

/**
 * Two app processes on one database (a province's deployment on PostgreSQL; on SQLite, two processes on one file):
 * what one writes, the other shows at once; sessions, sign-in throttling and CSRF tokens hold across them; a stale
 * edit gets its 409 whichever process saved first; record numbers stay gap-free when both create at once.
 */
let dir: string;
let pg: TestDatabase | undefined;
let a: ServerProcess;
let b: ServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qms-two-'));
  pg = onPostgres ? await freshPostgresDatabase() : undefined;
  env = pg ? { DATABASE_URL: pg.url, AUDIT_KEY_FILE: join(dir, 'audit.key') } : { AUDIT_KEY_FILE: join(dir, 'audit.key') };
  await prepareDatabase(join(dir, 'qms.sqlite'), undefined, env);
  [a, b] = await Promise.all([startServer(join(dir, 'qms.sqlite'), env), startServer(join(dir, 'qms.sqlite'), env)]);
});

afterAll(async () => {
  await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const ncFields = (title: string) => ({
  title,
  description: 'Hồ sơ không có phiếu kiểm soát quá trình.',
  source: 'other',
  severity: 'minor',
  detected_on: '2026-12-01',
});

async function signedIn(server: ServerProcess, username: string): Promise<Client> {
  const client = new Client(server.port);
  await client.signIn(username, SERVER_PASSWORD);
  return client;
}

describe('two app processes on one database', () => {
  it('shows in one process what the other wrote, and a session made in one works in the other', async () => {
    const viaA = await signedIn(a, 'qualityofficer');
    const created = await viaA.post('/nonconformities', ncFields('Ghi qua tiến trình A'));
    expect(created.status).toBe(303);
    const path = created.location!;
    viaA.moveTo(b.port); // the same cookie, now answered by the other process
    const shown = await viaA.get(path);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Ghi qua tiến trình A');
    // the CSRF token A issued is accepted by B (it is kept with the session, in the database)
    const version = /name="version" value="(\d+)"/.exec((await viaA.get(`${path}/edit`)).text)![1];
    const edited = await viaA.post(path, { ...ncFields('Sửa qua tiến trình B'), version });
    expect(edited.status).toBe(303);
    viaA.moveTo(a.port);
    expect((await viaA.get(path)).text).toContain('Sửa qua tiến trình B');
  });

  it('gives the later of two edits a 409, whichever process saved first', async () => {
    const first = await signedIn(a, 'qualityofficer');
    const created = await first.post('/nonconformities', ncFields('Tiêu đề ban đầu'));
    const path = created.location!;
    const second = await signedIn(b, 'admin');
    const version = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];
    const [formA, formB] = [await first.get(`${path}/edit`), await second.get(`${path}/edit`)];
    const saved = await first.post(path, { ...ncFields('Sửa qua A'), version: version(formA.text) });
    expect(saved.status).toBe(303);
    const stale = await second.post(path, { ...ncFields('Sửa qua B'), version: version(formB.text) });
    expect(stale.status).toBe(409);
    const page = await second.get(path);
    expect(page.text).toContain('Sửa qua A');
    expect(page.text).not.toContain('Sửa qua B');
  });

  it('numbers records created at the same moment through both processes without a gap or a repeat', async () => {
    const [viaA, viaB] = [await signedIn(a, 'qualityofficer'), await signedIn(b, 'qualityofficer')];
    const codesOn = async (client: Client) => new Set((await client.get('/nonconformities')).text.match(/NC-\d{4}-\d{3}/g) ?? []);
    const existing = await codesOn(viaA);
    expect(existing.size).toBe(2);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? viaA : viaB).post('/nonconformities', ncFields(`Đua số hiệu ${i}`))));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(303));
    expect(new Set(answers.map((r) => r.location)).size).toBe(12);
    // 2 NCs made by the tests above, then 12: NC-yyyy-001 … NC-yyyy-014, every number once, seen alike by both
    // (the year is the servers' current year: they run on the real clock)
    const year = [...existing][0].slice(3, 7);
    const expected = Array.from({ length: 14 }, (_, i) => `NC-${year}-${String(i + 1).padStart(3, '0')}`);
    expect([...(await codesOn(viaA))].sort()).toEqual(expected);
    expect([...(await codesOn(viaB))].sort()).toEqual(expected);
  });

  it("shows the organisation's settings saved through one process on the other's next page, signed in or not", async () => {
    // Every request reads the settings (with the session when it has a cookie, alone otherwise): nothing is kept in a process.
    const admin = await signedIn(a, 'admin');
    const reader = await signedIn(b, 'staff');
    const visitor = new Client(b.port);
    const brand = async (client: Client) => /<span class="brand-org">([^<]*)<\/span>/.exec((await client.get('/login')).text)?.[1];
    expect(/<span class="brand-org">([^<]*)<\/span>/.exec((await reader.get('/account/password')).text)?.[1]).toBe('Phòng Lao động - Thương binh và Xã hội');
    expect(await brand(visitor)).toBe('Phòng Lao động - Thương binh và Xã hội');
    const version = /name="version" value="(\d+)"/.exec((await admin.get('/admin/organisation')).text)![1];
    const saved = await admin.post('/admin/organisation', { name: 'Phòng Tư pháp', time_zone: 'Asia/Ho_Chi_Minh', version });
    expect(saved.status).toBe(303);
    expect(/<span class="brand-org">([^<]*)<\/span>/.exec((await reader.get('/account/password')).text)?.[1]).toBe('Phòng Tư pháp');
    expect(await brand(visitor)).toBe('Phòng Tư pháp');
  });

  it('counts failed sign-ins across processes: the sixth, on the other process, answers 429', async () => {
    for (let i = 0; i < 5; i++) {
      const client = new Client(i % 2 === 0 ? a.port : b.port);
      await client.get('/login').then((page) => (client.csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]));
      expect((await client.post('/login', { username: 'leader', password: 'sai mật khẩu rồi' })).status).toBe(401);
    }
    const last = new Client(b.port);
    last.csrf = /name="_csrf" value="([^"]+)"/.exec((await last.get('/login')).text)![1];
    expect((await last.post('/login', { username: 'leader', password: SERVER_PASSWORD })).status).toBe(429);
  });
});
