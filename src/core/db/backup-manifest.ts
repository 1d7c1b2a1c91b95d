import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { anchorSigned, parseAnchor, readChainHead, readHeadFile, signAnchor, type ChainAnchor } from '../audit-log/audit-anchor';
import { readEpoch } from '../audit-log/audit-chain';
import { readAuditKey, type AuditKey } from '../audit-log/audit-key';
import { record, verify, type AnchorGroup, type VerifyResult } from '../audit-log/audit-log';
import type { Config } from '../../config';
import { kyselyOver, type Db } from './database';

/**
 * `<backup>.manifest.json`, written beside every backup: the file's size and SHA-256, and the audit log's signed
 * head in it (rows, last id, last hash), with an HMAC under the audit key over the whole manifest. A backup whose
 * audit log lost rows at the end, or whose bytes changed, no longer matches its manifest; `restore` checks both.
 */
export interface BackupManifest {
  format: 'qms-backup-manifest/1';
  /** Absent: a SQLite database file (every manifest before PostgreSQL); 'postgres': a pg_dump custom-format dump. */
  engine?: 'postgres';
  file: string;
  bytes: number;
  sha256: string;
  created_at: string;
  database: string;
  audit: {
    rows: number;
    keyed_from: number | null;
    key_id: string | null;
    key_file: string;
    anchor: ChainAnchor | null;
    verified: boolean;
    problem: string | null;
    forced: boolean;
  };
  mac: string;
}

export const manifestPath = (backup: string) => `${backup}.manifest.json`;

/** What the HMAC covers; a PostgreSQL dump's engine is signed too (SQLite's manifests keep the payload they always had). */
const payload = (m: Omit<BackupManifest, 'mac'>) =>
  JSON.stringify(['qms-backup-manifest/1', m.file, m.bytes, m.sha256, m.created_at, m.database, m.audit, ...(m.engine === undefined ? [] : [m.engine])]);

export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export interface CopyCheck {
  integrity: string;
  foreignKeyProblems: number;
  chain: VerifyResult;
  anchor: ChainAnchor | null;
  rows: number;
}

/** integrity_check, foreign_key_check and the audit chain of a database file, opened read-only. */
export async function checkCopy(path: string, key: AuditKey | undefined, anchors: AnchorGroup[]): Promise<CopyCheck> {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(copy.pragma('integrity_check', { simple: true }));
    const foreignKeyProblems = (copy.pragma('foreign_key_check') as unknown[]).length;
    const db = kyselyOver(copy);
    const chain = await verify(db, { key: key ?? null, headFile: null, anchors });
    const head = await readChainHead(db);
    const epoch = await readEpoch(db);
    const anchor = key && epoch && epoch.key_id === key.id ? signAnchor(key, head, epoch.keyed_from) : null;
    return { integrity, foreignKeyProblems, chain, anchor, rows: head.rows };
  } finally {
    copy.close();
  }
}

export function makeManifest(
  key: AuditKey | undefined,
  fields: Omit<BackupManifest, 'format' | 'mac' | 'audit'> & { audit: Omit<BackupManifest['audit'], 'key_id'> },
): BackupManifest {
  const unsigned: Omit<BackupManifest, 'mac'> = { format: 'qms-backup-manifest/1', ...fields, audit: { ...fields.audit, key_id: key?.id ?? null } };
  return { ...unsigned, mac: key ? key.mac(payload(unsigned)) : '' };
}

/** Written in full to a temporary file, fsynced, then renamed into place. */
export function writeManifest(path: string, manifest: BackupManifest): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export type ManifestRead = { state: 'absent' } | { state: 'bad'; reason: string } | { state: 'ok'; manifest: BackupManifest };

/** The manifest beside `backup`, checked against the key and the backup's bytes. */
export function readManifest(backup: string, key: AuditKey | undefined): ManifestRead {
  const path = manifestPath(backup);
  if (!existsSync(path)) return { state: 'absent' };
  let m: BackupManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch {
    return { state: 'bad', reason: `${basename(path)} is not JSON` };
  }
  if (m.format !== 'qms-backup-manifest/1' || typeof m.audit !== 'object' || m.audit === null)
    return { state: 'bad', reason: `${basename(path)} is not a backup manifest` };
  if (!key) return { state: 'bad', reason: `${basename(path)} cannot be checked without the audit key ${m.audit.key_id ?? ''}`.trim() };
  if (m.mac !== key.mac(payload(m))) return { state: 'bad', reason: `${basename(path)} is not signed with audit key ${key.id}` };
  if (m.audit.anchor !== null && (!parseAnchor(m.audit.anchor) || !anchorSigned(key, m.audit.anchor)))
    return { state: 'bad', reason: `the anchor in ${basename(path)} is not signed with audit key ${key.id}` };
  const sha256 = sha256File(backup);
  if (sha256 !== m.sha256) return { state: 'bad', reason: `${basename(backup)} is not the file its manifest describes (SHA-256 differs)` };
  return { state: 'ok', manifest: m };
}

/** What a backup file is, from its first bytes: a SQLite database, a pg_dump custom-format dump, or neither. */
export function backupKind(path: string): 'sqlite' | 'postgres' | 'unknown' {
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  return 'unknown';
}

export function manifestAnchors(read: ManifestRead, backup: string): AnchorGroup[] {
  return read.state === 'ok' && read.manifest.audit.anchor
    ? [{ source: `manifest ${basename(manifestPath(backup))}`, anchors: [read.manifest.audit.anchor] }]
    : [];
}

/** The key for checking a backup: the configured key file, read only (a restore creates it only for an unkeyed backup). */
export const configuredKey = (config: Config) => readAuditKey(config.auditKeyFile);

export function describeChain(chain: Awaited<ReturnType<typeof checkCopy>>['chain']): string {
  if (!chain.ok) return chain.brokenAt ? `broken at row ${chain.brokenAt.id} (${chain.brokenAt.reason})` : `broken: ${chain.problem}`;
  if (chain.empty) return 'empty';
  return `${chain.checked} rows${chain.keyedFrom === undefined ? ', not keyed' : `, keyed from row ${chain.keyedFrom}`}`;
}

export function liveAnchors(config: Config): AnchorGroup[] {
  const read = readHeadFile(config.auditHeadFile);
  return read.state === 'ok' ? [{ source: `head file ${config.auditHeadFile}`, anchors: read.heads }] : [];
}

/** The restored database's audit entry: which file, its SHA-256, whether a manifest vouched for it, what --force overrode. */
export async function recordRestore(db: Db, file: string, manifest: ManifestRead, overridden: string[]): Promise<void> {
  await db.transaction().execute((trx) =>
    record(
      trx,
      {
        userId: null,
        action: 'restore',
        entity: 'database',
        entityId: null,
        new: {
          file: basename(file),
          sha256: manifest.state === 'ok' ? manifest.manifest.sha256 : sha256File(file),
          manifest: manifest.state === 'ok',
          forced: overridden.length > 0,
        },
        reason: overridden.length > 0 ? `--force: ${overridden.join('; ')}` : null,
      },
      new Date(),
    ),
  );
}
