/**
 * Where the server spends CPU under load: starts the real server with --cpu-prof, loads one benchmark page with
 * autocannon (10 connections, BENCH_SECONDS s) as its role, stops the server and prints the functions with the most
 * self time (by function and by file). Complements profile.ts, which shows SQL.
 *   npx tsx test/bench/cpu-profile.ts DB_PATH page-filter
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCH_PASSWORD, type Generated } from './generate';
import { signIn } from './lib/http';
import { load } from './lib/load';
import { startProcess } from './lib/server';
import { pagesOf } from './pages';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
  startTime: number;
}

const [path, filter] = process.argv.slice(2);
if (!path || !filter) throw new Error('usage: tsx test/bench/cpu-profile.ts DB_PATH page-filter');
const ROOT = resolve(import.meta.dirname, '..', '..');
const g = JSON.parse(readFileSync(`${path}.bench.json`, 'utf8')) as Generated;
const page = pagesOf(g).find((p) => p.name.toLowerCase().includes(filter.toLowerCase()));
if (!page) throw new Error(`no page matches ${filter}`);
const dir = mkdtempSync(join(tmpdir(), 'qms-cpuprof-'));
const port = 40_000 + Math.floor(Math.random() * 10_000);
const server = await startProcess(
  ROOT,
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', 'src/server.ts'],
  { DATABASE_PATH: path, NODE_ENV: 'production' },
  port,
  /listening on/,
);
const username = g.users[page.role];
if (!username) throw new Error(`no user for role ${page.role} in the database's .bench.json`);
const cookie = await signIn(server.base, username, BENCH_PASSWORD);
const loadStarted = performance.now();
const r = await load(`${server.base}${page.path}`, cookie, { connections: 10, seconds: Number(process.env.BENCH_SECONDS ?? 5), pid: server.pid });
console.log(
  `${page.name}: ${Math.round(r.bytes / 1024)} kB, ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, RSS ${Math.round(r.maxRssKb / 1024)} MB`,
);
await server.stop();
const windowUs = (performance.now() - loadStarted) * 1000;
await new Promise((done) => setTimeout(done, 1000));
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => join(dir, f))
  .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
// Only the samples of the load (the last windowUs of the profile), not start-up's quick_check and migrations.
let at = prof.startTime;
const from = prof.endTime - windowUs;
prof.samples.forEach((id, i) => {
  at += prof.timeDeltas[i] ?? 0;
  if (at >= from) self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const sum = (key: (n: Node) => string) => {
  const m = new Map<string, number>();
  for (const [id, us] of self) {
    const k = key(byId.get(id)!);
    m.set(k, (m.get(k) ?? 0) + us);
  }
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, 25);
};
const short = (url: string) => url.replace(`file://${ROOT}/`, '').replace(/^.*node_modules\//, 'nm/');
console.log('\n# self time by function');
for (const [k, us] of sum((n) => `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`))
  console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
console.log('\n# self time by file');
for (const [k, us] of sum((n) => short(n.callFrame.url) || n.callFrame.functionName)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
