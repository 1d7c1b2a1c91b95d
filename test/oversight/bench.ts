/**
 * Times /oversight on a generated province (npx tsx test/bench/generate.ts PATH 1 120, then
 * npx tsx test/oversight/bench.ts PATH [runs]): the first request (cold), then warm runs (p50, p90, p99), then the
 * exports and the print view, as the province's inspector. Not a vitest file: run by hand.
 */
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { openConfiguredDatabase } from '../../src/core/db/open';
import { BENCH_PASSWORD, type Generated } from '../bench/generate';
import { signIn } from '../bench/lib/http';

const [path, runsText] = process.argv.slice(2);
const g = JSON.parse(readFileSync(`${path}.bench.json`, 'utf8')) as Generated;
const config = loadConfig({ ...process.env, DATABASE_PATH: path, NODE_ENV: 'production' });
const opened = await openConfiguredDatabase(config);
const app = createApp({ config, db: opened.db, sqlite: (opened as { sqlite?: never }).sqlite, clock: systemClock });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const who = g.users.inspector ?? g.users.province_admin!;
const cookie = await signIn(base, who, BENCH_PASSWORD);
const get = async (p: string) => {
  const t0 = performance.now();
  const res = await fetch(`${base}${p}`, { headers: { cookie } });
  const body = await res.text();
  return { ms: performance.now() - t0, status: res.status, rows: (body.match(/<tr data-code=/g) ?? []).length };
};
const cold = await get('/oversight');
console.log(`as ${who}: cold ${cold.ms.toFixed(1)} ms, status ${cold.status}, ${cold.rows} rows`);
const times: number[] = [];
for (let i = 0; i < Number(runsText ?? 200); i++) times.push((await get(i % 4 === 3 ? '/oversight?sort=on_time_rate&dir=desc&problems=1' : '/oversight')).ms);
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)].toFixed(1);
console.log(`warm ${times.length} runs: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);
for (const p of ['/oversight.csv', '/oversight.xlsx', '/oversight/print']) {
  const r = await get(p);
  console.log(`${p}: ${r.ms.toFixed(1)} ms, status ${r.status}`);
}
server.close();
await opened.close();
