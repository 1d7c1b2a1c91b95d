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
 * Prints one markdown table. BENCH_DB=path reuses a database generated earlier (kept with BENCH_KEEP=1);
 * BENCH_ONLY=http,backup,import picks phases; BENCH_PAGES=leader,nc list picks pages by name (comma-separated parts).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { writeDossierCsv } from '../dossiers/generate';
import { BENCH_PASSWORD, generateDatabase, type Generated } from './generate';
import { probe, settle, signIn } from './lib/http';
import { interleaved, load, type LoadResult } from './lib/load';
import { run } from './lib/proc';
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
const log = (line: string) => console.error(line);

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });

async function httpPhase(g: Generated, rows: Row[], results: Record<string, unknown>): Promise<void> {
  const app = await startAppServer(ROOT, g.path, await freePort());
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
            { url: pageUrl, cookie: cookies[page.role], pid: app.pid },
            { url: `${ceiling.base}/ceiling?procedure=1`, pid: ceiling.pid },
            { connections, seconds: seconds / 2, rounds },
          )
        : undefined;
      const r = both?.page ?? (await load(pageUrl, cookies[page.role], { connections: page.connections, seconds, pid: app.pid }));
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
        targets.push('≥ 40 % of ceiling');
        met = ratio >= 0.4;
      }
      if (page.p99Target) {
        targets.push(`p99 < ${page.p99Target} ms`);
        met = (met ?? true) && r.p99 < page.p99Target;
      }
      const cpu = (x: LoadResult) => (x.cpuUsPerRequest === undefined ? '?' : `${int(x.cpuUsPerRequest)} µs`);
      log(
        `${page.name}: ${r.status} ${int(r.bytes / 1024)} kB, ${int(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, server CPU ${cpu(r)}/request${page.list ? `; ceiling in turns with it ${int(local)} req/s, ${cpu(localRun)}/request` : ''}`,
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
        memory: `${int(r.bytes / 1024)} kB page`,
        target: targets.join(', '),
        met: bad ? false : met,
        note: first ? `first request: ${int(first.ms)} ms` : undefined,
      });
    }
    results.pages = measured;
    results.localCeilings = localCeilings;
    await afterChangePhase(g, app.base, cookies, rows);
  } finally {
    await ceiling.stop();
    await app.stop();
  }
  rows.push({ name: 'Server RSS under load (max VmRSS during all runs)', throughput: '', memory: mb(maxRss), target: '< 250 MB', met: maxRss < 250 * 1024 });
}

/**
 * The first request of each page after a change: AFTER_CHANGE_SAMPLES times, one dossier of the busy procedure and
 * one nonconformity change (written by another connection, as the CLI would), then the page is requested once,
 * alone. Target: p99 < 300 ms, the summary of every procedure < 1.5 s.
 */
const AFTER_CHANGE_SAMPLES = Number(process.env.BENCH_AFTER_CHANGE_SAMPLES ?? 10);

async function afterChangePhase(g: Generated, base: string, cookies: Partial<Record<keyof Generated['users'], string>>, rows: Row[]): Promise<void> {
  const writer = new Database(g.path);
  writer.pragma('busy_timeout = 10000');
  const dossier = writer
    .prepare(`select d.id from dossiers d join procedures p on p.id = d.procedure_id where p.code = ? order by d.id desc limit 1`)
    .pluck()
    .get(g.busyProcedure.code) as number;
  const ncs = writer.prepare('select id from nonconformities where procedure_id is not null order by id limit 50').pluck().all() as number[];
  const seen = new Set<string>();
  try {
    for (const page of pagesOf(g)) {
      if (seen.has(page.path + page.role)) continue;
      seen.add(page.path + page.role);
      const times: number[] = [];
      for (let i = 0; i < AFTER_CHANGE_SAMPLES; i++) {
        writer.prepare(`update dossiers set channel = case channel when 'direct' then 'postal' else 'direct' end where id = ?`).run(dossier);
        writer.prepare(`update nonconformities set title = title where id = ?`).run(ncs[i % ncs.length]);
        times.push((await probe(`${base}${page.path}`, cookies[page.role])).ms);
      }
      times.sort((a, b) => a - b);
      const p99 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)];
      const limit = page.name.startsWith('All-procedures summary, all') ? 1500 : 300;
      log(`after a change, ${page.name}: p50 ${int(times[Math.floor(times.length / 2)])} ms, p99 ${int(p99)} ms`);
      rows.push({
        name: `First request after a change: ${page.name}`,
        throughput: `${AFTER_CHANGE_SAMPLES} changes`,
        p50: Math.round(times[Math.floor(times.length / 2)]),
        p99: Math.round(p99),
        target: `p99 < ${limit} ms`,
        met: p99 < limit,
      });
    }
  } finally {
    writer.close();
  }
}

async function backupPhase(g: Generated, dir: string, rows: Row[]): Promise<void> {
  const file = join(dir, 'backup.sqlite');
  rmSync(file, { force: true });
  const size = statSync(g.path).size;
  const ran = await run(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'backup', file], { DATABASE_PATH: g.path }, ROOT);
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
  rmSync(file, { force: true });
  rmSync(copy, { force: true });
}

async function importPhase(g: Generated, dir: string, rows: Row[]): Promise<void> {
  const count = Math.max(20_000, Math.round(1_000_000 * scale));
  const csv = join(dir, 'dossiers-import.csv');
  const db = new Database(g.path, { readonly: true });
  const codes = db.prepare('select code from procedures order by id limit 300').pluck().all() as string[];
  db.close();
  await writeDossierCsv(csv, count, codes, 'IMP');
  // The 120 MB just written would otherwise be flushed to disk during the import, which then waits on that writeback.
  execFileSync('sync');
  const ran = await run(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'import:dossiers', csv], { DATABASE_PATH: g.path }, ROOT);
  if (ran.code !== 0) throw new Error(`import failed: ${ran.stderr || ran.stdout}`);
  const rate = count / ran.seconds;
  log(`import: ${ran.stdout.trim().split('\n').slice(-1)[0]}`);
  rows.push({
    name: `Dossier import, ${int(count)}-row CSV into the large database (qms import:dossiers, whole command)`,
    throughput: `${int(rate)} rows/s`,
    memory: `${mb(ran.peakKb)} peak`,
    target: '≥ 50,000 rows/s, < 300 MB',
    met: rate >= 50_000 && ran.peakKb < 300 * 1024,
  });
  rmSync(csv, { force: true });
}

async function main(): Promise<void> {
  const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'qms-bench-'));
  const rows: Row[] = [];
  const loadBefore = load1();
  const results: Record<string, unknown> = { machine: machine(), scale, seconds, connections };
  let g: Generated;
  if (process.env.BENCH_DB) {
    g = JSON.parse(readFileSync(`${process.env.BENCH_DB}.bench.json`, 'utf8')) as Generated;
    if (process.env.BENCH_DB !== g.path) copyFileSync(process.env.BENCH_DB, g.path);
  } else {
    log(`generating the database (scale ${scale}) in ${dir}`);
    g = await generateDatabase(join(dir, 'qms.sqlite'), scale, log);
    writeFileSync(`${g.path}.bench.json`, JSON.stringify(g, null, 2));
  }
  const size = statSync(g.path).size;
  rows.push({
    name: `Generate: ${Object.entries(g.counts)
      .map(([k, v]) => `${int(v)} ${k}`)
      .join(', ')}`,
    throughput: `${g.seconds.toFixed(0)} s`,
    memory: `${int(size / 2 ** 20)} MB`,
    target: '',
  });
  try {
    if (phases.has('http')) await httpPhase(g, rows, results);
    if (phases.has('backup')) await backupPhase(g, dir, rows);
    if (phases.has('import')) await importPhase(g, dir, rows);
  } finally {
    const table = markdownTable(rows);
    const text = `Machine: ${machine()}; load average ${loadBefore} at the start, ${load1()} at the end.\nScale ${scale}; ${seconds} s per page, ${connections} connections.\n\n${table}\n`;
    console.log(text);
    writeFileSync(join(tmpdir(), 'qms-bench-last.md'), text);
    writeFileSync(join(tmpdir(), 'qms-bench-last.json'), JSON.stringify({ ...results, rows }, null, 2));
    if (!process.env.BENCH_KEEP && !process.env.BENCH_DB && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    else log(`database kept: ${g.path}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
