import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../../src/core/security/passwords';
import { loadConfig } from '../../src/config';
import { migrateToLatest } from '../../src/core/db/migrate';
import { openConfiguredDatabase, type Opened } from '../../src/core/db/open';
import { scopedDb } from '../../src/core/db/scope';
import { insertOrganisation } from '../../src/features/organisation/organisation.queries';
import { insertUnit } from '../../src/features/units/units.queries';
import { insertUser } from '../../src/features/users/users.queries';
import { extractCsrf } from './app';
import { freshSqliteFile } from './engine';

/**
 * The real server as a child process (`node --import tsx src/server.ts`: one process, so SIGKILL really
 * kills the server and not only a wrapper), plain HTTP clients with their own cookies, and the CLI.
 */
export const ROOT = process.cwd();
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Servers still running when the test process ends (a timed-out test skips its finally) are killed with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * What `npm start` runs after `npm run build`: node with the start script's own options (heap tuning) and the server
 * built into one file, read from package.json so that tests and the benchmark run exactly what users run.
 */
export function startCommandArgs(root = ROOT): string[] {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  const command = /&& node ((?:--\S+ )*)(\S+\.js)$/.exec(start);
  if (!command) throw new Error(`the start script is not "… && node [options] file.js": ${start}`);
  return [...command[1].split(' ').filter(Boolean), join(root, command[2])];
}

export async function startServer(databasePath: string, env: Record<string, string> = {}, options: { built?: boolean } = {}): Promise<ServerProcess> {
  // PORT=0: the server listens on a port the system chooses and says which; a port picked here and bound later by the
  // child could be taken meanwhile by another test file's server
  let port = 0;
  const child = spawn(process.execPath, options.built ? startCommandArgs() : ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: databasePath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? -1 : null));
    }),
  );
  await new Promise<void>((resolve, reject) => {
    // a safety net: the server starts in a few seconds, more with TypeScript loaded by tsx on a busy machine
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${out}`)), 180_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (listening) {
        port = Number(listening[1]);
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    port,
    child,
    exited,
    output: () => out,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface HttpAnswer {
  status: number;
  location?: string;
  text: string;
}

/** A browser-like client of one server: its own session cookie and CSRF token, no keep-alive (a killed server leaves no dead sockets). */
export class Client {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(public port: number) {}

  request(method: 'GET' | 'POST', path: string, body?: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Connection: 'close' };
      if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      if (body !== undefined) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const req = httpRequest({ host: '127.0.0.1', port: this.port, method, path, headers, agent: false }, (res) => {
        for (const line of res.headers['set-cookie'] ?? []) {
          const [pair] = line.split(';');
          const [name, ...rest] = pair.split('=');
          const value = rest.join('=');
          if (value) this.cookies.set(name.trim(), value);
          else this.cookies.delete(name.trim());
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  get(path: string): Promise<HttpAnswer> {
    return this.request('GET', path);
  }

  post(path: string, fields: Record<string, string | string[]>): Promise<HttpAnswer> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    params.append('_csrf', this.csrf);
    return this.request('POST', path, params.toString());
  }

  async signIn(username: string, password: string): Promise<void> {
    this.csrf = extractCsrf((await this.get('/login')).text);
    const res = await this.post('/login', { username, password });
    if (res.status !== 303) throw new Error(`sign-in as ${username} answered ${res.status}`);
    await this.refreshCsrf();
  }

  async refreshCsrf(): Promise<void> {
    this.csrf = extractCsrf((await this.get('/account/password')).text);
  }

  /** Points the client at a restarted server (the session lives in the database, so it carries over). */
  moveTo(port: number): void {
    this.port = port;
  }
}

export const SERVER_PASSWORD = 'mật khẩu kiểm thử đủ dài';

/**
 * A migrated database with the organisation, two units and one user per role (username = role without _): the SQLite
 * file at `databasePath`, or the PostgreSQL database `env.DATABASE_URL` names (its audit key beside `databasePath`).
 * Pass the server the same `env`. `extra` gets the database with a handle that works for that organisation.
 */
export async function prepareDatabase(
  databasePath: string,
  extra?: (opened: Opened, at: string) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: databasePath, ...env });
  if (!config.databaseUrl && !existsSync(databasePath)) await freshSqliteFile(databasePath);
  const opened = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(opened.db);
    const at = new Date().toISOString();
    const seed = scopedDb(opened.db, 1);
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
    const unit = await insertUnit(seed, { code: 'LĐTBXH', name: 'Phòng LĐTBXH' }, at);
    const hash = await hashPassword(SERVER_PASSWORD);
    for (const role of ['admin', 'quality_officer', 'leader', 'staff'] as const) {
      await insertUser(
        seed,
        { username: role.replace('_', ''), full_name: `Người dùng ${role}`, role, unit_id: unit, email: null, position_title: null, password_hash: hash },
        at,
      );
    }
    await extra?.({ ...opened, db: seed }, at); // the seed's organisation
  } finally {
    await opened.close();
  }
}
