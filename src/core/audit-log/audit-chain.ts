import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { hasTable } from '../db/dialect/catalog';
import type { AuditChainTable, AuditLogTable, DB } from '../db/schema';
import type { AuditKey } from './audit-key';

/**
 * How audit rows are chained. Rows written before the database had an audit key (the "legacy" part) carry a plain
 * SHA-256 of their fields and the previous hash, and stay verifiable as they are. From the row recorded in
 * audit_chain.keyed_from on, every row carries an HMAC-SHA256 under the audit key of its id, its fields and the
 * previous hash: changing a row and recomputing every later hash, or appending a row, needs the key.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The database type of core/db/database.ts, named here so that database.ts can use this folder without a loop. */
export type Db = Kysely<DB>;

/** An audit-log row as stored. */
export type StoredRow = Omit<Selectable<AuditLogTable>, 'organisation_id'>;

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

/**
 * A row as the database gives it back, with numbers as numbers: ids and counts are hashed as JSON numbers, and a
 * driver may hand a 64-bit integer over as text.
 */
export function storedRow(row: StoredRow): StoredRow {
  return { ...row, id: Number(row.id), user_id: row.user_id === null ? null : Number(row.user_id) };
}

/** The database's switch point, or undefined (a database from before keys, or not migrated yet). */
export async function readEpoch(db: Db): Promise<ChainEpoch | undefined> {
  if (!(await hasTable(db, 'audit_chain'))) return undefined;
  const epoch = await db
    .selectFrom('audit_chain')
    .select(['keyed_from', 'rows_before', 'prev_hash', 'key_id', 'created_at', 'mac'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return epoch && { ...epoch, keyed_from: Number(epoch.keyed_from), rows_before: Number(epoch.rows_before) };
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
      keyed_from: Number(last?.id ?? 0) + 1,
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
