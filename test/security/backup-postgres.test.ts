import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditKey } from '../../src/core/audit-log/audit-key';
import { verify } from '../../src/core/audit-log/audit-log';
import { backupDatabase } from '../../src/core/db/backup';
import { manifestPath, type BackupManifest } from '../../src/core/db/backup-manifest';
import { openPostgresKysely } from '../../src/core/db/postgres';
import { restoreDatabase } from '../../src/core/db/restore';
import { createTestApp, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { emptyPostgresDatabase, freshPostgresDatabase, onPostgres, type TestDatabase } from '../support/engine';

/**
 * `qms backup FILE` / `qms restore FILE` on PostgreSQL (DATABASE_URL): a pg_dump custom-format dump, checked in a
 * temporary database (audit chain, rows as at dump time), a signed manifest beside it; a restore checks the dump the
 * same way before it replaces the target in one transaction.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe.runIf(onPostgres)('backup and restore on PostgreSQL', () => {
  let t: TestApp;
  let dir: string;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qms-pg-backup-'));
    t = await createTestApp();
    const admin = await t.signIn('admin');
    for (const [date, name] of [
      ['2026-09-02', 'Quốc khánh'],
      ['2026-04-30', 'Giải phóng miền Nam'],
      ['2026-05-01', 'Quốc tế Lao động'],
    ])
      expect((await admin.post('/admin/holidays', { date, kind: 'holiday', name })).status).toBe(303);
  });

  afterAll(async () => {
    for (const d of databases) await d.drop();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function tableRows(url: string, table: string, order = 'id'): Promise<unknown[]> {
    const { db } = openPostgresKysely(url, { poolSize: 1 });
    try {
      return (await sql.raw(`select * from ${table} order by ${order}`).execute(db)).rows;
    } finally {
      await db.destroy();
    }
  }

  async function backup(name: string): Promise<string> {
    const file = join(dir, name);
    const said = await backupDatabase(t.config, file, false);
    expect(said).toMatch(/restored into a temporary database without error.*audit log verified/);
    return file;
  }

  it('backs up a database with data, and restores it into a fresh database with the same rows and a verifying chain', async () => {
    const file = await backup('qms.dump');
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    const manifest = JSON.parse(readFileSync(manifestPath(file), 'utf8')) as BackupManifest;
    expect(manifest.engine).toBe('postgres');
    expect(manifest.bytes).toBe(statSync(file).size);
    expect(manifest.audit.verified).toBe(true);
    expect(manifest.database).not.toMatch(/:[^/@]*@/); // no password

    const liveUrl = t.config.databaseUrl!;
    const audit = (await tableRows(liveUrl, 'audit_log')) as { id: number; action: string }[];
    expect(manifest.audit.rows).toBe(audit.length);

    const target = await emptyPostgresDatabase();
    databases.push(target);
    const headFile = join(dir, 'target.audit-head');
    const config = { ...t.config, databaseUrl: target.url, auditHeadFile: headFile };
    expect(await restoreDatabase(config, file, false)).toMatch(/checked first in a temporary database, audit log verified/);

    for (const table of ['holidays', 'users', 'units', 'organisation'])
      expect(await tableRows(target.url, table), table).toEqual(await tableRows(liveUrl, table));
    const restoredAudit = (await tableRows(target.url, 'audit_log')) as { id: number; action: string }[];
    expect(restoredAudit.slice(0, audit.length)).toEqual(audit);
    expect(restoredAudit.slice(audit.length).map((r) => r.action)).toEqual(['restore']);
    expect(existsSync(headFile)).toBe(true);

    const { db } = openPostgresKysely(target.url, { poolSize: 1 });
    try {
      const chain = await verify(db, { key: readAuditKey(t.config.auditKeyFile)!, headFile });
      expect(chain.ok, chain.problem).toBe(true);
      expect(chain.checked).toBe(audit.length + 1);
    } finally {
      await db.destroy();
    }
  });

  it("drops the temporary databases of this machine's killed backups, and only those", async () => {
    const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    let dead = 4_000_000;
    while (isAlive(dead)) dead--;
    const names = {
      killed: `qms_check_${host}_${dead}_deadbeef`,
      running: `qms_restore_${host}_${process.pid}_cafebabe`,
      otherMachine: `qms_check_00000000_${dead}_0badf00d`,
    };
    const { db } = openPostgresKysely(t.config.databaseUrl!, { poolSize: 1 });
    const existing = async () =>
      (await sql<{ name: string }>`select datname as name from pg_database where datname like 'qms\\_%' order by 1`.execute(db)).rows.map((r) => r.name);
    try {
      for (const name of Object.values(names)) await sql.raw(`create database "${name}"`).execute(db);
      await backup('leftovers.dump');
      const after = await existing();
      expect(after).not.toContain(names.killed);
      expect(after).toEqual(expect.arrayContaining([names.running, names.otherMachine]));
    } finally {
      for (const name of Object.values(names)) await sql.raw(`drop database if exists "${name}"`).execute(db);
      await db.destroy();
    }
  });

  it('refuses a FILE that already exists', async () => {
    const file = join(dir, 'exists.dump');
    writeFileSync(file, 'keep me');
    await expect(backupDatabase(t.config, file, false)).rejects.toThrow(/already exists/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(existsSync(manifestPath(file))).toBe(false);
  });

  it('refuses a dump whose bytes changed after it was written (its manifest no longer matches)', async () => {
    const file = await backup('tampered.dump');
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] ^= 0xff;
    writeFileSync(file, bytes);
    const target = await freshPostgresDatabase();
    databases.push(target);
    await expect(restoreDatabase({ ...t.config, databaseUrl: target.url, auditHeadFile: join(dir, 'tampered.audit-head') }, file, false)).rejects.toThrow(
      /not the file its manifest describes \(SHA-256 differs\)/,
    );
    expect(await tableRows(target.url, 'users')).toEqual([]);
  });

  it('refuses to restore over a database with users unless --force', async () => {
    const file = await backup('over.dump');
    const target = await freshPostgresDatabase();
    databases.push(target);
    const config = { ...t.config, databaseUrl: target.url, auditHeadFile: join(dir, 'over.audit-head') };
    await restoreDatabase(config, file, false); // now it has the backup's users
    const users = await tableRows(target.url, 'users');
    expect(users.length).toBe(4);
    await expect(restoreDatabase(config, file, false)).rejects.toThrow(/is not empty \(4 users\); add --force/);
    expect(await restoreDatabase(config, file, true)).toMatch(/audit log verified/);
    const actions = ((await tableRows(target.url, 'audit_log')) as { action: string; reason: string | null }[]).filter((r) => r.action === 'restore');
    expect(actions.length).toBe(1); // the second restore replaced the first one's database
    expect(actions[0].reason).toMatch(/--force: replaced a database with 4 users/);
  });

  it("refuses a dump whose dossiers name a missing import (a reference PostgreSQL checks by trigger, which a restore's data load does not run)", async () => {
    const u = await createTestApp();
    try {
      const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1 };
      await createProcedure(u.ctx, { ...base, code: 'QT-BK-01', title: 'Thủ tục sao lưu', national_code: null, processing_days: 2 }, null);
      const csv = 'code,procedure_code,received_at,due_date,returned_at,outcome,channel\nHS-BK-1,QT-BK-01,2026-03-10,,,,\n';
      const done = await importDossiers(u.ctx, { buffer: Buffer.from(csv) }, { fileName: 'bk.csv', actorId: null, via: 'upload' });
      expect(done).toMatchObject({ added: 1 });
      // what a damaged or altered database could hold: the import gone, its dossier still naming it (triggers off)
      const { db } = openPostgresKysely(u.config.databaseUrl!, { poolSize: 1 });
      try {
        await db.connection().execute(async (conn) => {
          await sql`set session_replication_role = replica`.execute(conn);
          await sql`delete from dossier_imports where id = ${done.importId}`.execute(conn);
        });
      } finally {
        await db.destroy();
      }
      await expect(backupDatabase(u.config, join(dir, 'orphan.dump'), false)).rejects.toThrow(
        /1 rows of dossiers\.created_import_id point to no row of dossier_imports/,
      );
    } finally {
      await u.close();
    }
  });

  it('refuses a SQLite backup (db:copy moves SQLite to PostgreSQL)', async () => {
    const file = join(dir, 'sqlite-backup.sqlite');
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080)]));
    await expect(restoreDatabase(t.config, file, false)).rejects.toThrow(/is a SQLite backup.*db:copy/);
  });
});
