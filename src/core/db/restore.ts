import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../../config';
import { readChainHead, readHeadFile, signAnchor, writeHeadFile, type ChainAnchor } from '../audit-log/audit-anchor';
import { readEpoch } from '../audit-log/audit-chain';
import { fsyncFolder } from '../audit-log/audit-key';
import { verify } from '../audit-log/audit-log';
import { checkCopy, configuredKey, describeChain, manifestAnchors, readManifest, recordRestore } from './backup-manifest';
import { withRestoreLock } from './app-lock';
import { otherEngineBackup, restorePostgres } from './backup-postgres';
import { databaseOptions, kyselyOver, openDatabase } from './database';
import { migrateToLatest } from './migrate';

/**
 * `qms restore FILE [--force]`, atomic: at every instant DATABASE_PATH is either the old database or the complete new
 * one, whatever kills the command.
 * 0. Refused while any app process uses the database: the app holds its lock for its whole life (app-lock.ts), and
 *    the restore holds that lock exclusively from before it changes anything until it is done, so an app started
 *    meanwhile is refused too. A server that kept its handles on the replaced files would lose every write it
 *    acknowledged after the restore: stop the app, restore, start the app.
 * 1. FILE is checked where it lies: integrity_check, its manifest (signature, SHA-256), its audit chain held to the
 *    manifest's anchor. A broken chain or manifest needs --force; a database with users needs --force.
 * 2. FILE is copied into a staging file beside DATABASE_PATH (same folder, so the rename below is atomic), migrated,
 *    the restore is recorded in its audit log, its chain verified again, made a single file and fsynced.
 * 3. The head file is told that either head is fine; the old database is checkpointed (its -wal emptied into it, so
 *    it is complete in its main file), its -wal/-shm removed (a stale -wal beside the new file would be replayed into
 *    it), then the staging file is renamed over it, the folder fsynced, and the head file holds the new head.
 */
const STAGING = '.restore-';

interface Target {
  users: number;
  readable: boolean;
  reason?: string;
}

function inspectTarget(path: string): Target | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const hasUsers = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'users'").get();
      return { users: hasUsers ? (db.prepare('select count(*) as n from users').get() as { n: number }).n : 0, readable: true };
    } finally {
      db.close();
    }
  } catch (err) {
    return { users: 0, readable: false, reason: (err as Error).message };
  }
}

/** Staging files of restores killed earlier (their process is gone). */
function removeStaleStaging(target: string): void {
  const folder = dirname(target);
  const prefix = `${basename(target)}${STAGING}`;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)/.exec(name.slice(prefix.length))?.[1]);
    let alive = false;
    try {
      alive = pid > 0 && pid !== process.pid && process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(folder, name), { force: true });
  }
}

/** The old database, whole in its main file: WAL checkpointed and truncated. Refused while another process uses it. */
function settleOldDatabase(target: string): void {
  let old: Database.Database;
  try {
    old = new Database(target, { fileMustExist: true });
  } catch {
    return; // not a database we can open: it is replaced as it is
  }
  try {
    old.pragma('busy_timeout = 10000');
    const [result] = old.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result && result.busy !== 0) throw new Error(`${target} is in use (its write-ahead log could not be checkpointed): stop the app, then restore`);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || /in use/.test((err as Error).message)) throw err;
    // a damaged old database: it is replaced as it is
  } finally {
    old.close();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Tests only (QMS_TEST_RESTORE_PAUSE_MS with NODE_ENV=test): each step is announced on stderr, then waited on. */
function stepper(config: Config): (name: string) => void {
  const pause = config.testRestorePauseMs;
  if (pause === undefined) return () => undefined;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  return (name) => {
    process.stderr.write(`restore step: ${name}\n`);
    if (pause > 0) Atomics.wait(cell, 0, 0, pause);
  };
}

export async function restoreDatabase(config: Config, file: string, force: boolean): Promise<string> {
  // PostgreSQL (DATABASE_URL): pg_restore, checked first in a temporary database (backup-postgres.ts), under the same lock
  if (config.databaseUrl) return restorePostgres(config, file, force);
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  return withRestoreLock(config, () => restoreSqlite(config, file, force));
}

async function restoreSqlite(config: Config, file: string, force: boolean): Promise<string> {
  const step = stepper(config);
  const target = config.databasePath;
  const wrong = otherEngineBackup(file, 'sqlite');
  if (wrong) throw new Error(wrong);
  const key = configuredKey(config);
  const manifest = readManifest(file, key);
  const check = await checkCopy(file, key, manifestAnchors(manifest, file));
  if (check.integrity !== 'ok') throw new Error(`${file} fails integrity_check: ${check.integrity}`);
  const sourceEpoch = await (async () => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return await readEpoch(kyselyOver(db));
    } finally {
      db.close();
    }
  })();
  if (sourceEpoch && (!key || key.id !== sourceEpoch.key_id))
    throw new Error(
      `${file}'s audit log is keyed with audit key ${sourceEpoch.key_id}, and AUDIT_KEY_FILE (${config.auditKeyFile}) ` +
        `${key ? `holds key ${key.id}` : 'does not exist'}: copy that key's file there (or set AUDIT_KEY_FILE to it), then restore`,
    );
  const overridden: string[] = [];
  if (!check.chain.ok) overridden.push(`audit log ${describeChain(check.chain)}`);
  if (manifest.state === 'bad') overridden.push(manifest.reason);
  if (manifest.state === 'absent' && sourceEpoch)
    overridden.push(`no manifest beside ${basename(file)}: rows missing at the end of its audit log could not be detected`);
  const existing = inspectTarget(target);
  if (existing && !existing.readable && !force) throw new Error(`${target} cannot be read (${existing.reason}); add --force to replace it`);
  if (existing && existing.users > 0 && !force) throw new Error(`${target} is not empty (${existing.users} users); add --force to overwrite it`);
  if (overridden.length > 0 && !force) throw new Error(`${file}: ${overridden[0]}; add --force to restore it anyway (recorded in the audit log)`);
  if (existing && existing.users > 0) overridden.push(`replaced a database with ${existing.users} users`);
  step('checked');

  const folder = dirname(target);
  mkdirSync(folder, { recursive: true });
  removeStaleStaging(target);
  const staging = join(folder, `${basename(target)}${STAGING}${process.pid}.sqlite`);
  let renamed = false;
  try {
    const source = new Database(file, { readonly: true, fileMustExist: true });
    try {
      await source.backup(staging, {
        progress: ({ totalPages, remainingPages }) => {
          step(`copying ${totalPages - remainingPages}/${totalPages}`);
          return config.testRestorePauseMs === undefined ? 1000 : 32;
        },
      });
    } finally {
      source.close();
    }
    step('copied');

    const staged = openDatabase(staging, { ...databaseOptions(config), auditHeadFile: null });
    let head: ChainAnchor | undefined;
    let verified: string;
    try {
      await migrateToLatest(staged.db);
      step('migrated');
      await recordRestore(staged.db, file, manifest, overridden);
      step('logged');
      const chain = await verify(staged.db, { headFile: null, anchors: manifestAnchors(manifest, file) });
      if (!chain.ok && overridden.length === 0) throw new Error(`the restored copy's audit log is ${describeChain(chain)}`);
      verified = chain.ok
        ? `audit log verified (${describeChain(chain)})`
        : `audit log BROKEN (${describeChain(chain)}), restored because of --force (recorded in the audit log)`;
      const quick = String(staged.sqlite.pragma('quick_check', { simple: true }));
      if (quick !== 'ok') throw new Error(`the restored copy fails quick_check: ${quick}`);
      const epoch = await readEpoch(staged.db);
      if (staged.auditKey && epoch) head = signAnchor(staged.auditKey, await readChainHead(staged.db), epoch.keyed_from);
      staged.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      staged.sqlite.pragma('journal_mode = DELETE');
    } finally {
      await staged.close();
    }
    fsyncFile(staging);
    step('synced');

    const before = readHeadFile(config.auditHeadFile);
    if (head) writeHeadFile(config.auditHeadFile, target, before.state === 'ok' ? [...before.heads, head] : [head]);
    step('head-pending');
    if (existing) {
      try {
        settleOldDatabase(target);
      } catch (err) {
        if (before.state === 'ok') writeHeadFile(config.auditHeadFile, target, before.heads);
        else rmSync(config.auditHeadFile, { force: true });
        throw err;
      }
      step('old-settled');
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
      step('old-wal-removed');
    }
    renameSync(staging, target);
    renamed = true;
    fsyncFolder(folder);
    step('renamed');
    if (head) writeHeadFile(config.auditHeadFile, target, [head]);
    else rmSync(config.auditHeadFile, { force: true });
    step('done');
    return `restored ${file} into ${target}: integrity_check ok, ${verified}`;
  } finally {
    if (!renamed) for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${staging}${suffix}`, { force: true });
  }
}
