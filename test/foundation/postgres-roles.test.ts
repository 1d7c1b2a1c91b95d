import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record, verify } from '../../src/core/audit-log/audit-log';
import { loadConfig } from '../../src/config';
import { suspendTriggers } from '../../src/core/db/dialect/bulk';
import { suspendSetting } from '../../src/core/db/dialect/ddl';
import { migrateToLatest } from '../../src/core/db/migrate';
import { openConfiguredDatabase, type Opened } from '../../src/core/db/open';
import { openPostgresKysely } from '../../src/core/db/postgres';
import { databaseUrl, freshPostgresDatabase, onPostgres, type TestDatabase } from '../support/engine';

/**
 * The deployment the README recommends on PostgreSQL: the tables belong to an owner role that runs the migrations;
 * the app connects as a role with SELECT, INSERT, UPDATE, DELETE only. Then the app's role cannot drop or disable
 * the triggers that keep the audit log append-only (nor hold them back through the bulk import's setting), and the
 * app, its migrations check and its bulk import still work.
 */
let dir: string;
let database: TestDatabase;
let app: Opened;
const role = `qms_app_${randomBytes(4).toString('hex')}`;

describe.runIf(onPostgres)('the app on PostgreSQL as a role that does not own the tables', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qms-roles-'));
    database = await freshPostgresDatabase(); // migrated by the test server's superuser: the owner here
    const owner = openPostgresKysely(database.url, { poolSize: 1 });
    await sql.raw(`create role ${role} login`).execute(owner.db);
    for (const grant of [
      `grant usage on schema public to ${role}`,
      `grant select, insert, update, delete on all tables in schema public to ${role}`,
      `grant usage, select on all sequences in schema public to ${role}`,
    ])
      await sql.raw(grant).execute(owner.db);
    await owner.db.destroy();
    const url = new URL(databaseUrl(database.name));
    url.username = role;
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite'), DATABASE_URL: url.toString() });
    app = await openConfiguredDatabase(config);
    await migrateToLatest(app.db); // nothing to migrate: the keyed chain's record is written with the app's rights
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    const server = openPostgresKysely(databaseUrl('postgres'), { poolSize: 1 });
    await sql.raw(`drop role if exists ${role}`).execute(server.db);
    await server.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records audit rows and verifies the chain', async () => {
    await app.db.transaction().execute((trx) => record(trx, { userId: null, action: 'create', entity: 'unit', entityId: 1 }, new Date('2026-11-26T02:00:00Z')));
    const result = await verify(app.db, { headFile: null });
    expect(result).toMatchObject({ ok: true, checked: 1 });
  });

  it('cannot drop or disable the triggers that keep the audit log append-only', async () => {
    await expect(sql`drop trigger audit_log_no_update on audit_log`.execute(app.db)).rejects.toThrow(/must be owner/);
    await expect(sql`alter table audit_log disable trigger audit_log_no_delete`.execute(app.db)).rejects.toThrow(/must be owner/);
    await expect(sql`drop table audit_log`.execute(app.db)).rejects.toThrow(/must be owner/);
    await expect(sql`update audit_log set action = 'changed'`.execute(app.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(app.db)).rejects.toThrow(/append-only/);
  });

  it('cannot hold the protecting triggers back with the bulk import setting (only derived-figure triggers read it)', async () => {
    await expect(
      app.db.transaction().execute(async (trx) => {
        await sql`select set_config(${suspendSetting('audit_log_no_update')}, 'on', true)`.execute(trx);
        await sql`update audit_log set action = 'changed'`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    const rows = await sql<{ action: string }>`select action from audit_log`.execute(app.db);
    expect(rows.rows).toEqual([{ action: 'create' }]);
  });

  it('holds the dossier-figure triggers back for a bulk write with its own rights', async () => {
    const held = await app.db.transaction().execute((trx) => suspendTriggers(trx, 'dossiers', ['dossier_stats_on_insert', 'dossier_stats_on_update']));
    expect([...held.names].sort()).toEqual(['dossier_stats_on_insert', 'dossier_stats_on_update']);
  });
});
