import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The audit log's key: 32 random bytes in a file OUTSIDE the database (AUDIT_KEY_FILE, default `audit.key` in the
 * database's folder, mode 0600), created on first start. Every audit row written since the key exists carries an
 * HMAC-SHA256 under it, so rows cannot be changed, added or re-chained by someone who can edit the database file
 * but cannot read the key. The key is never stored in the database; a backup does not contain it.
 */
export interface AuditKey {
  /** A public fingerprint of the key (16 hex digits), recorded in the database and in anchors. */
  readonly id: string;
  /** The file it was read from; null for an in-memory database's throw-away key. */
  readonly file: string | null;
  /** HMAC-SHA256 of the text under the key, in hex. */
  mac(text: string): string;
}

const KEY_HEX = /^[0-9a-f]{64}$/;

function fromSecret(secret: Buffer, file: string | null): AuditKey {
  const mac = (text: string) => createHmac('sha256', secret).update(text, 'utf8').digest('hex');
  return Object.freeze({ id: mac('qms-tracker audit key id').slice(0, 16), file, mac });
}

/** The default key file for a database: `audit.key` in its folder (as config.ts). */
export function defaultAuditKeyFile(databasePath: string): string {
  return join(dirname(databasePath), 'audit.key');
}

/** The key in `file`, or undefined when there is no such file. A file that is not a key is an error. */
export function readAuditKey(file: string): AuditKey | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  if (!KEY_HEX.test(text)) throw new Error(`${file} is not an audit key (64 hexadecimal digits expected)`);
  return fromSecret(Buffer.from(text, 'hex'), file);
}

/** fsync of a folder, so that a file created or renamed in it survives a power cut (not possible on Windows). */
export function fsyncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder; its file system orders the rename itself
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Creates the key file (mode 0600) unless it exists: written in full to a private temporary file, then linked into
 * place, so a reader never sees half a key and two processes starting at once end up with the same key.
 */
export function createAuditKey(file: string): AuditKey {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  fsyncFolder(dirname(file));
  return readAuditKey(file)!;
}

/** A throw-away key for an in-memory database (tests): nothing outlives it. */
export function memoryAuditKey(): AuditKey {
  return fromSecret(randomBytes(32), null);
}

/**
 * The key for a database opened for writing: read from its file, or created there when the database's audit log is
 * not keyed yet (`keyedWith`: the key id its audit_chain records, undefined when there is none). A keyed database
 * whose key file is missing, or holds another key, is refused: new rows would not verify, and a fresh key would hide
 * that the old one is gone.
 */
export function loadAuditKey(file: string, keyedWith: string | undefined): AuditKey {
  const key = readAuditKey(file) ?? (keyedWith === undefined ? createAuditKey(file) : undefined);
  if (!key)
    throw new Error(
      `the audit log of this database is keyed with audit key ${keyedWith}, but the key file ${file} does not exist: ` +
        'copy the key file from where the database came from, or set AUDIT_KEY_FILE to it',
    );
  if (keyedWith !== undefined && keyedWith !== key.id)
    throw new Error(`${file} holds audit key ${key.id}, but this database's audit log is keyed with ${keyedWith}: set AUDIT_KEY_FILE to that key's file`);
  return key;
}
