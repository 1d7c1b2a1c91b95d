/**
 * Standalone benchmark of the API's dossier pushes (not run by npm test):
 *   npx tsx test/bench/api.ts            SQLite, then PostgreSQL on BENCH_PG_URL (postgres://postgres@127.0.0.1:55432/postgres)
 *   BENCH_ENGINES=sqlite npx tsx test/bench/api.ts
 * For each engine: a fresh demo database (`qms demo`; PostgreSQL: a new database `qms_api_bench_<pid>`, dropped at the
 * end), a token with dossiers:write written as a row, the real server as `npm start` runs it (built, production) on
 * loopback, then
 *   1. PUT /api/v1/dossiers/{code}: 1,000 sequential requests after 50 of warm-up, alternately a new dossier and an
 *      update of the one before (returned_at added); latency measured by the client, p50 / p95 / p99;
 *   2. POST /api/v1/dossiers:batch of 5,000 new dossiers, 5 runs, each timed by the client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { newToken } from '../../src/features/api/api.tokens.model';
import { startAppServer } from './lib/server';
import { run } from './lib/proc';

const ROOT = join(import.meta.dirname, '..', '..');
const PUTS = 1000;
const WARMUP = 50;
const BATCH = 5000;
const RUNS = 5;
const pgServerUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');

/** The organisation's local date (Asia/Ho_Chi_Minh, UTC+7) `days` before today. */
const localDay = (days: number) => new Date(Date.now() + 7 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
const PROCEDURES = ['QT-BTXH-01', 'QT-BTXH-04', 'QT-TE-01', 'QT-NCC-01', 'QT-NCC-02'];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * One request, timed from before it is sent to the end of its answer, on one kept-alive connection (node:http: the
 * client shares the machine's two cores with the server and the database, and costs less of them than fetch).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function timed(url: string, init: { method?: string; headers: Record<string, string>; body?: string }): Promise<{ ms: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const headers = init.body === undefined ? init.headers : { ...init.headers, 'Content-Length': String(Buffer.byteLength(init.body)) };
    const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

interface Engine {
  label: string;
  env: Record<string, string>;
  addToken: (hash: string, prefix: string) => Promise<void>;
  drop: () => Promise<void>;
}

async function prepare(kind: string, dir: string): Promise<Engine> {
  const keyFile = join(dir, `${kind}.audit.key`);
  if (kind === 'sqlite') {
    const path = join(dir, 'qms.sqlite');
    return {
      label: 'SQLite',
      env: { DATABASE_PATH: path, AUDIT_KEY_FILE: keyFile },
      addToken: async (hash, prefix) => {
        const db = new Database(path);
        db.prepare(
          `insert into api_tokens (organisation_id, name, prefix, token_hash, scopes, rate_limit, expires_on, created_at) values (1, 'Bench', ?, ?, 'dossiers:write', 100000, '2099-12-31', ?)`,
        ).run(prefix, hash, new Date().toISOString());
        db.close();
      },
      drop: async () => {},
    };
  }
  const name = `qms_api_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgServerUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgServerUrl);
  url.pathname = `/${name}`;
  return {
    label: `PostgreSQL (${name})`,
    env: { DATABASE_URL: url.toString(), DATABASE_PATH: join(dir, 'unused.sqlite'), AUDIT_KEY_FILE: keyFile, AUDIT_HEAD_FILE: join(dir, `${name}.audit-head`) },
    addToken: async (hash, prefix) => {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      await c.query(
        `insert into api_tokens (organisation_id, name, prefix, token_hash, scopes, rate_limit, expires_on, created_at) values (1, 'Bench', $1, $2, 'dossiers:write', 100000, '2099-12-31', $3)`,
        [prefix, hash, new Date().toISOString()],
      );
      await c.end();
    },
    drop: async () => {
      const again = new pg.Client({ connectionString: pgServerUrl });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

async function bench(kind: string, dir: string): Promise<void> {
  const engine = await prepare(kind, dir);
  try {
    let t0 = performance.now();
    const demo = await run(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'demo'], { ...engine.env, NODE_ENV: 'test' }, ROOT);
    if (demo.code !== 0) throw new Error(`demo failed: ${demo.stderr || demo.stdout}`);
    console.log(`${engine.label}: demo loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const made = newToken();
    await engine.addToken(made.hash, made.prefix);
    const server = await startAppServer(
      ROOT,
      engine.env,
      41000 + (process.pid % 1000) * 2 + (kind === 'sqlite' ? 0 : 1),
      process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [],
    );
    try {
      const headers = { Authorization: `Bearer ${made.token}`, 'Content-Type': 'application/json' };
      const put = (code: string, body: object) => timed(`${server.base}/api/v1/dossiers/${code}`, { method: 'PUT', headers, body: JSON.stringify(body) });
      const dossier = (i: number, returned: boolean) => ({
        procedure_code: PROCEDURES[i % PROCEDURES.length],
        received_at: `${localDay(3)}T08:${String(i % 60).padStart(2, '0')}:00+07:00`,
        ...(returned ? { returned_at: localDay(1) } : {}),
        channel: 'online',
      });
      // The baseline: what every API request costs before any operation (token lookup, rate limit, use log), on an unknown path (404).
      const base: number[] = [];
      for (let i = 0; i < WARMUP + 300; i++) {
        const r = await timed(`${server.base}/api/v1/nothing`, { headers });
        if (r.status !== 404) throw new Error(`baseline: ${r.status}`);
        if (i >= WARMUP) base.push(r.ms);
      }
      base.sort((a, b) => a - b);
      console.log(
        `${engine.label}: baseline GET /api/v1/nothing (authentication and use log only) × 300: p50 ${percentile(base, 50).toFixed(1)} ms, p99 ${percentile(base, 99).toFixed(1)} ms`,
      );
      const latencies: number[] = [];
      let clientCpu = process.cpuUsage();
      for (let i = 0; i < WARMUP + PUTS; i++) {
        if (i === WARMUP) clientCpu = process.cpuUsage();
        // even: a new dossier; odd: the one before, now returned (an update)
        const n = i - (i % 2);
        const r = await put(`BENCH-PUT-${n}`, dossier(n, i % 2 === 1));
        const expected = i % 2 === 0 ? 201 : 200;
        if (r.status !== expected) throw new Error(`PUT ${i}: ${r.status} ${r.body}`);
        if (i >= WARMUP) latencies.push(r.ms);
      }
      latencies.sort((a, b) => a - b);
      const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(latencies, p).toFixed(1));
      console.log(
        `${engine.label}: PUT × ${PUTS} (new/update alternately): p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
      );
      const used = process.cpuUsage(clientCpu);
      console.log(`${engine.label}: the client's own CPU per PUT: ${((used.user + used.system) / PUTS / 1000).toFixed(2)} ms`);

      const runs: string[] = [];
      for (let run = 0; run < RUNS; run++) {
        const items = Array.from({ length: BATCH }, (_, i) => ({ code: `BENCH-B${run}-${String(i).padStart(5, '0')}`, ...dossier(i, i % 3 === 0) }));
        t0 = performance.now();
        const r = await timed(`${server.base}/api/v1/dossiers:batch`, { method: 'POST', headers, body: JSON.stringify({ items }) });
        if (r.status !== 200) throw new Error(`batch ${run}: ${r.status} ${r.body.slice(0, 500)}`);
        const created = (JSON.parse(r.body) as { created: number }).created;
        if (created !== BATCH) throw new Error(`batch ${run}: ${r.body}`);
        runs.push(`${(r.ms / 1000).toFixed(2)} s`);
      }
      console.log(`${engine.label}: batch of ${BATCH} new dossiers, ${RUNS} runs: ${runs.join(', ')}`);
    } finally {
      await server.stop();
    }
  } finally {
    await engine.drop();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'qms-api-bench-'));
  try {
    for (const kind of engines) await bench(kind, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
