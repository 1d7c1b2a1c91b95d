import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { sql } from 'kysely';
import type { Statement } from 'better-sqlite3';
import { GENESIS_HASH, readEpoch, type Db, type RawSqlite } from './audit-chain';
import type { AuditKey } from './audit-key';

/**
 * Anchors: the audit log's head (how many rows, the last id and its hash) signed with the audit key and kept where
 * deleting rows from the database cannot reach it. A keyed chain proves that every row present is genuine; only an
 * anchor shows that rows are missing at the end ("delete the last row"). Anchors are kept
 * - in the head file (AUDIT_HEAD_FILE, default `<database>.audit-head`), rewritten after every commit that adds audit
 *   rows (HeadPublisher below), so it is at most a crash behind the database, never ahead of it;
 * - in every backup's manifest (`<backup>.manifest.json`), and in every electronic signature (e_signatures.audit_anchor).
 * An anchor "holds" when the chain has the anchored row, with that hash, as its N-th row.
 */
export interface ChainHead {
  rows: number;
  headId: number;
  headHash: string;
}

export interface ChainAnchor extends ChainHead {
  keyedFrom: number;
  keyId: string;
  mac: string;
}

function anchorPayload(a: Omit<ChainAnchor, 'mac'>): string {
  return JSON.stringify(['qms-audit-anchor/1', a.rows, a.headId, a.headHash, a.keyedFrom, a.keyId]);
}

export function signAnchor(key: AuditKey, head: ChainHead, keyedFrom: number): ChainAnchor {
  const unsigned = { rows: head.rows, headId: head.headId, headHash: head.headHash, keyedFrom, keyId: key.id };
  return { ...unsigned, mac: key.mac(anchorPayload(unsigned)) };
}

export function anchorSigned(key: AuditKey, a: ChainAnchor): boolean {
  return a.keyId === key.id && key.mac(anchorPayload(a)) === a.mac;
}

/** An anchor read from JSON, or undefined when it does not have an anchor's shape. */
export function parseAnchor(value: unknown): ChainAnchor | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const int = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  const text = (x: unknown) => typeof x === 'string' && x.length > 0 && x.length <= 200;
  if (!int(v.rows) || !int(v.headId) || !int(v.keyedFrom) || !text(v.headHash) || !text(v.keyId) || !text(v.mac)) return undefined;
  return {
    rows: v.rows as number,
    headId: v.headId as number,
    headHash: v.headHash as string,
    keyedFrom: v.keyedFrom as number,
    keyId: v.keyId as string,
    mac: v.mac as string,
  };
}

/** The head of the chain as it is now (counts every row: run it inside the transaction whose head it describes). */
export function readChainHead(sqlite: RawSqlite): ChainHead {
  const last = sqlite.prepare('select id, hash from audit_log order by id desc limit 1').get() as { id: number; hash: string } | undefined;
  const { n } = sqlite.prepare('select count(*) as n from audit_log').get() as { n: number };
  return { rows: n, headId: last?.id ?? 0, headHash: last?.hash ?? GENESIS_HASH };
}

/** The signed head inside a transaction (for a signature), or undefined on a database whose chain is not keyed. */
export async function currentAnchor(trx: Db): Promise<ChainAnchor | undefined> {
  const epoch = await trx.selectFrom('audit_chain').select(['keyed_from', 'key_id']).where('id', '=', 1).executeTakeFirst();
  if (!epoch) return undefined;
  const last = await trx.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const { n } = await trx
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const unsigned = { rows: Number(n), headId: last?.id ?? 0, headHash: last?.hash ?? GENESIS_HASH, keyedFrom: epoch.keyed_from, keyId: epoch.key_id };
  const signed = await sql<{ mac: string }>`select qms_audit_mac(${anchorPayload(unsigned)}) as mac`.execute(trx);
  return { ...unsigned, mac: signed.rows[0].mac };
}

export type HeadFileRead = { state: 'absent' } | { state: 'unreadable'; reason: string } | { state: 'ok'; heads: ChainAnchor[]; text: string };

function parseHeadFile(text: string): HeadFileRead {
  try {
    const parsed = JSON.parse(text) as { format?: unknown; heads?: unknown };
    if (parsed.format !== 'qms-audit-head/1' || !Array.isArray(parsed.heads) || parsed.heads.length === 0)
      return { state: 'unreadable', reason: 'not a head file' };
    const heads = parsed.heads.map(parseAnchor);
    if (heads.some((h) => h === undefined)) return { state: 'unreadable', reason: 'a head without the shape of an anchor' };
    return { state: 'ok', heads: heads as ChainAnchor[], text };
  } catch {
    return { state: 'unreadable', reason: 'not JSON' };
  }
}

/** The head file; read until two reads agree, as another process may be rewriting it in place at that moment. */
export function readHeadFile(file: string): HeadFileRead {
  let previous: string | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!existsSync(file)) return { state: 'absent' };
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      return { state: 'unreadable', reason: (err as Error).message };
    }
    if (text === previous) return parseHeadFile(text);
    previous = text;
  }
  return { state: 'unreadable', reason: 'it kept changing while being read' };
}

/** Every head file has this size (padded with spaces), so that it can be rewritten in place, block for block. */
const HEAD_FILE_BYTES = 2048;

function headFileText(database: string, heads: ChainAnchor[]): string {
  const text = JSON.stringify({ format: 'qms-audit-head/1', database, written_at: new Date().toISOString(), heads });
  const size = Buffer.byteLength(text);
  return size < HEAD_FILE_BYTES ? `${text}${' '.repeat(HEAD_FILE_BYTES - size - 1)}\n` : `${text}\n`;
}

/**
 * Replaces the head file: written in full to a temporary file, fsynced, then renamed over it (a restore: rare, and
 * it must not be lost). `heads` holds one anchor, or two while a restore swaps the database (the old one's and the
 * new one's: either may be in place).
 */
export function writeHeadFile(file: string, database: string, heads: ChainAnchor[]): string {
  const text = headFileText(database, heads);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return text;
}

/**
 * Rewrites the head file in place after a commit: one write of the same size over the same blocks, not fsynced (a
 * temporary file renamed over it, or an fsync, would add milliseconds to every change). A power cut then leaves the
 * previous head, behind the database, which is accepted; or, on some disks, a torn file, which audit-log:verify
 * reports until the next change rewrites it.
 */
export function overwriteHeadFile(file: string, database: string, heads: ChainAnchor[]): string {
  const text = headFileText(database, heads);
  const fd = openSync(file, existsSync(file) ? 'r+' : 'w', 0o600);
  try {
    writeSync(fd, text, 0);
    if (fstatSync(fd).size > Buffer.byteLength(text)) ftruncateSync(fd, Buffer.byteLength(text));
  } finally {
    closeSync(fd);
  }
  return text;
}

/**
 * Keeps the head file up to date, from the database driver: `capture()` inside a transaction just before COMMIT
 * (cheap: one lookup of the last row, and a count of the rows after the last head it saw), `publish()` after it.
 * It never writes a head the database does not contain, and it does not overwrite a head file whose anchor the
 * database no longer contains (rows deleted behind the app's back): that file is the evidence `audit-log:verify`
 * reports. A head written by another process (the CLI while the server runs) that is ahead of ours is kept.
 */
export class HeadPublisher {
  private last?: Statement;
  private countAfter?: Statement;
  private countAll?: Statement;
  private rowOf?: Statement;
  private rows?: number;
  private lastId?: number;
  private keyedFrom?: number;
  private lastWritten?: string;
  private readonly warned = new Set<string>();

  constructor(
    private readonly sqlite: RawSqlite,
    private readonly key: AuditKey,
    readonly file: string,
    private readonly database: string,
  ) {}

  capture(): ChainHead | undefined {
    try {
      this.last ??= this.sqlite.prepare('select id, hash from audit_log order by id desc limit 1');
      const last = this.last.get() as { id: number; hash: string } | undefined;
      if (!last || last.id === this.lastId) return undefined;
      let rows: number;
      if (this.rows !== undefined && this.lastId !== undefined && last.id > this.lastId) {
        this.countAfter ??= this.sqlite.prepare('select count(*) as n from audit_log where id > ?');
        rows = this.rows + (this.countAfter.get(this.lastId) as { n: number }).n;
      } else {
        this.countAll ??= this.sqlite.prepare('select count(*) as n from audit_log');
        rows = (this.countAll.get() as { n: number }).n;
      }
      return { rows, headId: last.id, headHash: last.hash };
    } catch {
      // no audit_log (a migration's transaction, before the table exists or after it was dropped)
      this.last = this.countAfter = this.countAll = this.rowOf = undefined;
      return undefined;
    }
  }

  publish(head: ChainHead): void {
    this.rows = head.rows;
    this.lastId = head.headId;
    try {
      this.keyedFrom ??= readEpoch(this.sqlite)?.keyed_from;
      if (this.keyedFrom === undefined) return;
      const current = readHeadFile(this.file);
      if (current.state === 'unreadable') this.warn(`the audit head file ${this.file} was unreadable (${current.reason}); replaced`);
      if (current.state === 'ok') {
        const ours = current.text === this.lastWritten; // as this process wrote it: signed, and no other process since
        const heads = ours ? current.heads : current.heads.filter((h) => anchorSigned(this.key, h));
        // a later head another process wrote (the CLI while the server runs), which the database has: keep it
        if (heads.some((h) => h.headId > head.headId && this.contains(h))) return;
        // otherwise ours must extend a head of the file (two while a restore was interrupted: either may be in place)
        if (!heads.some((h) => h.headId <= head.headId && this.contains(h)))
          return this.warn(`the audit log no longer contains the head anchored in ${this.file}; it is kept as evidence: run qms audit-log:verify`);
      }
      this.lastWritten = overwriteHeadFile(this.file, this.database, [signAnchor(this.key, head, this.keyedFrom)]);
    } catch (err) {
      this.warn(`the audit head file ${this.file} could not be written: ${(err as Error).message}`);
    }
  }

  /** The database still has the anchored head: the same hash at the same id (one lookup by primary key). */
  private contains(h: ChainAnchor): boolean {
    if (h.headId === 0) return true;
    this.rowOf ??= this.sqlite.prepare('select hash from audit_log where id = ?');
    return (this.rowOf.get(h.headId) as { hash: string } | undefined)?.hash === h.headHash;
  }

  private warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    console.error(`audit log: ${message}`);
  }
}
