import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { tableExists, type RunQuery } from '../db/dialect/catalog';
import { auditKeyOfDb, type AuditRowNotes, type ChainRow, type Engine } from '../db/dialect/engine';
import { GENESIS_HASH, type Db } from './audit-chain';
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
export async function readChainHead(db: Db): Promise<ChainHead> {
  const last = await db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const { n } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows: Number(n), headId: Number(last?.id ?? 0), headHash: last?.hash ?? GENESIS_HASH };
}

/** The signed head inside a transaction (for a signature), or undefined on a database whose chain is not keyed. */
export async function currentAnchor(trx: Db): Promise<ChainAnchor | undefined> {
  const epoch = await trx.selectFrom('audit_chain').select(['keyed_from', 'key_id']).where('id', '=', 1).executeTakeFirst();
  if (!epoch) return undefined;
  const key = auditKeyOfDb(trx);
  if (!key) throw new Error("the database was opened without an audit key (read-only, or not by openDatabase): it cannot sign the audit log's head");
  return signAnchor(key, await readChainHead(trx), Number(epoch.keyed_from));
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
 * Keeps the head file up to date, from the database driver, through the committing transaction's connection:
 * `capture(run)` inside the transaction just before COMMIT (cheap: whether audit_log exists, one lookup of the last
 * row, and a count of the rows after the last head it saw), `publish(head, run)` after it.
 * It never writes a head the database does not contain, and it does not overwrite a head file whose anchor the
 * database no longer contains (rows deleted behind the app's back): that file is the evidence `audit-log:verify`
 * reports. A head written by another process (the CLI while the server runs) that is ahead of ours is kept.
 */
export class HeadPublisher implements AuditRowNotes {
  private rows?: number;
  /**
   * The rows record() added since the transaction began, each after the one before it (`before`: the last row the
   * first of them read); null when they did not follow one another (rows written otherwise, a savepoint rolled back).
   */
  private recorded?: { before: ChainRow | undefined; head: ChainRow; added: number } | null;
  private lastId?: number;
  private keyedFrom?: number;
  private lastWritten?: string;
  private readonly warned = new Set<string>();
  /** The placeholder of a statement's one parameter, as the engine writes it. */
  private readonly param: string;

  constructor(
    private readonly engine: Engine,
    private readonly key: AuditKey,
    readonly file: string,
    private readonly database: string,
  ) {
    this.param = engine === 'postgres' ? '$1' : '?';
  }

  /** A transaction begins (or ended without COMMIT): the rows noted so far are not its. */
  forgetRecorded(): void {
    this.recorded = undefined;
  }

  /** record() added `added` after reading `before` as the last row (see `recorded`). */
  noteRecorded(before: ChainRow | undefined, added: ChainRow): void {
    const r = this.recorded;
    if (r === undefined) this.recorded = { before, head: added, added: 1 };
    else if (r && before && before.id === r.head.id && before.hash === r.head.hash) this.recorded = { before: r.before, head: added, added: r.added + 1 };
    else this.recorded = null;
  }

  /**
   * The head the transaction is about to commit, or undefined when it added no audit row. When its rows were all
   * added by record(), one after another, from the head this publisher last published, one lookup of the last row
   * confirms it, and the count is the last one's plus the rows added (`checked`: the head the transaction read, so
   * the database has it). Otherwise no statement here may fail on purpose (a failed statement aborts a PostgreSQL
   * transaction): it first asks whether audit_log exists (a migration's transaction, before the table exists or
   * after it was dropped). An unexpected failure is ignored on SQLite, whose transaction goes on; on PostgreSQL it is
   * thrown, as committing would silently roll back.
   */
  async capture(run: RunQuery): Promise<(ChainHead & { checked?: ChainRow }) | undefined> {
    const noted = this.recorded;
    this.recorded = undefined;
    try {
      if (!noted && !(await tableExists(this.engine, run, 'audit_log'))) return undefined;
      const [last] = await run('select id, hash from audit_log order by id desc limit 1', []);
      const lastId = last ? Number(last.id) : undefined;
      if (!last || lastId === this.lastId) return undefined;
      const head = { headId: lastId!, headHash: String(last.hash) };
      if (noted && this.rows !== undefined && head.headId === noted.head.id && head.headHash === noted.head.hash && (noted.before?.id ?? 0) === this.lastId)
        return { rows: this.rows + noted.added, ...head, checked: noted.before };
      const rows =
        this.rows !== undefined && this.lastId !== undefined && lastId! > this.lastId
          ? this.rows + (await this.count(run, `where id > ${this.param}`, [this.lastId]))
          : await this.count(run, '', []);
      return { rows, ...head };
    } catch (err) {
      if (this.engine === 'postgres') throw err;
      return undefined;
    }
  }

  /** After COMMIT: the head file holds `head`, unless it holds evidence of rows removed, or a later head. */
  async publish(head: ChainHead & { checked?: ChainRow }, run: RunQuery): Promise<void> {
    this.rows = head.rows;
    this.lastId = head.headId;
    try {
      this.keyedFrom ??= await this.readKeyedFrom(run);
      if (this.keyedFrom === undefined) return;
      const current = readHeadFile(this.file);
      if (current.state === 'unreadable') this.warn(`the audit head file ${this.file} was unreadable (${current.reason}); replaced`);
      if (current.state === 'ok') {
        const ours = current.text === this.lastWritten; // as this process wrote it: signed, and no other process since
        const heads = ours ? current.heads : current.heads.filter((h) => anchorSigned(this.key, h));
        // a later head another process wrote (the CLI while the server runs), which the database has: keep it
        if (await this.containsAny(run, heads, (h) => h.headId > head.headId, head.checked)) return;
        // otherwise ours must extend a head of the file (two while a restore was interrupted: either may be in place)
        if (!(await this.containsAny(run, heads, (h) => h.headId <= head.headId, head.checked)))
          return this.warn(`the audit log no longer contains the head anchored in ${this.file}; it is kept as evidence: run qms audit-log:verify`);
      }
      this.lastWritten = overwriteHeadFile(this.file, this.database, [signAnchor(this.key, head, this.keyedFrom)]);
    } catch (err) {
      this.warn(`the audit head file ${this.file} could not be written: ${(err as Error).message}`);
    }
  }

  private async count(run: RunQuery, where: string, parameters: unknown[]): Promise<number> {
    const [row] = await run(`select count(*) as n from audit_log ${where}`, parameters);
    return Number(row.n);
  }

  private async readKeyedFrom(run: RunQuery): Promise<number | undefined> {
    if (!(await tableExists(this.engine, run, 'audit_chain'))) return undefined;
    const [epoch] = await run('select keyed_from from audit_chain where id = 1', []);
    return epoch ? Number(epoch.keyed_from) : undefined;
  }

  /**
   * Whether the database still has one of the heads that pass `which` (in the file's order, stopping at the first);
   * `checked`: a row the committed transaction read (rows are never deleted by the app), so no lookup for it.
   */
  private async containsAny(run: RunQuery, heads: ChainAnchor[], which: (h: ChainAnchor) => boolean, checked: ChainRow | undefined): Promise<boolean> {
    for (const h of heads) if (which(h) && (await this.contains(run, h, checked))) return true;
    return false;
  }

  /** The database still has the anchored head: the same hash at the same id (one lookup by primary key). */
  private async contains(run: RunQuery, h: ChainAnchor, checked: ChainRow | undefined): Promise<boolean> {
    if (h.headId === 0) return true;
    if (checked && checked.id === h.headId && checked.hash === h.headHash) return true;
    const [row] = await run(`select hash from audit_log where id = ${this.param}`, [h.headId]);
    return row?.hash === h.headHash;
  }

  private warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    console.error(`audit log: ${message}`);
  }
}
