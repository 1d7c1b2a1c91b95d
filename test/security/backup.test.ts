import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAuditKey } from '../../src/core/audit-log/audit-key';
import { verify } from '../../src/core/audit-log/audit-log';
import { kyselyOver } from '../../src/core/db/database';
import { changedTables, checksums, health } from '../support/db-checks';
import { Client, prepareDatabase, ROOT, SERVER_PASSWORD, startServer, TSX, type ServerProcess } from '../support/server';
import { calibrate, CREATORS, fillMarker, tablesWithMarker, auditRowsWithMarker, type Creator } from '../support/streams';

/**
 * Backup while the app is under write load, then restore into a fresh instance: `qms backup FILE` runs
 * while several users keep creating records; the copy is consistent (integrity, foreign keys, audit chain,
 * every record with its audit row) and holds every write acknowledged before the backup started.
 * `qms restore FILE` fills a fresh DATABASE_PATH, refuses a non-empty one without --force, and a server
 * started on the restored database shows the same records.
 */
const dir = mkdtempSync(join(tmpdir(), 'qms-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function qms(args: string[], databasePath: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/cli.ts', ...args],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', DATABASE_PATH: databasePath, ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const rowsOf = (path: string, table: string) => {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`select * from "${table}" order by rowid`).all();
  } finally {
    db.close();
  }
};

describe('backup and restore', () => {
  it('backs up a live, busy database and restores it into a fresh instance that shows the same records', async () => {
    const source = join(dir, 'live', 'qms.sqlite');
    const backup = join(dir, 'copies', 'qms-backup.sqlite');
    const restored = join(dir, 'restored', 'qms.sqlite');
    // the audit key stays where the live database's is: restoring elsewhere is told where it is (AUDIT_KEY_FILE)
    const withKey = { AUDIT_KEY_FILE: join(dir, 'live', 'audit.key') };
    await prepareDatabase(source);
    let server: ServerProcess | undefined = await startServer(source);
    const acked: string[] = [];
    let ackedBeforeBackup: string[] = [];
    let seq = 0;
    try {
      const clients: Record<string, Client> = {};
      for (const username of ['admin', 'qualityofficer', 'staff']) {
        clients[username] = new Client(server.port);
        await clients[username].signIn(username, SERVER_PASSWORD);
      }
      const creators: Creator[] = [];
      for (const spec of CREATORS) {
        const c = await calibrate(
          clients[spec.as],
          spec,
          SERVER_PASSWORD,
          () => `backup-${++seq}`,
          (m) => acked.push(m),
        );
        if (c) creators.push(c);
      }
      // The streams write before, during and after the backup; when to start the backup and when to stop are counts of
      // acknowledged writes, never a time, so a slow machine only makes the run longer.
      let stop = false;
      const waiters: { count: number; resolve: () => void }[] = [];
      const untilAcknowledged = (count: number) => new Promise<void>((resolve) => (acked.length >= count ? resolve() : waiters.push({ count, resolve })));
      const loops = creators.map(async (creator) => {
        while (!stop) {
          const marker = `backup-${++seq}`;
          const res = await clients[creator.spec.as].post(creator.spec.post, fillMarker(creator.template, marker));
          if (res.status !== 303) throw new Error(`${creator.spec.post} answered ${res.status}`);
          acked.push(marker);
          for (const w of waiters.filter((x) => acked.length >= x.count)) w.resolve();
        }
      });
      const streams = Promise.all(loops);
      await Promise.race([untilAcknowledged(acked.length + 12), streams]);
      ackedBeforeBackup = [...acked];
      const made = await qms(['backup', backup], source);
      const duringBackup = acked.length - ackedBeforeBackup.length;
      // the server keeps acknowledging writes after the copy was taken
      await Promise.race([untilAcknowledged(acked.length + 8), streams]);
      stop = true;
      await streams;
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/integrity_check ok, foreign_key_check ok, audit log verified/);
      console.log(`backup under load: ${ackedBeforeBackup.length} writes acknowledged before it, ${duringBackup} while it ran, ${acked.length} in all`);
      await server.kill('SIGTERM');
      server = undefined;

      // the copy: consistent, complete up to the moment the backup began
      const copy = new Database(backup, { readonly: true, fileMustExist: true });
      try {
        const h = await health(copy);
        expect(h.integrity).toBe('ok');
        expect(h.foreignKeyProblems).toEqual([]);
        const chain = await verify(kyselyOver(copy), { key: readAuditKey(withKey.AUDIT_KEY_FILE)!, anchors: [] });
        expect(chain.ok, chain.problem).toBe(true);
        expect(existsSync(`${backup}.manifest.json`)).toBe(true);
        for (const marker of ackedBeforeBackup) expect(tablesWithMarker(copy, marker).length, `${marker} acknowledged before the backup`).toBeGreaterThan(0);
        for (const marker of acked)
          expect(auditRowsWithMarker(copy, marker) > 0, `${marker}: record and audit row together`).toBe(tablesWithMarker(copy, marker).length > 0);
      } finally {
        copy.close();
      }

      // restore into a fresh path (its folder does not exist yet)
      const first = await qms(['restore', backup], restored, withKey);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/restored .* audit log verified/);
      const snapshot = new Database(restored, { readonly: true });
      const before = checksums(snapshot);
      snapshot.close();
      // a database with users is not overwritten without --force: neither the restored one nor the live one
      for (const target of [restored, source]) {
        const refused = await qms(['restore', backup], target, withKey);
        expect(refused.code, `restore over ${target}`).toBe(1);
        expect(refused.stderr).toMatch(/not empty .*add --force/);
      }
      const after = new Database(restored, { readonly: true });
      expect(changedTables(before, checksums(after))).toEqual([]);
      after.close();
      const forced = await qms(['restore', backup, '--force'], restored, withKey);
      expect(forced.code, forced.stderr).toBe(0);

      // same rows as the backup, table by table; the audit log has one row more: the restore itself
      const a = new Database(backup, { readonly: true });
      const b = new Database(restored, { readonly: true });
      const { audit_log: logA, overview_counts: _countsA, ...tablesA } = checksums(a);
      const { audit_log: logB, overview_counts: _countsB, ...tablesB } = checksums(b);
      expect(tablesB).toEqual(tablesA);
      // the kept figures: the same, but for the log's count (per organisation), one more for the restore's entry
      const counts = (d: Database.Database) =>
        d.prepare('select organisation_id, name, n from overview_counts order by organisation_id, name').all() as { name: string; n: number }[];
      expect(counts(b)).toEqual(counts(a).map((r) => (r.name === 'audit_log' ? { ...r, n: r.n + 1 } : r)));
      expect(Number(logB.split(':')[0])).toBe(Number(logA.split(':')[0]) + 1);
      const n = Number(logA.split(':')[0]);
      expect(b.prepare('select * from audit_log order by id limit ?').all(n)).toEqual(a.prepare('select * from audit_log order by id').all());
      expect(b.prepare('select action, entity from audit_log order by id desc limit 1').get()).toEqual({ action: 'restore', entity: 'database' });
      a.close();
      b.close();

      // a fresh instance on the restored database shows the same records
      server = await startServer(restored, withKey);
      const admin = new Client(server.port);
      await admin.signIn('admin', SERVER_PASSWORD);
      const units = (await admin.get('/admin/units')).text;
      for (const row of rowsOf(backup, 'units') as { code: string }[]) expect(units, `unit ${row.code}`).toContain(row.code);
      const procedures = rowsOf(backup, 'procedures') as { id: number; code: string; title: string }[];
      expect(procedures.length).toBeGreaterThan(0);
      for (const p of procedures) {
        const page = await admin.get(`/procedures/${p.id}`);
        expect(page.status).toBe(200);
        expect(page.text).toContain(p.code);
      }
      const log = await admin.get('/admin/audit-log');
      expect(log.status).toBe(200);
      const verified = await qms(['audit-log:verify'], restored, withKey);
      expect(verified.code, verified.stderr).toBe(0);
    } finally {
      await server?.kill('SIGKILL');
    }
  }, 300_000);
});
