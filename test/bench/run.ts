/**
 * npm run bench — the province-scale benchmark (not part of npm test).
 * 1. Generates the large database in a temporary folder (test/bench/generate.ts); BENCH_SCALE=0.05 for a quick run.
 * 2. Starts the real server (as `npm start` does, loopback) and the bare Express + Handlebars ceiling; signs in once
 *    per role and loads every page with autocannon (BENCH_SECONDS each, BENCH_CONNECTIONS connections), sampling
 *    the server's RSS. Each page's first request is timed alone, then the page is loaded unmeasured for
 *    BENCH_WARMUP_SECONDS (default 2): its code compiled and its statements prepared, so the figure is the page's
 *    steady state, as the ceiling's (run before) is. A list page is then loaded in turns with the ceiling
 *    (BENCH_ROUNDS rounds of BENCH_SECONDS/2 s each, the order swapped every round) and its ratio is to the ceiling
 *    of those turns: the machine's speed drifts by up to half within a run.
 * 3. Times the backup command on the large database, then imports a 1,000,000-row dossier CSV into it with the
 *    real CLI (rows/s, peak RSS from /proc/<pid>/status VmHWM).
 * BENCH_ENGINES=sqlite,postgres runs every phase on both engines with the same data: the generated SQLite database
 * is copied into a fresh database on BENCH_PG_URL's server with the app's own `qms db:copy` (timed), and the server,
 * backup and import run there with DATABASE_URL. The ceiling is always the bare page on the SQLite file.
 * Prints one markdown table per engine. BENCH_DB=path reuses a database generated earlier (kept with BENCH_KEEP=1);
 * BENCH_ONLY=http,backup,import picks phases; BENCH_PAGES=leader,nc list picks pages by name (comma-separated parts).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { writeDossierCsv } from '../dossiers/generate';
import { BENCH_PASSWORD, benchOrganisations, generateDatabase, type Generated } from './generate';
import { probe, settle, signIn } from './lib/http';
import { interleaved, load, type LoadResult } from './lib/load';
import { parentOf, run, treeCpuMicrosOf } from './lib/proc';
import { int, load1, machine, markdownTable, mb, type Row } from './lib/report';
import { startAppServer, startProcess } from './lib/server';
import { pagesOf } from './pages';

const ROOT = resolve(import.meta.dirname, '..', '..');
const scale = Number(process.env.BENCH_SCALE ?? 1);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const phases = new Set((process.env.BENCH_ONLY ?? 'http,backup,import').split(','));
type EngineName = 'sqlite' | 'postgres';
const engineNames = (process.env.BENCH_ENGINES ?? 'sqlite').split(',').map((e) => e.trim()) as EngineName[];
for (const e of engineNames) if (e !== 'sqlite' && e !== 'postgres') throw new Error(`BENCH_ENGINES: unknown engine ${e} (sqlite, postgres)`);
const pgServerUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const PG_BIN = process.env.PGBIN ?? '/usr/lib/postgresql/15/bin';

/** The targets of each engine (README "Targets"; PostgreSQL's from issue 21). */
const TARGETS: Record<EngineName, { listRatio: number; afterChange: boolean; rssKb?: number; importRate: number; importPeakKb?: number }> = {
  sqlite: { listRatio: 0.4, afterChange: true, rssKb: 250 * 1024, importRate: 50_000, importPeakKb: 300 * 1024 },
  postgres: { listRatio: 0.25, afterChange: false, importRate: 20_000 },
};

/** One engine's pass: how the server and the CLI reach its database, and a writer for the after-change phase. */
interface Engine {
  name: EngineName;
  label: string;
  /** Environment of the server and the CLI (undefined: removed). */
  env: Record<string, string | undefined>;
  /** PostgreSQL's CPU time (postmaster and backends), when the server runs on this machine. */
  dbCpu?: () => number | undefined;
  writer(): Promise<Writer>;
  rows: Row[];
}

/** Changes one dossier and one nonconformity from another connection, as the CLI would. */
interface Writer {
  busyDossier(code: string): Promise<number>;
  ncIds(): Promise<number[]>;
  change(dossier: number, nc: number): Promise<void>;
  close(): Promise<void>;
}

function sqliteWriter(path: string): Writer {
  const writer = new Database(path);
  writer.pragma('busy_timeout = 10000');
  return {
    busyDossier: async (code) =>
      writer
        .prepare(`select d.id from dossiers d join procedures p on p.id = d.procedure_id where p.organisation_id = 1 and p.code = ? order by d.id desc limit 1`)
        .pluck()
        .get(code) as number,
    ncIds: async () =>
      writer.prepare('select id from nonconformities where organisation_id = 1 and procedure_id is not null order by id limit 50').pluck().all() as number[],
    change: async (dossier, nc) => {
      writer.prepare(`update dossiers set channel = case channel when 'direct' then 'postal' else 'direct' end where id = ?`).run(dossier);
      writer.prepare(`update nonconformities set title = title where id = ?`).run(nc);
    },
    close: async () => void writer.close(),
  };
}

async function postgresWriter(url: string): Promise<Writer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    busyDossier: async (code) =>
      Number(
        (
          await client.query(
            `select d.id from dossiers d join procedures p on p.id = d.procedure_id where p.organisation_id = 1 and p.code = $1 order by d.id desc limit 1`,
            [code],
          )
        ).rows[0].id,
      ),
    ncIds: async () =>
      (await client.query('select id from nonconformities where organisation_id = 1 and procedure_id is not null order by id limit 50')).rows.map(
        (r: { id: string | number }) => Number(r.id),
      ),
    change: async (dossier, nc) => {
      await client.query(`update dossiers set channel = case channel when 'direct' then 'postal' else 'direct' end where id = $1`, [dossier]);
      await client.query(`update nonconformities set title = title where id = $1`, [nc]);
    },
    close: () => client.end(),
  };
}

/**
 * The generated database copied into a fresh PostgreSQL database on BENCH_PG_URL's server with `qms db:copy` (one
 * transaction, row counts and audit chain verified), then VACUUM (ANALYZE): what autovacuum would do on its own in the
 * first minutes, done before the measurements rather than during them.
 */
async function preparePostgres(g: Generated, common: Row[]): Promise<{ engine: Engine; drop: () => Promise<void> }> {
  const name = `qms_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: pgServerUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const version = (await admin.query('show server_version')).rows[0].server_version as string;
  const settings = (
    await admin.query(
      `select name, setting, unit from pg_settings where name in ('shared_buffers', 'effective_cache_size', 'fsync', 'synchronous_commit', 'full_page_writes', 'max_connections', 'max_wal_size') order by name`,
    )
  ).rows as { name: string; setting: string; unit: string | null }[];
  const postmaster = parentOf(Number((await admin.query('select pg_backend_pid() as pid')).rows[0].pid));
  await admin.end();
  const url = new URL(pgServerUrl);
  url.pathname = `/${name}`;
  const keyFile = join(dirname(g.path), 'audit.key');
  log(`copying the database to PostgreSQL ${version} (${url.host}/${name})`);
  const copied = await run(
    join(ROOT, 'node_modules/.bin/tsx'),
    ['src/cli.ts', 'db:copy', '--to', url.toString()],
    { DATABASE_PATH: g.path, DATABASE_URL: undefined, AUDIT_KEY_FILE: keyFile },
    ROOT,
  );
  if (copied.code !== 0) throw new Error(`db:copy failed: ${copied.stderr || copied.stdout}`);
  log(copied.stdout.trim().split('\n')[0] ?? '');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const t0 = performance.now();
  await client.query('vacuum (analyze)');
  const vacuumSeconds = (performance.now() - t0) / 1000;
  const size = Number((await client.query('select pg_database_size(current_database()) as n')).rows[0].n);
  await client.end();
  const shown = settings.map((s) => `${s.name}=${s.setting}${s.unit && s.unit !== '' ? ` ${s.unit}` : ''}`).join(', ');
  common.push({
    name: `Copy to PostgreSQL ${version} (qms db:copy: every table in one transaction, row counts and audit chain verified); server: ${shown}; the app connects through ${url.searchParams.get('host')?.startsWith('/') ? 'the Unix socket' : 'TCP'}`,
    throughput: `${copied.seconds.toFixed(0)} s`,
    memory: `${mb(copied.peakKb)} peak`,
    target: '',
  });
  common.push({
    name: 'VACUUM (ANALYZE) of the copied database, before the measurements',
    throughput: `${vacuumSeconds.toFixed(0)} s`,
    memory: `${int(size / 2 ** 20)} MB database`,
    target: '',
  });
  const env = {
    DATABASE_URL: url.toString(),
    DATABASE_PATH: g.path,
    AUDIT_KEY_FILE: keyFile,
    // the PostgreSQL database's own audit head, apart from the SQLite file's
    AUDIT_HEAD_FILE: join(dirname(g.path), `${name}.audit-head`),
    PATH: `${PG_BIN}:${process.env.PATH ?? ''}`,
  };
  return {
    engine: {
      name: 'postgres',
      label: `PostgreSQL ${version}`,
      env,
      dbCpu: postmaster ? () => treeCpuMicrosOf(postmaster) : undefined,
      writer: () => postgresWriter(url.toString()),
      rows: [],
    },
    drop: async () => {
      const c = new pg.Client({ connectionString: pgServerUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
const log = (line: string) => console.error(line);

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });

async function httpPhase(g: Generated, engine: Engine, results: Record<string, unknown>): Promise<void> {
  const rows = engine.rows;
  const target = TARGETS[engine.name];
  log(`pages on ${engine.label}`);
  const env = Object.fromEntries(Object.entries(engine.env).filter((e): e is [string, string] => e[1] !== undefined));
  const app = await startAppServer(ROOT, env, await freePort());
  log(`server listening after ${int(app.startupMs)} ms`);
  rows.push({ name: 'Start-up (spawn → listening, quick_check included)', throughput: `${int(app.startupMs)} ms`, target: '' });
  const ceiling = await startProcess(
    ROOT,
    join(ROOT, 'node_modules/.bin/tsx'),
    ['test/bench/ceiling.ts'],
    { DATABASE_PATH: g.path },
    await freePort(),
    /ceiling listening/,
  );
  let maxRss = 0;
  try {
    const cookies: Partial<Record<keyof Generated['users'], string>> = {};
    for (const [role, username] of Object.entries(g.users) as [keyof Generated['users'], string][])
      cookies[role] = await signIn(app.base, username, BENCH_PASSWORD);
    const base = await load(`${ceiling.base}/ceiling?procedure=1`, undefined, { connections, seconds, pid: ceiling.pid });
    log(`ceiling: ${int(base.rps)} req/s`);
    // The machine's speed drifts during a run (by up to half on a shared VM): a list page is compared with the
    // ceiling loaded in turns with it (below); the other pages with this one.
    const localCeilings: Record<string, number> = {};
    rows.push({
      name: 'Ceiling: bare Express + Handlebars, 50 rows, one indexed query',
      throughput: `${int(base.rps)} req/s`,
      p50: base.p50,
      p99: base.p99,
      ratio: 1,
      cpuUs: base.cpuUsPerRequest,
      target: '',
    });
    const measured: Record<string, LoadResult> = { ceiling: base };
    const only = process.env.BENCH_PAGES?.toLowerCase().split(',');
    const runs = pagesOf(g)
      .filter((page) => !only || only.some((o) => page.name.toLowerCase().includes(o)))
      .flatMap((page) => [{ ...page, connections }, ...(page.single ? [{ ...page, name: `${page.name} (1 connection)`, connections: 1, list: false }] : [])]);
    const firstMs = new Map<string, number>();
    for (const page of runs) {
      // A page's first request (nothing of it compiled or prepared yet) is timed alone and shown beside its name;
      // then the warm-up, then the measurement of the steady state.
      const first =
        page.connections === connections && !firstMs.has(`${page.role} ${page.path}`) ? await probe(`${app.base}${page.path}`, cookies[page.role]) : undefined;
      if (first) firstMs.set(`${page.role} ${page.path}`, first.ms);
      if (warmupSeconds > 0) await load(`${app.base}${page.path}`, cookies[page.role], { connections: page.connections, seconds: warmupSeconds });
      await settle(app.base);
      // A list page is loaded in turns with the ceiling: a ceiling measured only before the page would compare the
      // two at different speeds of the machine.
      const pageUrl = `${app.base}${page.path}`;
      const both = page.list
        ? await interleaved(
            { url: pageUrl, cookie: cookies[page.role], pid: app.pid, dbCpu: engine.dbCpu },
            { url: `${ceiling.base}/ceiling?procedure=1`, pid: ceiling.pid },
            { connections, seconds: seconds / 2, rounds },
          )
        : undefined;
      const r = both?.page ?? (await load(pageUrl, cookies[page.role], { connections: page.connections, seconds, pid: app.pid, dbCpu: engine.dbCpu }));
      const localRun = both?.ceiling ?? base;
      const local = localRun.rps;
      if (page.list) localCeilings[page.name] = local;
      measured[page.name] = r;
      maxRss = Math.max(maxRss, r.maxRssKb);
      const ratio = r.rps / local;
      const bad = r.status !== 200 || r.non2xx > 0 || r.errors > 0;
      const targets: string[] = [];
      let met: boolean | undefined;
      if (page.list) {
        targets.push(`≥ ${Math.round(target.listRatio * 100)} % of ceiling`);
        met = ratio >= target.listRatio;
      }
      const p99Target = page.p99Targets?.[engine.name];
      if (p99Target) {
        targets.push(`p99 < ${p99Target} ms`);
        met = (met ?? true) && r.p99 < p99Target;
      }
      if (page.coldTargetMs && first) {
        targets.push(`first request < ${int(page.coldTargetMs)} ms`);
        met = (met ?? true) && first.status === 200 && first.ms < page.coldTargetMs;
      }
      const cpu = (x: LoadResult) =>
        (x.cpuUsPerRequest === undefined ? '?' : `${int(x.cpuUsPerRequest)} µs`) +
        (x.dbCpuUsPerRequest === undefined ? '' : ` + database ${int(x.dbCpuUsPerRequest)} µs`);
      log(
        `${engine.name} ${page.name}: ${r.status} ${int(r.bytes / 1024)} kB, ${int(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, server CPU ${cpu(r)}/request${page.list ? `; ceiling in turns with it ${int(local)} req/s, ${cpu(localRun)}/request` : ''}`,
      );
      rows.push({
        name: page.name,
        throughput:
          r.status === 0
            ? 'no answer within 120 s'
            : bad
              ? `HTTP ${r.status}${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}${r.errors ? `, ${r.errors} errors` : ''}`
              : `${int(r.rps)} req/s${page.list ? ` (ceiling in turns: ${int(local)} req/s${localRun.cpuUsPerRequest === undefined ? '' : `, ${int(localRun.cpuUsPerRequest)} µs/req`})` : ''}`,
        p50: bad ? undefined : r.p50,
        p99: bad ? undefined : r.p99,
        ratio: bad ? undefined : ratio,
        cpuUs: bad ? undefined : r.cpuUsPerRequest,
        dbCpuUs: bad ? undefined : r.dbCpuUsPerRequest,
        memory: `${int(r.bytes / 1024)} kB page`,
        target: targets.join(', '),
        met: bad ? false : met,
        note: first ? `first request: ${int(first.ms)} ms` : undefined,
      });
    }
    results[`pages_${engine.name}`] = measured;
    results[`localCeilings_${engine.name}`] = localCeilings;
    await afterChangePhase(g, engine, app.base, cookies);
  } finally {
    await ceiling.stop();
    await app.stop();
  }
  rows.push({
    name: 'Server RSS under load (max VmRSS during all runs)',
    throughput: '',
    memory: mb(maxRss),
    target: target.rssKb ? `< ${target.rssKb / 1024} MB` : '',
    met: target.rssKb ? maxRss < target.rssKb : undefined,
  });
}

/**
 * The first request of each page after a change: AFTER_CHANGE_SAMPLES times, one dossier of the busy procedure and
 * one nonconformity change (written by another connection, as the CLI would), then the page is requested once,
 * alone. Target: p99 < 300 ms, the summary of every procedure < 1.5 s.
 */
const AFTER_CHANGE_SAMPLES = Number(process.env.BENCH_AFTER_CHANGE_SAMPLES ?? 10);

async function afterChangePhase(g: Generated, engine: Engine, base: string, cookies: Partial<Record<keyof Generated['users'], string>>): Promise<void> {
  const rows = engine.rows;
  const writer = await engine.writer();
  const dossier = await writer.busyDossier(g.busyProcedure.code);
  const ncs = await writer.ncIds();
  const seen = new Set<string>();
  try {
    for (const page of pagesOf(g)) {
      if (seen.has(page.path + page.role)) continue;
      seen.add(page.path + page.role);
      const times: number[] = [];
      for (let i = 0; i < AFTER_CHANGE_SAMPLES; i++) {
        await writer.change(dossier, ncs[i % ncs.length]);
        times.push((await probe(`${base}${page.path}`, cookies[page.role])).ms);
      }
      times.sort((a, b) => a - b);
      const p99 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)];
      const limit = page.afterChangeTargetMs ?? (page.name.startsWith('All-procedures summary, all') ? 1500 : 300);
      const checked = TARGETS[engine.name].afterChange;
      log(`${engine.name} after a change, ${page.name}: p50 ${int(times[Math.floor(times.length / 2)])} ms, p99 ${int(p99)} ms`);
      rows.push({
        name: `First request after a change: ${page.name}`,
        throughput: `${AFTER_CHANGE_SAMPLES} changes`,
        p50: Math.round(times[Math.floor(times.length / 2)]),
        p99: Math.round(p99),
        target: checked ? `p99 < ${limit} ms` : '',
        met: checked ? p99 < limit : undefined,
      });
    }
  } finally {
    await writer.close();
  }
}

async function backupPhase(g: Generated, engine: Engine, dir: string): Promise<void> {
  const rows = engine.rows;
  if (engine.name === 'postgres') return backupPostgres(engine, dir);
  const file = join(dir, 'backup.sqlite');
  rmSync(file, { force: true });
  const size = statSync(g.path).size;
  const ran = await run(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'backup', file], engine.env, ROOT);
  if (ran.code !== 0) throw new Error(`backup failed: ${ran.stderr || ran.stdout}`);
  const t0 = performance.now();
  const copy = join(dir, 'backup-copy-only.sqlite');
  rmSync(copy, { force: true });
  const source = new Database(g.path, { readonly: true });
  await source.backup(copy);
  source.close();
  const copySeconds = (performance.now() - t0) / 1000;
  rows.push({
    name: 'Backup (qms backup: copy + integrity, foreign-key and audit-chain checks)',
    throughput: `${ran.seconds.toFixed(1)} s`,
    memory: `${int(statSync(file).size / 2 ** 20)} MB file`,
    target: '',
  });
  rows.push({ name: 'Backup, online copy only', throughput: `${copySeconds.toFixed(1)} s`, memory: `${int(size / 2 ** 20)} MB database`, target: '' });
  for (const f of [file, `${file}.manifest.json`, copy]) rmSync(f, { force: true });
}

/**
 * `qms backup` with DATABASE_URL (pg_dump, then the same checks on a copy restored from it), when the command
 * supports PostgreSQL; otherwise the rows say it was not measured, and why.
 */
async function backupPostgres(engine: Engine, dir: string): Promise<void> {
  const file = join(dir, 'backup.pgdump');
  rmSync(file, { force: true });
  log('backup on PostgreSQL');
  const ran = await run(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'backup', file], engine.env, ROOT);
  if (ran.code !== 0) {
    const why =
      (ran.stderr || ran.stdout)
        .trim()
        .split('\n')
        .find((l) => l.trim() !== '') ?? `exit code ${ran.code}`;
    log(`backup on PostgreSQL failed: ${ran.stderr || ran.stdout}`);
    engine.rows.push({
      name: `Backup (qms backup with DATABASE_URL): not measured, the command failed: ${why.replace(/\|/g, '/').slice(0, 200)}`,
      throughput: '—',
      target: '',
    });
  } else {
    engine.rows.push({
      name: 'Backup (qms backup with DATABASE_URL: pg_dump, custom format, then the same checks on a restored copy)',
      throughput: `${ran.seconds.toFixed(1)} s`,
      memory: existsSync(file) ? `${int(statSync(file).size / 2 ** 20)} MB file` : '',
      target: '',
    });
  }
  engine.rows.push({ name: 'Backup, online copy only', throughput: '— (SQLite only)', target: '' });
  for (const f of [file, `${file}.manifest.json`]) rmSync(f, { force: true });
}

/** The CSV of the import phase, written once and imported into each engine. */
async function importCsv(g: Generated, dir: string): Promise<{ csv: string; count: number; org: string[] }> {
  const count = Math.max(20_000, Math.round(1_000_000 * scale));
  const csv = join(dir, 'dossiers-import.csv');
  const db = new Database(g.path, { readonly: true });
  // organisation 1's procedures (the import's), and with several organisations its code for --org
  const codes = db.prepare('select code from procedures where organisation_id = 1 order by id limit 300').pluck().all() as string[];
  const org = (g.organisations ?? 1) > 1 ? ['--org', db.prepare('select code from organisation where id = 1').pluck().get() as string] : [];
  db.close();
  await writeDossierCsv(csv, count, codes, 'IMP');
  return { csv, count, org };
}

async function importPhase(engine: Engine, csv: string, count: number, org: string[]): Promise<void> {
  const rows = engine.rows;
  const target = TARGETS[engine.name];
  // The 120 MB just written would otherwise be flushed to disk during the import, which then waits on that writeback.
  execFileSync('sync');
  log(`import on ${engine.label}`);
  const ran = await run(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'import:dossiers', ...org, csv], engine.env, ROOT);
  if (ran.code !== 0) throw new Error(`import failed: ${ran.stderr || ran.stdout}`);
  const rate = count / ran.seconds;
  log(`import: ${ran.stdout.trim().split('\n').slice(-1)[0]}`);
  rows.push({
    name: `Dossier import, ${int(count)}-row CSV into the large database (qms import:dossiers, whole command)`,
    throughput: `${int(rate)} rows/s`,
    memory: `${mb(ran.peakKb)} peak`,
    target: `≥ ${int(target.importRate)} rows/s${target.importPeakKb ? `, < ${target.importPeakKb / 1024} MB` : ''}`,
    met: rate >= target.importRate && (!target.importPeakKb || ran.peakKb < target.importPeakKb),
  });
}

async function main(): Promise<void> {
  const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'qms-bench-'));
  const common: Row[] = [];
  const loadBefore = load1();
  const results: Record<string, unknown> = { machine: machine(), scale, seconds, connections, engines: engineNames };
  let g: Generated;
  if (process.env.BENCH_DB) {
    g = JSON.parse(readFileSync(`${process.env.BENCH_DB}.bench.json`, 'utf8')) as Generated;
    if (process.env.BENCH_DB !== g.path) copyFileSync(process.env.BENCH_DB, g.path);
  } else {
    log(`generating the database (scale ${scale}, ${benchOrganisations()} organisation(s)) in ${dir}`);
    g = await generateDatabase(join(dir, 'qms.sqlite'), scale, log, benchOrganisations());
    writeFileSync(`${g.path}.bench.json`, JSON.stringify(g, null, 2));
  }
  const size = statSync(g.path).size;
  common.push({
    name: `Generate (SQLite): ${Object.entries(g.counts)
      .map(([k, v]) => `${int(v)} ${k}`)
      .join(', ')}${(g.organisations ?? 1) > 1 ? `, spread over ${int(g.organisations!)} organisations under a province` : ''}`,
    throughput: `${g.seconds.toFixed(0)} s`,
    memory: `${int(size / 2 ** 20)} MB`,
    target: '',
  });
  const engines: Engine[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const loads: string[] = [];
  const mark = (what: string) => {
    loads.push(`${load1()} ${what}`);
    log(`load average ${load1()} ${what}`);
  };
  try {
    // Both engines get the same data: the copy is made before any phase writes into the SQLite file.
    for (const name of engineNames) {
      if (name === 'sqlite')
        engines.push({
          name,
          label: 'SQLite',
          env: { DATABASE_PATH: g.path, DATABASE_URL: undefined },
          writer: async () => sqliteWriter(g.path),
          rows: [],
        });
      else {
        const prepared = await preparePostgres(g, common);
        engines.push(prepared.engine);
        if (!process.env.BENCH_KEEP) cleanups.push(prepared.drop);
        else log(`PostgreSQL database kept: ${prepared.engine.env.DATABASE_URL}`);
      }
    }
    for (const engine of engines) {
      if (!phases.has('http')) break;
      mark(`before the pages on ${engine.label}`);
      await httpPhase(g, engine, results);
    }
    for (const engine of engines) {
      if (!phases.has('backup')) break;
      mark(`before the backup on ${engine.label}`);
      await backupPhase(g, engine, dir);
    }
    if (phases.has('import')) {
      const { csv, count, org } = await importCsv(g, dir);
      for (const engine of engines) {
        mark(`before the import on ${engine.label}`);
        await importPhase(engine, csv, count, org);
      }
      rmSync(csv, { force: true });
    }
  } finally {
    const tables = engines.map((e) => `### ${e.label}\n\n${markdownTable(e.rows)}`).join('\n\n');
    const text =
      `Machine: ${machine()}; load average ${loadBefore} at the start, ${load1()} at the end` +
      `${loads.length ? ` (${loads.join('; ')})` : ''}.\nScale ${scale}; ${seconds} s per page, ${connections} connections.\n\n` +
      `${markdownTable(common)}\n\n${tables}\n`;
    console.log(text);
    writeFileSync(join(tmpdir(), 'qms-bench-last.md'), text);
    writeFileSync(
      join(tmpdir(), 'qms-bench-last.json'),
      JSON.stringify({ ...results, common, rows: Object.fromEntries(engines.map((e) => [e.name, e.rows])) }, null, 2),
    );
    for (const cleanup of cleanups) await cleanup().catch((err: unknown) => log(`could not drop the PostgreSQL database: ${String(err)}`));
    if (!process.env.BENCH_KEEP && !process.env.BENCH_DB && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    else log(`database kept: ${g.path}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
