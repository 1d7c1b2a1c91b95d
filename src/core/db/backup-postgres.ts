import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../../config';
import { readChainHead, readHeadFile, signAnchor, writeHeadFile, type ChainAnchor, type ChainHead } from '../audit-log/audit-anchor';
import { readEpoch } from '../audit-log/audit-chain';
import { fsyncFolder, type AuditKey } from '../audit-log/audit-key';
import { record, verify, type AnchorGroup, type VerifyResult } from '../audit-log/audit-log';
import {
  backupKind,
  configuredKey,
  describeChain,
  liveAnchors,
  makeManifest,
  manifestAnchors,
  manifestPath,
  readManifest,
  recordRestore,
  sha256File,
  writeManifest,
} from './backup-manifest';
import type { Db } from './database';
import { withRestoreLock } from './app-lock';
import { assertNoTriggerCheckedOrphans } from './dialect/references';
import { migrateToLatest } from './migrate';
import { openConfiguredDatabase } from './open';
import { openPostgresKysely } from './postgres';

/**
 * `qms backup FILE` and `qms restore FILE` on PostgreSQL (DATABASE_URL set): pg_dump's custom format, with the same
 * checks as on SQLite, made on a copy restored into a temporary database on the same server (so the role needs
 * CREATEDB). The PostgreSQL client tools are the ones on PATH (pg_dump/pg_restore of the server's major version or
 * newer); they are run with execFile (no shell), the password given in PGPASSWORD rather than on their command line.
 */

/** The URL without its password: for messages, manifests and the head file. */
export function displayUrl(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/** The same server and role, another database. */
function urlOfDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A URL and environment for libpq's tools: the password moved out of the arguments (visible to `ps`) into PGPASSWORD. */
function forTools(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  return { dbname: u.toString(), env: password === undefined ? process.env : { ...process.env, PGPASSWORD: password } };
}

/** Runs pg_dump / pg_restore; its standard output, or an error with the first lines of what it said. */
function runTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return reject(
          new Error(`${tool} was not found on PATH: install the PostgreSQL client tools (the server's major version or newer) or add their bin folder to PATH`),
        );
      const said = String(stderr).trim().split('\n').slice(0, 3).join(' / ');
      reject(new Error(`${tool} failed: ${said || err.message}`));
    });
  });
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Whether the URL's role may create databases (CREATEDB, or a superuser). */
async function canCreateDatabases(db: Db): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select (rolcreatedb or rolsuper) as ok from pg_roles where rolname = current_user`.execute(db);
  return r.rows[0]?.ok === true;
}

/** This machine, in the names of the temporary databases (8 hex digits of its host name's hash). */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** Whether a process of this machine is still running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Drops the temporary databases that a backup or restore of THIS machine left behind when it was killed before its
 * own cleanup: named for this machine and a process that no longer runs, and used by no connection. Those of other
 * machines are left alone (their processes cannot be seen from here).
 */
async function dropLeftovers(server: Db): Promise<void> {
  const { rows } = await sql<{ name: string }>`select datname as name from pg_database d
    where datname like ${`qms\\_%\\_${HOST}\\_%`}
      and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`.execute(server);
  for (const { name } of rows) {
    const pid = Number(/^qms_(?:check|restore)_[0-9a-f]{8}_(\d+)_[0-9a-f]{8}$/.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await sql.raw(`drop database if exists ${ident(name)} with (force)`).execute(server);
  }
}

/**
 * A new, empty database on the server of `url` for the duration of `fn`, dropped afterwards whatever happens, named
 * `qms_<purpose>_<machine>_<pid>_<random>` so that one left by a killed process is dropped by the next (dropLeftovers).
 */
async function withTemporaryDatabase<T>(url: string, purpose: 'check' | 'restore', fn: (tmpUrl: string) => Promise<T>): Promise<T> {
  const name = `qms_${purpose}_${HOST}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const server = openPostgresKysely(url, { poolSize: 1 });
  try {
    await dropLeftovers(server.db);
    await sql.raw(`create database ${ident(name)}`).execute(server.db);
    try {
      return await fn(urlOfDatabase(url, name));
    } finally {
      await sql.raw(`drop database if exists ${ident(name)} with (force)`).execute(server.db);
    }
  } finally {
    await server.db.destroy();
  }
}

/**
 * A dump restored into a database. `--exit-on-error`: any statement that fails (a row that breaks a constraint, a
 * foreign key that does not hold: constraints are created after the data and check every row) fails the restore.
 * `--no-owner`: the objects belong to the role restoring them.
 */
function pgRestore(file: string, url: string, extra: string[] = []): Promise<string> {
  const { dbname, env } = forTools(url);
  return runTool('pg_restore', ['--exit-on-error', '--no-owner', ...extra, '--dbname', dbname, file], env);
}

interface ChainCheck {
  chain: VerifyResult;
  head: ChainHead;
  anchor: ChainAnchor | null;
  keyedFrom: number | undefined;
}

/** The audit chain of a database held to `anchors`, its head, and that head signed (when the chain is keyed with `key`). */
async function checkChain(db: Db, key: AuditKey | undefined, anchors: AnchorGroup[]): Promise<ChainCheck> {
  const chain = await verify(db, { key: key ?? null, headFile: null, anchors });
  const head = await readChainHead(db);
  const epoch = await readEpoch(db);
  const anchor = key && epoch && epoch.key_id === key.id ? signAnchor(key, head, epoch.keyed_from) : null;
  return { chain, head, anchor, keyedFrom: epoch?.keyed_from };
}

/** A dump restored into a temporary database, its audit chain checked there. */
async function checkDumpCopy(url: string, file: string, key: AuditKey | undefined, anchors: AnchorGroup[]): Promise<ChainCheck> {
  return withTemporaryDatabase(url, 'check', async (tmpUrl) => {
    // --no-privileges: the grants (and an owner role's default privileges) do not matter to the check, and the app's
    // role that takes backups may not be allowed to set them
    await pgRestore(file, tmpUrl, ['--no-privileges']);
    const copy = openPostgresKysely(tmpUrl, { poolSize: 2, auditKey: key });
    try {
      await assertNoTriggerCheckedOrphans(copy.db, file);
      return await checkChain(copy.db, key, anchors);
    } finally {
      await copy.db.destroy();
    }
  });
}

const sameHead = (a: ChainHead, b: ChainHead) => a.rows === b.rows && a.headId === b.headId && a.headHash === b.headHash;

export async function backupPostgres(config: Config, file: string, force: boolean): Promise<string> {
  const url = config.databaseUrl!;
  if (existsSync(file)) throw new Error(`${file} already exists; choose a new file name`);
  if (existsSync(manifestPath(file))) throw new Error(`${manifestPath(file)} already exists; choose a new file name`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const live = await openConfiguredDatabase(config);
  try {
    const key = live.auditKey;
    const anchors = liveAnchors(config); // read before the dump: the dump holds at least what it anchors
    const creates = await canCreateDatabases(live.db);
    // The dump is taken in a snapshot exported by this connection's transaction: the audit log's head read here is
    // exactly the one in the dump. Without CREATEDB the chain is verified here, in that same snapshot.
    let atDump: ChainHead | undefined;
    let onLive: ChainCheck | undefined;
    await live.db.connection().execute(async (conn) => {
      await sql`begin transaction isolation level repeatable read, read only`.execute(conn);
      try {
        const snapshot = (await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(conn)).rows[0].id;
        atDump = await readChainHead(conn);
        const { dbname, env } = forTools(url);
        await runTool('pg_dump', ['--format=custom', '--file', partial, '--snapshot', snapshot, '--dbname', dbname], env);
        if (!creates) onLive = await checkChain(conn, key, anchors);
      } finally {
        await sql`commit`.execute(conn);
      }
    });
    let check: ChainCheck;
    let how: string;
    if (onLive) {
      const listed = await runTool('pg_restore', ['--list', partial]);
      if (!/ TABLE DATA \S+ audit_log /.test(listed)) throw new Error(`pg_restore --list does not find the audit log's rows in the dump ${partial}`);
      check = onLive;
      how =
        'the role may not create databases (CREATEDB), so the dump was not restored for a check: it was only listed (pg_restore --list), ' +
        "and the audit log was verified on the live database, in the dump's snapshot";
    } else {
      check = await checkDumpCopy(url, partial, key, anchors);
      if (!sameHead(check.head, atDump!))
        throw new Error(
          `the dump holds ${check.head.rows} audit rows (last ${check.head.headId}), the database held ${atDump!.rows} (last ${atDump!.headId}) ` +
            'when it was dumped: no backup written',
        );
      how = `restored into a temporary database without error (every constraint checked), ${check.head.rows} audit rows as in the database at dump time`;
    }
    const chain = describeChain(check.chain);
    if (!check.chain.ok && !force)
      throw new Error(`the audit log is ${chain}; no backup written. Investigate, or add --force to back up anyway (recorded in the audit log)`);
    if (!check.chain.ok)
      await live.db
        .transaction()
        .execute((trx) =>
          record(
            trx,
            { userId: null, action: 'backup_forced', entity: 'database', entityId: null, new: { file: basename(file) }, reason: `audit log ${chain}` },
            new Date(),
          ),
        );
    const manifest = makeManifest(key, {
      engine: 'postgres',
      file: basename(file),
      bytes: statSync(partial).size,
      sha256: sha256File(partial),
      created_at: new Date().toISOString(),
      database: displayUrl(url),
      audit: {
        rows: check.head.rows,
        keyed_from: check.keyedFrom ?? null,
        key_file: config.auditKeyFile,
        anchor: check.anchor,
        verified: check.chain.ok,
        problem: check.chain.ok ? null : chain,
        forced: !check.chain.ok,
      },
    });
    writeManifest(manifestPath(file), manifest);
    renameSync(partial, file);
    fsyncFolder(dirname(file));
    const audit = check.chain.ok ? `audit log verified (${chain})` : `audit log BROKEN (${chain}), backed up because of --force (recorded in the audit log)`;
    return (
      `backup written to ${file} (pg_dump, custom format): ${how}; ${audit}; manifest ${manifestPath(file)}. ` +
      `Restoring it needs the audit key ${config.auditKeyFile}${key ? ` (key ${key.id})` : ''}: keep a copy of that file, apart from the backups`
    );
  } finally {
    rmSync(partial, { force: true });
    await live.close();
  }
}

/** The refusal of a backup made by the other engine. */
export function otherEngineBackup(file: string, engine: 'sqlite' | 'postgres'): string | undefined {
  const kind = backupKind(file);
  if (engine === 'postgres' && kind !== 'postgres')
    return kind === 'sqlite'
      ? `${file} is a SQLite backup: restore it with DATABASE_URL unset (into DATABASE_PATH), then move that database to PostgreSQL with db:copy`
      : `${file} is not a PostgreSQL dump (pg_dump custom format, as qms backup writes with DATABASE_URL set)`;
  if (engine === 'sqlite' && kind === 'postgres')
    return `${file} is a PostgreSQL dump (pg_dump): restore it with DATABASE_URL set to a PostgreSQL database; a SQLite office moves to PostgreSQL with db:copy`;
  return undefined;
}

/** `audit-log:verify --backup FILE` for a dump: restored into a temporary database on the configured server, verified there. */
export async function verifyPostgresDump(config: Config, file: string): Promise<{ chain: VerifyResult; manifest: 'ok' | 'absent' }> {
  if (!config.databaseUrl) throw new Error(`${file} is a PostgreSQL dump: set DATABASE_URL to a PostgreSQL server where it can be restored for the check`);
  const key = configuredKey(config);
  const manifest = readManifest(file, key);
  if (manifest.state === 'bad') throw new Error(`${file}: ${manifest.reason}`);
  const { chain } = await checkDumpCopy(config.databaseUrl, file, key, manifestAnchors(manifest, file));
  return { chain, manifest: manifest.state };
}

/**
 * `qms restore FILE [--force]` on PostgreSQL:
 * 0. Refused while any app process holds its shared advisory lock on the target database (app-lock.ts); the restore
 *    holds that lock exclusively on a connection to the target from before the checks until the end, through the
 *    pg_restore that replaces the target's tables (the database itself is kept), so no app starts meanwhile.
 * 1. FILE must be a pg_dump custom-format dump (a SQLite backup is refused: db:copy moves SQLite to PostgreSQL); its
 *    manifest is read (signature, SHA-256); the target (DATABASE_URL) must not have users unless --force.
 * 2. FILE is restored into a temporary database on the same server; its audit chain is verified there, held to the
 *    manifest's anchor (a broken chain or manifest needs --force); that copy is migrated, the restore is recorded in
 *    its audit log and its chain verified again.
 * 3. The checked copy is dumped and restored over the target with `pg_restore --single-transaction --clean
 *    --if-exists --no-owner`: one transaction, so the target is either the old database or the complete new one
 *    whatever kills the command, and the app's connections (and DATABASE_URL) stay valid. Restoring the checked copy
 *    rather than FILE puts the migrations and the restore's audit row in that same transaction. Renaming databases
 *    instead would need every connection to the target closed, the right to rename it, and would lose its
 *    database-level settings and grants. The target's chain is verified once more, held to the copy's head, and the
 *    head file follows (both heads while the target is being replaced, as on SQLite).
 */
export async function restorePostgres(config: Config, file: string, force: boolean): Promise<string> {
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  return withRestoreLock(config, () => restoreLocked(config, file, force));
}

async function restoreLocked(config: Config, file: string, force: boolean): Promise<string> {
  const url = config.databaseUrl!;
  const wrong = otherEngineBackup(file, 'postgres');
  if (wrong) throw new Error(wrong);
  const key = configuredKey(config);
  const manifest = readManifest(file, key);
  const target = displayUrl(url);
  const server = openPostgresKysely(url, { poolSize: 1 });
  let users = 0;
  try {
    if (!(await canCreateDatabases(server.db)))
      throw new Error('restore checks the dump in a temporary database before it replaces anything: the role of DATABASE_URL needs CREATEDB');
    const table = await sql<{ t: string | null }>`select to_regclass('users')::text as t`.execute(server.db);
    if (table.rows[0]?.t) users = Number((await sql<{ n: number }>`select count(*) as n from users`.execute(server.db)).rows[0].n);
  } finally {
    await server.db.destroy();
  }
  if (users > 0 && !force) throw new Error(`${target} is not empty (${users} users); add --force to overwrite it`);
  // a manifest that does not check out is refused before anything is restored (a changed dump may not even restore)
  if (manifest.state === 'bad' && !force) throw new Error(`${file}: ${manifest.reason}; add --force to restore it anyway (recorded in the audit log)`);

  const staging = mkdtempSync(join(tmpdir(), 'qms-restore-'));
  try {
    const checked = join(staging, 'checked.dump');
    const { head, verified } = await withTemporaryDatabase(url, 'restore', async (tmpUrl) => {
      await pgRestore(file, tmpUrl); // with the grants: this copy is what the target becomes
      const copy = openPostgresKysely(tmpUrl, { poolSize: 2, auditKey: key });
      let result: { head: ChainAnchor | undefined; verified: string };
      try {
        await assertNoTriggerCheckedOrphans(copy.db, file);
        const sourceEpoch = await readEpoch(copy.db);
        if (sourceEpoch && (!key || key.id !== sourceEpoch.key_id))
          throw new Error(
            `${file}'s audit log is keyed with audit key ${sourceEpoch.key_id}, and AUDIT_KEY_FILE (${config.auditKeyFile}) ` +
              `${key ? `holds key ${key.id}` : 'does not exist'}: copy that key's file there (or set AUDIT_KEY_FILE to it), then restore`,
          );
        const first = await verify(copy.db, { key: key ?? null, headFile: null, anchors: manifestAnchors(manifest, file) });
        const overridden: string[] = [];
        if (!first.ok) overridden.push(`audit log ${describeChain(first)}`);
        if (manifest.state === 'bad') overridden.push(manifest.reason);
        if (manifest.state === 'absent' && sourceEpoch)
          overridden.push(`no manifest beside ${basename(file)}: rows missing at the end of its audit log could not be detected`);
        if (overridden.length > 0 && !force) throw new Error(`${file}: ${overridden[0]}; add --force to restore it anyway (recorded in the audit log)`);
        if (users > 0) overridden.push(`replaced a database with ${users} users`);
        await migrateToLatest(copy.db);
        await recordRestore(copy.db, file, manifest, overridden);
        const chain = await verify(copy.db, { key: key ?? null, headFile: null, anchors: manifestAnchors(manifest, file) });
        if (!chain.ok && overridden.length === 0) throw new Error(`the restored copy's audit log is ${describeChain(chain)}`);
        const epoch = await readEpoch(copy.db);
        result = {
          head: key && epoch ? signAnchor(key, await readChainHead(copy.db), epoch.keyed_from) : undefined,
          verified: chain.ok
            ? `audit log verified (${describeChain(chain)})`
            : `audit log BROKEN (${describeChain(chain)}), restored because of --force (recorded in the audit log)`,
        };
      } finally {
        await copy.db.destroy();
      }
      const { dbname, env } = forTools(tmpUrl);
      await runTool('pg_dump', ['--format=custom', '--file', checked, '--dbname', dbname], env);
      return result;
    });

    const before = readHeadFile(config.auditHeadFile);
    if (head) writeHeadFile(config.auditHeadFile, target, before.state === 'ok' ? [...before.heads, head] : [head]);
    try {
      await pgRestore(checked, url, ['--single-transaction', '--clean', '--if-exists']);
    } catch (err) {
      if (head) {
        if (before.state === 'ok') writeHeadFile(config.auditHeadFile, target, before.heads);
        else rmSync(config.auditHeadFile, { force: true });
      }
      throw new Error(
        `${(err as Error).message}; ${target} is unchanged (one transaction). Restore with the DATABASE_URL of the role that owns the tables (the one that runs migrate)`,
      );
    }
    const restored = openPostgresKysely(url, { poolSize: 2, auditKey: key });
    try {
      const anchors = head ? [{ source: 'the checked copy', anchors: [head] }] : [];
      const again = await verify(restored.db, { key: key ?? null, headFile: null, anchors });
      if (!again.ok && verified.startsWith('audit log verified'))
        throw new Error(`${target} was restored, but its audit log is then ${describeChain(again)}: run qms audit-log:verify`);
    } finally {
      await restored.db.destroy();
    }
    if (head) writeHeadFile(config.auditHeadFile, target, [head]);
    else rmSync(config.auditHeadFile, { force: true });
    return `restored ${file} into ${target} (pg_restore, one transaction): checked first in a temporary database, ${verified}, verified again on the target`;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
