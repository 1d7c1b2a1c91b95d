import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../../config';
import { fsyncFolder } from '../audit-log/audit-key';
import { record } from '../audit-log/audit-log';
import { databaseOptions, openDatabase } from './database';
import { checkCopy, describeChain, liveAnchors, makeManifest, manifestPath, sha256File, writeManifest } from './backup-manifest';
import { backupPostgres } from './backup-postgres';

/**
 * `qms backup FILE [--force]`: SQLite's online backup (consistent while the app runs) into a temporary file beside
 * FILE, then integrity_check, foreign_key_check and the audit chain on the copy, held to the live head file read
 * before the copy began. A broken chain refuses the backup (nothing is kept) unless --force, and a forced backup is
 * recorded in the live audit log. The copy is made a single file (rollback journal), `FILE.manifest.json` is written
 * beside it, and only then is the copy renamed to FILE.
 */
export async function backupDatabase(config: Config, file: string, force: boolean): Promise<string> {
  // PostgreSQL (DATABASE_URL): pg_dump's custom format, the same checks on a copy restored from it (backup-postgres.ts)
  if (config.databaseUrl) return backupPostgres(config, file, force);
  if (existsSync(file)) throw new Error(`${file} already exists; choose a new file name`);
  if (existsSync(manifestPath(file))) throw new Error(`${manifestPath(file)} already exists; choose a new file name`);
  if (!existsSync(config.databasePath)) throw new Error(`there is no database at ${config.databasePath}`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  const source = openDatabase(config.databasePath, databaseOptions(config));
  try {
    const key = source.auditKey;
    const anchors = liveAnchors(config); // read before the copy: the copy holds at least what it anchors
    await source.sqlite.backup(partial);
    const single = new Database(partial);
    single.pragma('journal_mode = DELETE');
    single.close();
    const check = await checkCopy(partial, key, anchors);
    const keep = () => {
      renameSync(partial, file);
      fsyncFolder(dirname(file));
    };
    if (check.integrity !== 'ok') {
      keep();
      throw new Error(`backup written to ${file} but integrity_check says: ${check.integrity}`);
    }
    if (check.foreignKeyProblems > 0) {
      keep();
      throw new Error(`backup written to ${file} but foreign_key_check found ${check.foreignKeyProblems} problems`);
    }
    const chain = describeChain(check.chain);
    if (!check.chain.ok && !force) {
      rmSync(partial, { force: true });
      throw new Error(`the audit log is ${chain}; no backup written. Investigate, or add --force to back up anyway (recorded in the audit log)`);
    }
    if (!check.chain.ok) {
      await source.db
        .transaction()
        .execute((trx) =>
          record(
            trx,
            { userId: null, action: 'backup_forced', entity: 'database', entityId: null, new: { file: basename(file) }, reason: `audit log ${chain}` },
            new Date(),
          ),
        );
    }
    const manifest = makeManifest(key, {
      file: basename(file),
      bytes: statSync(partial).size,
      sha256: sha256File(partial),
      created_at: new Date().toISOString(),
      database: config.databasePath,
      audit: {
        rows: check.rows,
        keyed_from: check.chain.keyedFrom ?? null,
        key_file: config.auditKeyFile,
        anchor: check.anchor,
        verified: check.chain.ok,
        problem: check.chain.ok ? null : chain,
        forced: !check.chain.ok,
      },
    });
    writeManifest(manifestPath(file), manifest);
    keep();
    const audit = check.chain.ok ? `audit log verified (${chain})` : `audit log BROKEN (${chain}), backed up because of --force (recorded in the audit log)`;
    return (
      `backup written to ${file}: integrity_check ok, foreign_key_check ok, ${audit}; manifest ${manifestPath(file)}. ` +
      `Restoring it needs the audit key ${config.auditKeyFile}${key ? ` (key ${key.id})` : ''}: keep a copy of that file, apart from the backups`
    );
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    await source.close();
  }
}
