import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeVerify, GENESIS_HASH, hashRow, record, verify } from '../../src/core/audit-log/audit-log';
import { readHeadFile } from '../../src/core/audit-log/audit-anchor';
import { createAuditKey } from '../../src/core/audit-log/audit-key';
import { loadConfig } from '../../src/config';
import { kyselyOver, type Db } from '../../src/core/db/database';
import { hasTable } from '../../src/core/db/dialect/catalog';
import { dropTrigger } from '../../src/core/db/dialect/ddl';
import { createMigrator, migrateToLatest } from '../../src/core/db/migrate';
import { openConfiguredDatabase } from '../../src/core/db/open';
import { sign } from '../../src/core/security/signatures';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';
import { freshPostgresDatabase, onPostgres, query } from '../support/engine';
import { prepareDatabase } from '../support/server';
import { runCli } from '../../src/cli';

/**
 * The audit log's evidence (issue 19, point 3). Each attack of the report, made on the database file with the
 * triggers dropped, as someone who can edit the file but cannot read the audit key would: deleting the last row, the
 * last 100 rows, every row; changing a row and recomputing every later hash as plain SHA-256; appending a forged
 * row. Each is found, naming the first bad row or the missing tail. Then the commands: `backup` and `restore` refuse
 * a broken chain unless --force, and a forced run is in the audit log.
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ROWS = 130;

/** A test app with ROWS audit rows, each committed in its own transaction (as the app writes them). */
async function appWithRows(): Promise<TestApp> {
  const app = await createTestApp();
  for (let i = 1; i <= ROWS; i++) {
    await app.ctx.db
      .transaction()
      .execute((trx) => record(trx, { userId: app.users.admin, action: 'update', entity: 'unit', entityId: i, new: { n: i } }, app.clock.now()));
  }
  return app;
}

/** What someone who can change the database (but cannot read the key) does first: drop the append-only triggers. */
async function unprotect(db: Db): Promise<void> {
  await dropTrigger(db, 'audit_log_no_update', 'audit_log');
  await dropTrigger(db, 'audit_log_no_delete', 'audit_log');
}

type Row = Parameters<typeof hashRow>[0] & { id: number };

/** The old attack: rewrite from row `from` on with plain SHA-256 hashes, each chained to the previous. */
async function recomputePlain(db: Db, from: number): Promise<void> {
  const all = (await query<Row>(db, 'select * from audit_log where id >= ? order by id', [from])).rows;
  let prev = (await query<{ hash: string }>(db, 'select hash from audit_log where id < ? order by id desc limit 1', [from])).rows[0]?.hash ?? GENESIS_HASH;
  for (const row of all) {
    const hash = hashRow({ ...row, prev_hash: prev });
    await query(db, 'update audit_log set prev_hash = ?, hash = ? where id = ?', [prev, hash, row.id]);
    prev = hash;
  }
}

/** The statements that make up the schema (tables, triggers, trigger functions): where a leaked secret could hide. */
const SCHEMA_TEXT = onPostgres
  ? 'select p.proname as name, p.prosrc as sql from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = current_schema()'
  : 'select name, sql from sqlite_master';

describe('the keyed audit chain', () => {
  it('verifies an untouched log: keyed from its first row, held to the head file', async () => {
    t = await appWithRows();
    const result = await verify(t.ctx.db);
    expect(result).toMatchObject({ ok: true, checked: ROWS, keyedFrom: 1 });
    expect(result.anchors).toEqual([`head file ${t.config.auditHeadFile}`]);
    const head = readHeadFile(t.config.auditHeadFile);
    expect(head.state === 'ok' && head.heads.map((h) => [h.rows, h.headId])).toEqual([[ROWS, ROWS]]);
    expect(describeVerify(result)).toMatch(new RegExp(`^${ROWS} rows, chain intact`));
  });

  it('keeps the key outside the database, in a file created on first start with mode 0600', async () => {
    t = await createTestApp();
    const keyFile = join(t.dir, 'audit.key');
    expect(t.config.auditKeyFile).toBe(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(keyFile, 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await rows(t, SCHEMA_TEXT))).not.toContain(secret);
    for (const table of ['audit_chain', 'qms_meta', 'signing_keys', 'kysely_migration', 'audit_log'])
      if (await hasTable(t.ctx.db, table)) expect(JSON.stringify(await rows(t, `select * from ${table}`))).not.toContain(secret);
  });

  it('finds the last row deleted, naming the missing tail', async () => {
    t = await appWithRows();
    await unprotect(t.ctx.db);
    await run(t, 'delete from audit_log where id = ?', ROWS);
    const result = await verify(t.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.problem).toBe(
      `expected ${ROWS} rows up to id ${ROWS} (head file ${t.config.auditHeadFile}), found ${ROWS - 1} up to id ${ROWS - 1}: rows are missing at the end`,
    );
  });

  it('finds the last 100 rows deleted', async () => {
    t = await appWithRows();
    await unprotect(t.ctx.db);
    await run(t, 'delete from audit_log where id > ?', ROWS - 100);
    expect((await verify(t.ctx.db)).problem).toMatch(
      new RegExp(`^expected ${ROWS} rows up to id ${ROWS} .*, found ${ROWS - 100} up to id ${ROWS - 100}: rows are missing`),
    );
  });

  it('finds every row deleted, and never calls an emptied log intact', async () => {
    t = await appWithRows();
    await unprotect(t.ctx.db);
    await run(t, 'delete from audit_log');
    const result = await verify(t.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(new RegExp(`^expected ${ROWS} rows up to id ${ROWS} .*, found 0: rows are missing at the end`));
    // without the head file too: the database was initialised, so an empty log is not "intact"
    unlinkSync(t.config.auditHeadFile);
    const bare = await verify(t.ctx.db);
    expect(bare.ok).toBe(false);
    expect(bare.problem).toMatch(/^the audit log is empty, but the database was initialised/);
    expect(describeVerify(bare)).not.toMatch(/intact/);
  });

  it('after rows were deleted, later writes do not erase the evidence', async () => {
    t = await appWithRows();
    await unprotect(t.ctx.db);
    await run(t, 'delete from audit_log where id > ?', ROWS - 5);
    for (let i = 0; i < 10; i++)
      await t.ctx.db.transaction().execute((trx) => record(trx, { userId: null, action: 'update', entity: 'unit', entityId: i, new: {} }, t!.clock.now()));
    const result = await verify(t.ctx.db);
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toEqual({ id: ROWS, reason: 'anchor_mismatch' });
    expect(result.problem).toMatch(new RegExp(`^row ${ROWS} is not the row anchored in head file`));
  });

  it('finds a row changed with every later hash recomputed (plain SHA-256), at the changed row', async () => {
    t = await appWithRows();
    await unprotect(t.ctx.db);
    const target = 40;
    await run(t, `update audit_log set new_values = '{"n":"forged"}' where id = ?`, target);
    await recomputePlain(t.ctx.db, target);
    const result = await verify(t.ctx.db);
    expect(result).toMatchObject({ ok: false, checked: target - 1, brokenAt: { id: target, reason: 'hash_mismatch' } });
    expect(describeVerify(result)).toBe(`audit log broken at row ${target} (hash_mismatch); ${target - 1} rows before it verified`);
  });

  it('finds the whole log rewritten as an unkeyed chain, its switch point removed', async () => {
    t = await appWithRows();
    await unprotect(t.ctx.db);
    await dropTrigger(t.ctx.db, 'audit_chain_no_delete', 'audit_chain');
    await run(t, 'delete from audit_chain');
    await recomputePlain(t.ctx.db, 1);
    expect((await verify(t.ctx.db)).problem).toBe('the record of where the keyed chain begins (audit_chain) is missing');
    await run(t, 'drop table audit_chain');
    expect((await verify(t.ctx.db)).problem).toMatch(/^head file .* anchors a keyed chain, but the database has no record of its key/);
  });

  it('finds a forged row appended at the end', async () => {
    t = await appWithRows();
    const last = (await one(t, 'select hash from audit_log order by id desc limit 1')) as { hash: string };
    const forged = {
      at: '2026-11-26T03:00:00.000Z',
      user_id: null,
      action: 'delete',
      entity: 'unit',
      entity_id: '1',
      old_values: null,
      new_values: null,
      reason: null,
      prev_hash: last.hash,
    };
    await run(
      t,
      'insert into audit_log (id, at, user_id, action, entity, entity_id, old_values, new_values, reason, prev_hash, hash, organisation_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)',
      ROWS + 1,
      forged.at,
      forged.user_id,
      forged.action,
      forged.entity,
      forged.entity_id,
      forged.old_values,
      forged.new_values,
      forged.reason,
      forged.prev_hash,
      hashRow(forged),
    );
    expect(await verify(t.ctx.db)).toMatchObject({ ok: false, checked: ROWS, brokenAt: { id: ROWS + 1, reason: 'hash_mismatch' } });
  });

  it('refuses a moved switch point, and a key that is not the one the log was written with', async () => {
    t = await appWithRows();
    await dropTrigger(t.ctx.db, 'audit_chain_no_update', 'audit_chain');
    await run(t, 'update audit_chain set keyed_from = 100');
    expect((await verify(t.ctx.db)).problem).toBe('the record of where the keyed chain begins (audit_chain) is not signed with the audit key');
    expect((await verify(t.ctx.db, { key: null })).problem).toMatch(/^the audit log is keyed \(audit key \w+\) but that key is not available/);
  });

  it('anchors the log in every signature: rows deleted after a signature are found without the head file', async () => {
    t = await appWithRows();
    const signer = { userId: t.users.leader, name: 'Lãnh đạo', role: 'leader' };
    await t.ctx.db
      .transaction()
      .execute((trx) => sign(trx, signer, { entity: 'document_revision', entityId: 1, meaning: 'approved', contentSha256: 'a'.repeat(64) }, t!.clock.now()));
    const signed = (await rows<{ id: number; audit_anchor: string }>(t, 'select id, audit_anchor from e_signatures'))[0];
    expect(JSON.parse(signed.audit_anchor)).toMatchObject({ rows: ROWS, headId: ROWS, keyedFrom: 1 });
    await unprotect(t.ctx.db);
    await run(t, 'delete from audit_log where id > ?', ROWS - 20);
    unlinkSync(t.config.auditHeadFile);
    expect((await verify(t.ctx.db)).problem).toBe(
      `expected ${ROWS} rows up to id ${ROWS} (signature ${signed.id}), found ${ROWS - 20} up to id ${ROWS - 20}: rows are missing at the end`,
    );
  });

  it('keeps rows written before the key verifiable, and keys every row after the recorded switch point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qms-legacy-'));
    const pg = onPostgres ? await freshPostgresDatabase('template0') : undefined; // empty, not the migrated template
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite'), ...(pg ? { DATABASE_URL: pg.url } : {}) });
    try {
      // a database of the version before keys: migrated up to it, rows chained with plain SHA-256
      const old = await openConfiguredDatabase(config);
      await createMigrator(old.db).migrateTo('2026_12_05_1100_revisions_effective_index');
      let prev = GENESIS_HASH;
      for (let i = 1; i <= 20; i++) {
        const row = {
          at: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
          user_id: null,
          action: 'create',
          entity: 'unit',
          entity_id: String(i),
          old_values: null,
          new_values: '{}',
          reason: null,
          prev_hash: prev,
        };
        const hash = hashRow(row);
        await query(
          old.db,
          'insert into audit_log (at, user_id, action, entity, entity_id, old_values, new_values, reason, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [row.at, row.user_id, row.action, row.entity, row.entity_id, row.old_values, row.new_values, row.reason, row.prev_hash, hash],
        );
        prev = hash;
      }
      await migrateToLatest(old.db);
      for (let i = 0; i < 5; i++)
        await old.db.transaction().execute((trx) => record(trx, { userId: null, action: 'update', entity: 'unit', entityId: i, new: {} }, new Date()));
      expect(await verify(old.db)).toMatchObject({ ok: true, checked: 25, keyedFrom: 21 });
      // a legacy row changed and the legacy part recomputed: found where the keyed part begins
      await unprotect(old.db);
      await query(old.db, "update audit_log set entity_id = 'x' where id = 5", []);
      await recomputePlain(old.db, 5);
      expect(await verify(old.db)).toMatchObject({ ok: false, brokenAt: { id: 21, reason: 'chain_broken' } });
      await old.close();
    } finally {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to open a keyed database without its key, or with another key', async () => {
    t = await appWithRows();
    const { config, dir } = t;
    const auditKeyFile = config.auditKeyFile;
    await t.ctx.db.destroy();
    const key = readFileSync(auditKeyFile);
    unlinkSync(auditKeyFile);
    await expect(openConfiguredDatabase(config)).rejects.toThrow(/keyed with audit key \w+, but the key file .*audit\.key does not exist/);
    expect(existsSync(auditKeyFile)).toBe(false); // not replaced by a fresh key
    const other = createAuditKey(join(dir, 'other.key'));
    await expect(openConfiguredDatabase({ ...config, auditKeyFile: other.file! })).rejects.toThrow(
      /holds audit key \w+, but this database's audit log is keyed with \w+/,
    );
    writeFileSync(auditKeyFile, key, { mode: 0o600 });
    const reopened = await openConfiguredDatabase(config);
    expect((await verify(reopened.db)).ok).toBe(true);
    await reopened.close();
  });
});

// SQLite files and the commands that copy them (backup and restore on PostgreSQL use pg_dump: not these tests)
describe.skipIf(onPostgres)('backup and restore of a broken chain', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'qms-chain-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const live = join(dir, 'live.sqlite');
  const good = join(dir, 'good.sqlite');

  // The commands in this process (runCli, what `npm run qms` runs; test/foundation/cli.test.ts spawns the real one).
  const qms = (args: string[], databasePath: string) => runCli(args, { ...process.env, NODE_ENV: 'test', DATABASE_PATH: databasePath });
  const lastRow = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('select action, entity, reason from audit_log order by id desc limit 1').get() as {
        action: string;
        entity: string;
        reason: string | null;
      };
    } finally {
      db.close();
    }
  };
  const tamper = async (path: string, sqlText: string) => {
    const db = new Database(path);
    try {
      await unprotect(kyselyOver(db));
      db.exec(sqlText);
    } finally {
      db.close();
    }
  };

  it('backup refuses a log whose last row was deleted; --force backs it up, says so in the manifest, and is logged', async () => {
    await prepareDatabase(live, async (opened, at) => {
      for (let i = 0; i < 20; i++)
        await opened.db.transaction().execute((trx) => record(trx, { userId: null, action: 'update', entity: 'unit', entityId: i, new: { i } }, new Date(at)));
    });
    const made = await qms(['backup', good], live);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/audit log verified \(20 rows, keyed from row 1\); manifest .*good\.sqlite\.manifest\.json/);
    await tamper(live, 'delete from audit_log where id = 20');

    const file = join(dir, 'after-tampering.sqlite');
    const refused = await qms(['backup', file], live);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      /^qms backup: the audit log is broken: expected 20 rows up to id 20 \(head file .*\), found 19 up to id 19: rows are missing at the end; no backup written.*--force/,
    );
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.manifest.json`)).toBe(false);

    const forced = await qms(['backup', file, '--force'], live);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/audit log BROKEN \(broken: expected 20 rows .*\), backed up because of --force/);
    const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')) as { audit: { verified: boolean; forced: boolean; problem: string } };
    expect(manifest.audit).toMatchObject({ verified: false, forced: true });
    expect(lastRow(live)).toMatchObject({ action: 'backup_forced', entity: 'database' });
    expect(lastRow(live).reason).toMatch(/expected 20 rows up to id 20/);
  });

  it('restore refuses a backup whose rows were deleted; --force restores it and the restore is logged', async () => {
    const tampered = join(dir, 'tampered.sqlite');
    copyFileSync(good, tampered);
    copyFileSync(`${good}.manifest.json`, `${tampered}.manifest.json`);
    await tamper(tampered, 'delete from audit_log where id > 17');
    const target = join(dir, 'restored-1.sqlite');
    const refused = await qms(['restore', tampered], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^qms restore: .*tampered\.sqlite: .*add --force to restore it anyway/);
    expect(existsSync(target)).toBe(false);
    // checked on its own: its bytes are not those its manifest signed
    const checked = await qms(['audit-log:verify', '--backup', tampered], live);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/tampered\.sqlite is not the file its manifest describes \(SHA-256 differs\)/);
    expect((await qms(['audit-log:verify', '--backup', good], live)).stdout).toMatch(
      /^audit log of .*good\.sqlite verified: 20 rows, chain intact .*anchors held: manifest good\.sqlite\.manifest\.json/,
    );

    const forced = await qms(['restore', tampered, '--force'], target);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^restored .*tampered\.sqlite into .*restored-1\.sqlite/);
    expect(lastRow(target)).toMatchObject({ action: 'restore', entity: 'database' });
    expect(lastRow(target).reason).toMatch(/^--force: /);
  });

  it('restore refuses a backup with a row changed and later hashes recomputed, and one without its manifest', async () => {
    const changed = join(dir, 'changed.sqlite');
    copyFileSync(good, changed);
    await tamper(changed, `update audit_log set new_values = '{"i":"forged"}' where id = 5`);
    const db = new Database(changed);
    await recomputePlain(kyselyOver(db), 5);
    db.close();
    const refused = await qms(['restore', changed], join(dir, 'restored-2.sqlite'));
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `qms restore: ${changed}: audit log broken at row 5 (hash_mismatch); add --force to restore it anyway (recorded in the audit log)`,
    );

    const bare = join(dir, 'bare.sqlite');
    copyFileSync(good, bare);
    const noManifest = await qms(['restore', bare], join(dir, 'restored-3.sqlite'));
    expect(noManifest.code).toBe(1);
    expect(noManifest.stderr).toMatch(/no manifest beside bare\.sqlite/);
    const fine = await qms(['restore', good], join(dir, 'restored-4.sqlite'));
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stdout).toMatch(/audit log verified \(21 rows, keyed from row 1\)/);
  });
});
