import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertProcedure } from '../../src/features/procedures/procedures.queries';
import { writeDossierCsv } from '../dossiers/generate';
import { onPostgres } from '../support/engine';
import { createTestApp, rows, type TestApp } from '../support/app';
import { extractCsrf } from '../support/app';
import { prepareDatabase, ROOT, SERVER_PASSWORD, startServer, type ServerProcess } from '../support/server';

/**
 * Large imports while the server runs (issue 19, point 5). A CLI import of a million dossiers holds SQLite's write lock
 * for its one transaction: the server's writes used to wait for it synchronously (better-sqlite3's busy timeout blocks
 * the event loop) — pages froze up to 49 s — and then answered 500 "database is locked". A 600,000-row web import ran
 * on the event loop and blocked every user for 7.6 s. Now, during either import: every read is answered (WAL: readers
 * do not wait for the writer), every write either succeeds or gets a 503 with Retry-After in the user's language, and
 * every acknowledged write is there at the end. No assertion depends on time (durations are only printed): that a
 * read was answered while the import held the lock is shown by the writes on either side of it, both refused with 503
 * (one transaction holds it throughout).
 * Also point 11: a full disk is a 503 that says so, and the log names it.
 */
const CLI_ROWS = 500_000;
const WEB_ROWS = 150_000;
const CODES = ['QT-L-01', 'QT-L-02', 'QT-L-03', 'QT-L-04'];
const READS = ['/', '/procedures', '/dossiers', '/dossiers/imports', '/nonconformities'];

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A browser-like client with its own cookies; answers with their headers. */
class Browser {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly port: number) {}

  request(method: 'GET' | 'POST', path: string, body?: { type: string; length: number; stream: Readable }): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Connection: 'close' };
      if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      if (body) {
        headers['Content-Type'] = body.type;
        headers['Content-Length'] = String(body.length);
      }
      const req = httpRequest({ host: '127.0.0.1', port: this.port, method, path, headers, agent: false }, (res) => {
        for (const line of res.headers['set-cookie'] ?? []) {
          const [pair] = line.split(';');
          const at = pair.indexOf('=');
          if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body) body.stream.pipe(req);
      else req.end();
    });
  }

  get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  post(path: string, fields: Record<string, string>): Promise<Answer> {
    const text = new URLSearchParams({ _csrf: this.csrf, ...fields }).toString();
    return this.request('POST', path, {
      type: 'application/x-www-form-urlencoded',
      length: Buffer.byteLength(text),
      stream: Readable.from([Buffer.from(text)]),
    });
  }

  /** A multipart upload of a file from disk, the token first, as the page's form sends it. */
  upload(path: string, field: string, file: string, name: string): Promise<Answer> {
    const boundary = `----qms${Date.now()}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${this.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const stream = Readable.from(
      (async function* () {
        yield head;
        yield* createReadStream(file);
        yield tail;
      })(),
    );
    return this.request('POST', path, { type: `multipart/form-data; boundary=${boundary}`, length: head.length + statSync(file).size + tail.length, stream });
  }

  async signIn(username: string): Promise<void> {
    this.csrf = extractCsrf((await this.get('/login')).text);
    const res = await this.post('/login', { username, password: SERVER_PASSWORD });
    if (res.status !== 303) throw new Error(`sign-in as ${username} answered ${res.status}`);
    this.csrf = extractCsrf((await this.get('/account/password')).text);
  }
}

interface Exchange {
  kind: 'read' | 'write';
  what: string;
  status: number;
  retryAfter: string | undefined;
  text: string;
  start: number;
  end: number;
  /** For the record only (printed, never asserted): how long the answer took. */
  ms: number;
}

/**
 * Reads (one client) and writes (another: a new procedure each time) in two loops until `done()`; every exchange with
 * its order in time (a counter, not a clock).
 */
async function traffic(reader: Browser, writer: Browser, done: () => boolean, prefix: string): Promise<Exchange[]> {
  let tick = 0;
  const log: Exchange[] = [];
  const readLoop = async () => {
    for (let i = 0; !done(); i++) {
      const what = READS[i % READS.length];
      const start = ++tick;
      const began = performance.now();
      const res = await reader.get(what);
      log.push({ kind: 'read', what, status: res.status, retryAfter: undefined, text: res.text, start, end: ++tick, ms: performance.now() - began });
    }
  };
  const writeLoop = async () => {
    for (let i = 1; !done(); i++) {
      const what = `${prefix}-${String(i).padStart(4, '0')}`;
      const start = ++tick;
      const began = performance.now();
      const res = await writer.post('/procedures', { code: what, title: `Quy trình ghi khi đang nhập ${i}`, online_level: 'none' });
      const retryAfter = res.headers['retry-after'];
      const ms = performance.now() - began;
      log.push({
        kind: 'write',
        what,
        status: res.status,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
        text: res.text,
        start,
        end: ++tick,
        ms,
      });
    }
  };
  await Promise.all([readLoop(), writeLoop()]);
  return log.sort((a, b) => a.start - b.start);
}

/** Reads answered entirely between two writes refused with 503: answered while the import held the write lock. */
function readsDuringLock(log: Exchange[]): Exchange[] {
  const writes = log.filter((e) => e.kind === 'write');
  return log.filter((r) => {
    if (r.kind !== 'read') return false;
    const before = writes.filter((w) => w.end < r.start).at(-1);
    const after = writes.find((w) => w.start > r.end);
    return before?.status === 503 && after?.status === 503;
  });
}

function expectWellBehaved(log: Exchange[]): void {
  const reads = log.filter((e) => e.kind === 'read');
  const writes = log.filter((e) => e.kind === 'write');
  expect(reads.length).toBeGreaterThan(0);
  expect(reads.filter((r) => r.status !== 200).map((r) => `${r.what} → ${r.status}`)).toEqual([]);
  expect(writes.filter((w) => w.status !== 303 && w.status !== 503).map((w) => `${w.what} → ${w.status}: ${w.text.slice(0, 300)}`)).toEqual([]);
  for (const w of writes.filter((x) => x.status === 503)) {
    expect(Number(w.retryAfter)).toBeGreaterThan(0);
    expect(w.text).toContain('Cơ sở dữ liệu đang bận'); // the user's language (vi)
  }
}

function counts(log: Exchange[]) {
  const of = (kind: string, status: number) => log.filter((e) => e.kind === kind && e.status === status).length;
  const slowest = (kind: string) => Math.round(Math.max(0, ...log.filter((e) => e.kind === kind).map((e) => e.ms)));
  return {
    reads: of('read', 200),
    written: of('write', 303),
    refused: of('write', 503),
    readsDuringLock: readsDuringLock(log).length,
    slowestReadMs: slowest('read'),
    slowReads: log
      .filter((e) => e.kind === 'read' && e.ms > 500)
      .map((e) => `${e.what} ${Math.round(e.ms)}ms #${e.start}${readsDuringLock(log).includes(e) ? ' (lock)' : ''}`),
    slowestWriteMs: slowest('write'),
  };
}

let dir: string;
let databasePath: string;
let server: ServerProcess;
let reader: Browser;
let writer: Browser;
let cliFile: string;
let webFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qms-import-load-'));
  databasePath = join(dir, 'qms.sqlite');
  cliFile = join(dir, 'ho-so-cli.csv');
  webFile = join(dir, 'ho-so-web.csv');
  await prepareDatabase(databasePath, async (opened, at) => {
    for (const [i, code] of CODES.entries()) {
      await insertProcedure(
        opened.db,
        { code, title: code, field: '', national_code: null, processing_days: 3 + i * 5, online_level: 'none', unit_id: null, on_time_target: 1 },
        at,
      );
    }
  });
  await Promise.all([writeDossierCsv(cliFile, CLI_ROWS, CODES, 'CLI'), writeDossierCsv(webFile, WEB_ROWS, CODES, 'WEB')]);
  server = await startServer(databasePath);
  reader = new Browser(server.port);
  writer = new Browser(server.port);
  await reader.signIn('leader');
  await writer.signIn('qualityofficer');
}, 300_000);

afterAll(async () => {
  await server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What the database holds, read by a connection of its own. */
function inDatabase<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(databasePath, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function expectAcknowledgedWritesKept(log: Exchange[]): void {
  const codes = new Set(inDatabase((db) => (db.prepare("select code from procedures where code like 'QT-W%'").all() as { code: string }[]).map((r) => r.code)));
  const writes = log.filter((e) => e.kind === 'write');
  expect(writes.filter((w) => w.status === 303 && !codes.has(w.what)).map((w) => w.what)).toEqual([]); // nothing lost
}

/** Runs a `qms` command against the test database; its exit code and output. */
function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', DATABASE_PATH: databasePath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  cli.stdout.on('data', (c: Buffer) => (output += c.toString()));
  cli.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => cli.once('exit', (code) => resolve({ code, output })));
}

describe(`a CLI import of ${CLI_ROWS.toLocaleString('en')} dossiers while the server runs`, () => {
  it('leaves every read answered, every write done or refused with 503 + Retry-After, and nothing lost', async () => {
    let running = true;
    const cli = runCli(['import:dossiers', cliFile]).finally(() => (running = false));
    const log = await traffic(reader, writer, () => !running, 'QT-WC');
    const { code, output } = await cli;
    expect(code, output).toBe(0);
    expect(output).toContain(`${CLI_ROWS} rows — ${CLI_ROWS} added`);
    console.info('CLI import under load:', counts(log));

    expectWellBehaved(log);
    // The writes overlapped the import's transaction (some were refused) and reads were answered inside it.
    expect(counts(log).refused).toBeGreaterThan(0);
    expect(counts(log).readsDuringLock).toBeGreaterThan(0);
    expect(inDatabase((db) => db.prepare("select count(*) as n from dossiers where code like 'CLI-%'").get())).toEqual({ n: CLI_ROWS });
    expectAcknowledgedWritesKept(log);
    // After the import, writes go through again.
    expect((await writer.post('/procedures', { code: 'QT-WC-AFTER', title: 'Sau khi nhập', online_level: 'none' })).status).toBe(303);
  }, 240_000);
});

describe(`a web import of ${WEB_ROWS.toLocaleString('en')} dossiers`, () => {
  it('runs beside other users: their reads are answered while it writes, their writes get 503 or go through', async () => {
    const importer = new Browser(server.port);
    await importer.signIn('qualityofficer');
    let running = true;
    const upload = importer.upload('/dossiers/import', 'file', webFile, 'hồ sơ web.csv').finally(() => (running = false));
    const log = await traffic(reader, writer, () => !running, 'QT-WW');
    const answer = await upload;
    expect(answer.status, answer.text.slice(0, 500)).toBe(303);
    expect(answer.headers.location).toBe('/dossiers/imports');
    console.info('web import under load:', counts(log));

    expectWellBehaved(log);
    // The import wrote in its worker, on its own connection: the server's connection was refused the lock (503) while
    // the server, free, kept answering reads. On the event loop, the import would have held up reads and writes alike.
    expect(counts(log).refused).toBeGreaterThan(0);
    expect(counts(log).readsDuringLock).toBeGreaterThan(0);
    expect(inDatabase((db) => db.prepare("select count(*) as n from dossiers where code like 'WEB-%'").get())).toEqual({ n: WEB_ROWS });
    const recorded = inDatabase((db) => db.prepare("select id, via, rows_added, imported_by from dossier_imports where via = 'upload'").all());
    expect(recorded).toEqual([{ id: expect.any(Number), via: 'upload', rows_added: WEB_ROWS, imported_by: expect.any(Number) }]);
    const [{ id }] = recorded as { id: number }[];
    expect(inDatabase((db) => db.prepare("select action from audit_log where entity = 'dossier_import' and entity_id = ?").all(String(id)))).toEqual([
      { action: 'import' },
    ]);
    expectAcknowledgedWritesKept(log);
    // Both imports wrote their audit entries on their own connections, each in its import's transaction: the trail holds.
    const verify = await runCli(['audit-log:verify']);
    expect(verify.code, verify.output).toBe(0);
  }, 240_000);
});

describe('a full disk', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  // SQLite only: the full disk is simulated with the file's max_page_count; PostgreSQL's disk_full (53100) is mapped
  // by the same error handler (isDiskFull) but cannot be provoked from a test without filling the server's disk.
  it.skipIf(onPostgres)('answers 503 saying so, logs "disk full", writes nothing, and works again once there is room', async () => {
    const qo = await t.signIn('quality_officer');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const pages = Number(t.ctx.sqlite!.pragma('page_count', { simple: true }));
    t.ctx.sqlite!.pragma(`max_page_count = ${pages}`); // the database cannot grow by a page: SQLITE_FULL
    const statuses: number[] = [];
    let full: { status: number; text: string; code: string } | undefined;
    let logged = '';
    try {
      for (let i = 0; i < 200 && !full; i++) {
        const code = `QT-FULL-${String(i).padStart(3, '0')}`;
        const res = await qo.post('/procedures', { code, title: `Quy trình ${'dài '.repeat(100)}`, online_level: 'none' });
        statuses.push(res.status);
        if (res.status !== 303) full = { status: res.status, text: res.text, code };
      }
    } finally {
      logged = error.mock.calls.map((args) => args.map(String).join(' ')).join('\n');
      error.mockRestore();
      t.ctx.sqlite!.pragma('max_page_count = 4294967294');
    }
    expect(full, `statuses: ${statuses.join(',')}`).toBeDefined();
    expect(full!.status).toBe(503);
    expect(full!.text).toContain('Ổ đĩa của máy chủ đã đầy');
    expect(statuses.filter((s) => s !== 303 && s !== 503)).toEqual([]);
    expect(logged).toContain('disk full');
    expect(logged).not.toContain('cannot rollback');
    expect(await rows(t, 'select code from procedures where code = ?', full!.code)).toEqual([]);
    const again = await qo.post('/procedures', { code: full!.code, title: 'Có chỗ trở lại', online_level: 'none' });
    expect(again.status).toBe(303);
  });
});
