import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { AuditChainTable, AuditLogTable, DB } from '../db/schema';
import type { AuditKey } from './audit-key';

/**
 * How audit rows are chained. Rows written before the database had an audit key (the "legacy" part) carry a plain
 * SHA-256 of their fields and the previous hash, and stay verifiable as they are. From the row recorded in
 * audit_chain.keyed_from on, every row carries an HMAC-SHA256 under the audit key of its id, its fields and the
 * previous hash: changing a row and recomputing every later hash, or appending a row, needs the key.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The connection types of core/db/database.ts, named here so that database.ts can use this folder without a loop. */
export type RawSqlite = BetterSqlite3.Database;
export type Db = Kysely<DB>;

/** An audit-log row as stored. */
export type StoredRow = Selectable<AuditLogTable>;

export type RowFields = Omit<StoredRow, 'id' | 'hash'>;

/** The plain SHA-256 of a legacy row (before the key). */
export function hashRow(row: RowFields): string {
  const payload = JSON.stringify([row.prev_hash, row.at, row.user_id, row.action, row.entity, row.entity_id, row.old_values, row.new_values, row.reason]);
  return createHash('sha256').update(payload).digest('hex');
}

/** What a keyed row's HMAC covers: a version tag, its id, the previous hash and every field. */
export function keyedPayload(id: number, row: RowFields): string {
  return JSON.stringify([
    'qms-audit/2',
    id,
    row.prev_hash,
    row.at,
    row.user_id,
    row.action,
    row.entity,
    row.entity_id,
    row.old_values,
    row.new_values,
    row.reason,
  ]);
}

export function keyedHash(key: AuditKey, row: StoredRow): string {
  return key.mac(keyedPayload(row.id, row));
}

/** The switch point: the first keyed row's id, the rows and the hash before it, the key's id; signed with the key. */
export type ChainEpoch = Omit<AuditChainTable, 'id'>;

export function epochPayload(e: Omit<ChainEpoch, 'mac'>): string {
  return JSON.stringify(['qms-audit-epoch/1', e.keyed_from, e.rows_before, e.prev_hash, e.key_id, e.created_at]);
}

export function hasTable(sqlite: RawSqlite, name: string): boolean {
  return sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

export function hasColumn(sqlite: RawSqlite, table: string, column: string): boolean {
  return (sqlite.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).some((c) => c.name === column);
}

/** The database's switch point, or undefined (a database from before keys, or not migrated yet). */
export function readEpoch(sqlite: RawSqlite): ChainEpoch | undefined {
  if (!hasTable(sqlite, 'audit_chain')) return undefined;
  return sqlite.prepare('select keyed_from, rows_before, prev_hash, key_id, created_at, mac from audit_chain where id = 1').get() as ChainEpoch | undefined;
}

/**
 * Records the switch point once, after the migrations: from the next row on, the chain is keyed. Runs in a write
 * transaction, so two processes starting at once record it once. A new database is keyed from its first row.
 */
export async function startKeyedChain(db: Db, key: AuditKey, at: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('audit_chain').select('id').executeTakeFirst()) return;
    const last = await trx.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const { n } = await trx
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const epoch = {
      keyed_from: (last?.id ?? 0) + 1,
      rows_before: Number(n),
      prev_hash: last?.hash ?? GENESIS_HASH,
      key_id: key.id,
      created_at: at.toISOString(),
    };
    await trx
      .insertInto('audit_chain')
      .values({ id: 1, ...epoch, mac: key.mac(epochPayload(epoch)) })
      .execute();
  });
}
