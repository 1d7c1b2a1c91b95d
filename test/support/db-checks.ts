import { createHash } from 'node:crypto';
import { verify, type VerifyResult } from '../../src/core/audit-log/audit-log';
import { kyselyOver, type Db, type RawSqlite } from '../../src/core/db/database';

/**
 * Whole-database checks for the security suites: a checksum of every table's rows (to prove a refused
 * request changed nothing), and the health checks a crash or a fuzzing run must leave clean.
 */
const VOLATILE = new Set(['sessions', 'login_attempts']);

export function tableNames(sqlite: RawSqlite): string[] {
  return (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !VOLATILE.has(n));
}

/** SHA-256 over every row of every table except sessions and login attempts, per table. */
export function checksums(sqlite: RawSqlite): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of tableNames(sqlite)) {
    const hash = createHash('sha256');
    let statement;
    try {
      statement = sqlite.prepare(`select * from "${name}" order by rowid`);
    } catch {
      statement = sqlite.prepare(`select * from "${name}" order by 1, 2`); // WITHOUT ROWID
    }
    let n = 0;
    for (const row of statement.raw().iterate() as IterableIterator<unknown[]>) {
      hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v)));
      n++;
    }
    out[name] = `${n}:${hash.digest('hex').slice(0, 16)}`;
  }
  return out;
}

/** The tables whose checksum differs between two snapshots. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

export interface Health {
  integrity: string;
  foreignKeyProblems: unknown[];
  auditLog: VerifyResult;
}

/** `db`: the database opened on `sqlite` (its key and head file), else a file opened here (those beside it). */
export async function health(sqlite: RawSqlite, db: Db = kyselyOver(sqlite)): Promise<Health> {
  return {
    integrity: String(sqlite.pragma('integrity_check', { simple: true })),
    foreignKeyProblems: sqlite.pragma('foreign_key_check') as unknown[],
    auditLog: await verify(db),
  };
}

/**
 * Cheap "did anything change?" for many requests in a row: SQLite's total_changes() on the app's own
 * connection moves with every row written (sessions too, and writes later rolled back), so the full checksum
 * is recomputed only when it moved, and only real differences in the tables count.
 */
export class ChangeWatch {
  private snapshot: Record<string, string>;
  private mark: number;
  constructor(private readonly sqlite: RawSqlite) {
    this.snapshot = checksums(sqlite);
    this.mark = this.totalChanges();
  }

  private totalChanges(): number {
    return (this.sqlite.prepare('select total_changes() as n').get() as { n: number }).n;
  }

  /** Tables whose rows changed since the previous call (or since the watch began). */
  changed(): string[] {
    const now = this.totalChanges();
    if (now === this.mark) return [];
    const after = checksums(this.sqlite);
    const diff = changedTables(this.snapshot, after);
    this.snapshot = after;
    this.mark = this.totalChanges();
    return diff;
  }
}
