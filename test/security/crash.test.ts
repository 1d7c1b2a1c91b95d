import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { verify } from '../../src/core/audit-log/audit-log';
import { systemClock } from '../../src/core/clock';
import { kyselyOver } from '../../src/core/db/database';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { parseForms } from '../support/html';
import { onPostgres } from '../support/engine';
import { Client, prepareDatabase, SERVER_PASSWORD, startServer, type ServerProcess } from '../support/server';
import { auditRowsWithMarker, calibrate, CREATORS, fillMarker, tablesWithMarker, type Creator } from '../support/streams';

/**
 * Crash safety: the real server, a stream of writes from several signed-in users (creations through every
 * creator form that exists, and edits of one procedure), SIGKILL at a random moment, restart, and check:
 * every write acknowledged with 303 is there; nothing is half-written (each record carrying a request's
 * marker has its audit-log row and each audit-log row of ours has its record); an acknowledged edit is not
 * lost; integrity_check and foreign_key_check are clean; the audit-log chain verifies.
 *
 * The moment of the kill is a count, not a time: each iteration kills the server right after a random number (1 to
 * 12, at least one an edit) of acknowledged writes, while the other streams' requests are still in flight, so every iteration has
 * acknowledged writes to check and unacknowledged ones that may or may not have committed, however fast the machine.
 * `npm test` runs 4 iterations; CRASH_ITERATIONS sets the count for a long run (e.g. CRASH_ITERATIONS=200).
 */
const config = loadConfig();
const TARGET = config.crashIterations ?? 4;
/** A safety net only: a server start (TypeScript loaded by tsx) and a burst of writes per iteration on a busy machine. */
const TIMEOUT = 120_000 + TARGET * 60_000;
const dir = mkdtempSync(join(tmpdir(), 'qms-crash-'));
const databasePath = join(dir, 'qms.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Stats {
  iterations: number;
  acknowledged: number;
  sent: number;
}

/** The request failed because the server was killed (as opposed to an answer we did not expect). */
function serverGone(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED'].includes(e.code ?? '') || /socket hang up/.test(e.message ?? '');
}

function random(n: number): number {
  return Math.floor(Math.random() * n);
}

// SQLite-only: this is the recovery of the SQLite file itself after SIGKILL (write-ahead log replayed at the next open,
// integrity_check, foreign_key_check on the file); on PostgreSQL the server process, not the app, owns the files.
describe.skipIf(onPostgres)('crash safety', () => {
  it(
    `keeps every acknowledged write and nothing half-written across ${TARGET} SIGKILLs`,
    async () => {
      let editId = 0;
      await prepareDatabase(databasePath, async (opened) => {
        editId = await createProcedure(
          { config: loadConfig({ NODE_ENV: 'test', DATABASE_PATH: databasePath }), db: opened.db, sqlite: opened.sqlite, clock: systemClock },
          {
            code: 'QT-SUA-01',
            title: 'Quy trình để sửa',
            field: '',
            national_code: null,
            processing_days: 5,
            online_level: 'none',
            unit_id: null,
            on_time_target: 1,
          },
          null,
        );
      });
      let server: ServerProcess = await startServer(databasePath);
      const clients: Record<string, Client> = {};
      for (const username of ['admin', 'qualityofficer', 'staff']) {
        clients[username] = new Client(server.port);
        await clients[username].signIn(username, SERVER_PASSWORD);
      }
      const acked: string[] = [];
      const sentMarkers: string[] = [];
      let seq = 0;
      const nextMarker = (iteration: number) => `crash-${iteration}-${++seq}`;

      // Which creators exist, and a body each accepts (these first writes are acknowledged writes too).
      const creators: Creator[] = [];
      for (const spec of CREATORS) {
        const creator = await calibrate(
          clients[spec.as],
          spec,
          SERVER_PASSWORD,
          () => {
            const m = nextMarker(0);
            sentMarkers.push(m);
            return m;
          },
          (m) => acked.push(m),
        );
        if (creator) creators.push(creator);
      }
      expect(creators.map((c) => c.spec.post)).toEqual(expect.arrayContaining(['/admin/units', '/procedures']));

      // The edit stream: one procedure edited again and again; titles by the version they produce.
      const titles = new Map<number, string>();
      let ackedVersion = 1;
      const editor = clients.qualityofficer;
      const editPage = await editor.get(`/procedures/${editId}/edit`);
      const editForm = parseForms(editPage.text, `/procedures/${editId}/edit`).find((f) => f.method === 'POST' && f.action === `/procedures/${editId}`);
      expect(editForm, `edit form of procedure ${editId} (${editPage.status})`).toBeDefined();
      const editValues = Object.fromEntries(
        editForm!.fields.filter((f) => f.name !== '_csrf' && f.name !== 'version' && (f.type !== 'select' || f.value)).map((f) => [f.name, f.value]),
      );
      let currentVersion = Number(editForm!.fields.find((f) => f.name === 'version')?.value);

      const stats: Stats = { iterations: 0, acknowledged: acked.length, sent: sentMarkers.length };
      try {
        while (stats.iterations < TARGET) {
          const iteration = ++stats.iterations;
          if (iteration > 1) {
            server = await startServer(databasePath);
            for (const c of Object.values(clients)) c.moveTo(server.port);
          }
          let stop = false;
          let ackedNow = 0;
          // SIGKILL as soon as this many writes, one of them an edit, are acknowledged; the other streams' requests are in flight then.
          const killAfter = 1 + random(12);
          const running = server;
          let killed: Promise<unknown> | undefined;
          let editsNow = 0;
          const acknowledged = (edit = false) => {
            ackedNow++;
            if (edit) editsNow++;
            if (ackedNow >= killAfter && editsNow > 0 && !killed) {
              stop = true;
              killed = running.kill('SIGKILL');
            }
          };
          const createLoop = async (creator: Creator) => {
            const client = clients[creator.spec.as];
            while (!stop) {
              const marker = nextMarker(iteration);
              sentMarkers.push(marker);
              try {
                const res = await client.post(creator.spec.post, fillMarker(creator.template, marker));
                if (res.status === 303) {
                  acked.push(marker);
                  acknowledged();
                } else throw new Error(`${creator.spec.post} answered ${res.status} for ${marker}`);
              } catch (err) {
                if (!serverGone(err)) throw err;
                return;
              }
            }
          };
          const editLoop = async () => {
            try {
              let version = currentVersion;
              while (!stop) {
                const title = `Sửa lần ${iteration}-${++seq}`;
                titles.set(version + 1, title);
                const res = await editor.post(`/procedures/${editId}`, { ...editValues, version: String(version), title });
                if (res.status !== 303) throw new Error(`edit answered ${res.status}`);
                version++;
                ackedVersion = version;
                acknowledged(true);
              }
            } catch (err) {
              if (!serverGone(err)) throw err;
            }
          };
          const loops = [...creators.map(createLoop), editLoop()];
          await Promise.all(loops);
          // Every stream ends either by stopping or because the server is gone: the kill has happened by now.
          expect(killed, `iteration ${iteration}: the server was killed after ${killAfter} acknowledged writes`).toBeDefined();
          await killed;
          expect(ackedNow).toBeGreaterThanOrEqual(killAfter);
          stats.acknowledged += ackedNow;

          // --- after the crash: open the file as the restarted server would, and check it ---
          const db = new Database(databasePath);
          try {
            expect(db.pragma('integrity_check', { simple: true }), `integrity after kill ${iteration}`).toBe('ok');
            expect(db.pragma('foreign_key_check'), `foreign keys after kill ${iteration}`).toEqual([]);
            const chain = await verify(kyselyOver(db));
            expect(chain.ok, `audit chain after kill ${iteration}: ${JSON.stringify(chain.brokenAt)}`).toBe(true);
            const mine = sentMarkers.filter((m) => m.startsWith(`crash-${iteration}-`) || (iteration === 1 && m.startsWith('crash-0-')));
            const ackedSet = new Set(acked);
            for (const marker of mine) {
              const tables = tablesWithMarker(db, marker);
              const audits = auditRowsWithMarker(db, marker);
              if (ackedSet.has(marker)) expect(tables.length, `acknowledged ${marker} is missing after kill ${iteration}`).toBeGreaterThan(0);
              // all or nothing: a record without its audit row, or an audit row without its record, is half-written
              expect(audits > 0, `${marker}: record in [${tables.join(', ')}] but ${audits} audit rows`).toBe(tables.length > 0);
            }
            const row = db.prepare('select version, title from procedures where id = ?').get(editId) as { version: number; title: string };
            expect(row.version, `acknowledged edit lost after kill ${iteration}`).toBeGreaterThanOrEqual(ackedVersion);
            if (row.version > 1) expect(row.title).toBe(titles.get(row.version));
            const updates = (
              db.prepare("select count(*) as n from audit_log where entity = 'procedure' and action = 'update' and entity_id = ?").get(String(editId)) as {
                n: number;
              }
            ).n;
            expect(updates, 'one audit row per committed edit').toBe(row.version - 1);
            ackedVersion = row.version; // an unacknowledged edit may have committed; the next stream starts from it
            currentVersion = row.version;
          } finally {
            db.close();
          }
        }
      } finally {
        await server.kill('SIGKILL');
      }
      stats.sent = sentMarkers.length;
      console.log(
        `crash safety: ${stats.iterations} SIGKILLs, ${stats.acknowledged} acknowledged writes (${stats.sent} creations sent, procedure edited to version ${ackedVersion}), creators: ${creators.map((c) => c.spec.post).join(', ')}`,
      );
      expect(stats.iterations).toBe(TARGET);
      expect(ackedVersion, 'the edit stream had acknowledged edits').toBeGreaterThan(1);
    },
    TIMEOUT,
  );
});
