/**
 * Where a page spends its time: runs the application in this process on a generated database, signs in, requests
 * each benchmark page a few times and prints, per page, the total time and the SQL statements that took longest
 * (with EXPLAIN QUERY PLAN for the slowest), so that slow queries can be found and indexed.
 *   npx tsx test/bench/profile.ts DB_PATH [filter]
 * With DATABASE_URL (and AUDIT_KEY_FILE) set, the application runs on that PostgreSQL database instead (a copy of
 * DB_PATH's data made by run.ts with BENCH_KEEP=1; DB_PATH still names the .bench.json), and the slowest statements
 * are shown with EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) (per-node timing costs more than the work itself on this VM: a 100,000-row count took 55 ms timed, 4 ms untimed): they are run again, so only SELECTs are explained.
 * PROFILE_MIN_MS=0 lists every statement (default: those of 0.5 ms or more); PROFILE_DUMP=DIR saves each page's HTML.
 */
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, SqliteDialect, type KyselyPlugin, type LogEvent, type QueryId, type RootOperationNode } from 'kysely';
import pg from 'pg';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/core/clock';
import { openDatabase, type Db } from '../../src/core/db/database';
import { openConfiguredDatabase } from '../../src/core/db/open';
import type { DB } from '../../src/core/db/schema';
import { BENCH_PASSWORD, type Generated } from './generate';
import { signIn } from './lib/http';
import { pagesOf } from './pages';

const [path, filter] = process.argv.slice(2);
if (!path) throw new Error('usage: tsx test/bench/profile.ts DB_PATH [filter]');
const g = JSON.parse(readFileSync(`${path}.bench.json`, 'utf8')) as Generated;
const pgUrl = process.env.DATABASE_URL;
const config = loadConfig({ ...process.env, DATABASE_PATH: path, NODE_ENV: 'production' });
let events: { sql: string; ms: number; params: readonly unknown[] }[] = [];

/** Times every statement of a PostgreSQL Kysely (its dialect has no log option): from its transformation to its result. */
function timed(db: Db): Db {
  const started = new Map<QueryId, { t0: number; node: RootOperationNode }>();
  const timer: KyselyPlugin = {
    transformQuery: (args) => {
      started.set(args.queryId, { t0: performance.now(), node: args.node });
      return args.node;
    },
    transformResult: async (args) => {
      const s = started.get(args.queryId);
      if (s) {
        started.delete(args.queryId);
        const compiled = db.getExecutor().compileQuery(s.node, args.queryId);
        events.push({ sql: compiled.sql, ms: performance.now() - s.t0, params: compiled.parameters });
      }
      return args.result;
    },
  };
  return db.withPlugin(timer);
}

const sqliteOpened = pgUrl ? undefined : openDatabase(path);
const pgOpened = pgUrl ? await openConfiguredDatabase(config) : undefined;
const explainer = pgUrl ? new pg.Client({ connectionString: pgUrl }) : undefined;
await explainer?.connect();
const db: Db = pgOpened
  ? timed(pgOpened.db)
  : new Kysely<DB>({
      dialect: new SqliteDialect({ database: sqliteOpened!.sqlite }),
      plugins: [...sqliteOpened!.db.getExecutor().plugins], // the engine and the audit key (sign-ins record audit rows)
      log: (e: LogEvent) => {
        events.push({ sql: e.query.sql, ms: e.queryDurationMillis, params: e.query.parameters });
      },
    });
const app = createApp({ config, db, sqlite: sqliteOpened?.sqlite, clock: systemClock });
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
  for (const e of [...slowest].sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.PROFILE_TOP ?? 4))) {
    if (e.ms < Number(process.env.PROFILE_MIN_MS ?? 0.5)) break;
    console.log(`  ${e.ms.toFixed(1)} ms  ${e.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
    try {
      if (explainer) {
        if (!/^\s*(select|with)\b/i.test(e.sql)) continue;
        console.log(`      params: ${JSON.stringify(e.params).slice(0, 300)}`);
        // twice: the first plans with this connection's catalog caches cold, the second is what the app's warm pool sees
        await explainer.query(`explain (analyze, buffers, timing off) ${e.sql}`, e.params as unknown[]);
        const plan = await explainer.query(`explain (analyze, buffers, timing off) ${e.sql}`, e.params as unknown[]);
        for (const p of plan.rows as { 'QUERY PLAN': string }[]) console.log(`      · ${p['QUERY PLAN']}`);
      } else {
        const plan = sqliteOpened!.sqlite.prepare(`explain query plan ${e.sql}`).all(...(e.params as unknown[])) as { detail: string }[];
        for (const p of plan) console.log(`      · ${p.detail}`);
      }
    } catch (err) {
      if (explainer) console.log(`      (not explained: ${String(err)})`);
    }
  }
}
server.close();
await explainer?.end();
await (pgOpened ?? sqliteOpened)!.close();
