import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { MIGRATIONS } from '../../src/core/db/migrations/index';
import { openConfiguredDatabase } from '../../src/core/db/open';
import { freshPostgresDatabase, onPostgres, query, type TestDatabase } from '../support/engine';
import { Client, ROOT, startCommandArgs, startServer, type ServerProcess } from '../support/server';

/**
 * `npm start` builds the server into one file (npm run build, esbuild) and runs it with plain node: no TypeScript
 * loader in production (about 30 MB less memory, a faster start). This runs the same build and the built file on a
 * new database, with the start script's node options (the heap grows by half, not fourfold, between full
 * collections: under load the server stays about 100 MB smaller at the same speed, see the README's benchmark): it
 * migrates with every migration the file carries, serves the setup page with its views and stylesheet, and stops
 * cleanly on SIGTERM. On PostgreSQL the new database is an empty one (no table at all), named by DATABASE_URL.
 */
let dir: string;
let pg: TestDatabase | undefined;
let env: Record<string, string>;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qms-start-'));
  pg = onPostgres ? await freshPostgresDatabase('template0') : undefined;
  env = { DATABASE_PATH: join(dir, 'qms.sqlite'), ...(pg ? { DATABASE_URL: pg.url } : {}) };
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'pipe' });
  server = await startServer(env.DATABASE_PATH, { NODE_ENV: 'production', ...env }, { built: true });
}, 120_000);
afterAll(async () => {
  await server?.kill('SIGKILL');
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built server (npm start)', () => {
  it("runs node with the start script's options on the built file", () => {
    expect(startCommandArgs()).toEqual(['--heap-growing-percent=50', join(ROOT, 'node_modules/.cache/qms-tracker/server.js')]);
    const cmdline = readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('--heap-growing-percent=50');
  });

  it('migrates a new database with every migration and serves the setup page, and its stylesheet', async () => {
    const client = new Client(server.port);
    const home = await client.get('/');
    expect(home.status).toBe(303);
    expect(home.location).toBe('/setup');
    const setup = await client.get('/setup');
    expect(setup.status).toBe(200);
    expect(setup.text).toContain('<html lang="vi"');
    expect(setup.text).toContain('name="_csrf"');
    expect((await client.get('/static/app.css')).status).toBe(200);

    const opened = await openConfiguredDatabase(loadConfig({ NODE_ENV: 'test', ...env }), { readonly: true });
    try {
      const { rows } = await query<{ name: string }>(opened.db, 'select name from kysely_migration order by name', []);
      expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(MIGRATIONS).sort());
    } finally {
      await opened.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
