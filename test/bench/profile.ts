/**
 * Where a page spends its time: runs the application in this process on a generated database, signs in, requests
 * each benchmark page a few times and prints, per page, the total time and the SQL statements that took longest
 * (with EXPLAIN QUERY PLAN for the slowest), so that slow queries can be found and indexed.
 *   npx tsx test/bench/profile.ts DB_PATH [filter]
 * PROFILE_MIN_MS=0 lists every statement (default: those of 0.5 ms or more); PROFILE_DUMP=DIR saves each page's HTML.
 */
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { openDatabase } from '../../src/core/db/database';
import type { DB } from '../../src/core/db/schema';
import { BENCH_PASSWORD, type Generated } from './generate';
import { signIn } from './lib/http';
import { pagesOf } from './pages';

const [path, filter] = process.argv.slice(2);
if (!path) throw new Error('usage: tsx test/bench/profile.ts DB_PATH [filter]');
const g = JSON.parse(readFileSync(`${path}.bench.json`, 'utf8')) as Generated;
const config = loadConfig({ DATABASE_PATH: path, NODE_ENV: 'production' });
const opened = openDatabase(path);
let events: { sql: string; ms: number; params: readonly unknown[] }[] = [];
const db = new Kysely<DB>({
  dialect: new SqliteDialect({ database: opened.sqlite }),
  plugins: [...opened.db.getExecutor().plugins], // the engine and the audit key (sign-ins record audit rows)
  log: (e: LogEvent) => {
    events.push({ sql: e.query.sql, ms: e.queryDurationMillis, params: e.query.parameters });
  },
});
const app = createApp({ config, db, sqlite: opened.sqlite, clock: systemClock });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const cookies: Record<string, string> = {};
for (const [role, username] of Object.entries(g.users)) cookies[role] = await signIn(base, username, BENCH_PASSWORD);

for (const page of pagesOf(g)) {
  if (filter && !page.name.toLowerCase().includes(filter.toLowerCase())) continue;
  const times: number[] = [];
  let slowest: typeof events = [];
  for (let i = 0; i < 4; i++) {
    events = [];
    const t0 = performance.now();
    const res = await fetch(`${base}${page.path}`, { headers: { cookie: cookies[page.role] } });
    const body = await res.text();
    if (process.env.PROFILE_DUMP) writeFileSync(join(process.env.PROFILE_DUMP, `${page.name.replace(/[^a-z0-9]+/gi, '-')}.html`), body);
    times.push(performance.now() - t0);
    if (res.status !== 200) console.log(`  HTTP ${res.status}`);
    slowest = events;
  }
  const sqlMs = slowest.reduce((s, e) => s + e.ms, 0);
  console.log(`\n## ${page.name}: ${times.map((t) => t.toFixed(1)).join(' / ')} ms; last run ${slowest.length} statements, ${sqlMs.toFixed(1)} ms in SQL`);
  for (const e of [...slowest].sort((a, b) => b.ms - a.ms).slice(0, 4)) {
    if (e.ms < Number(process.env.PROFILE_MIN_MS ?? 0.5)) break;
    console.log(`  ${e.ms.toFixed(1)} ms  ${e.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
    try {
      const plan = opened.sqlite.prepare(`explain query plan ${e.sql}`).all(...(e.params as unknown[])) as { detail: string }[];
      for (const p of plan) console.log(`      · ${p.detail}`);
    } catch {
      /* not explainable */
    }
  }
}
server.close();
await opened.close();
