import { createHash } from 'node:crypto';
import type { Db, RawSqlite } from '../db/database';

/**
 * Append-only, hash-chained change log. Every state change calls `record(trx, …)` inside the
 * transaction that makes the change. Triggers refuse UPDATE and DELETE on the table; each row's
 * hash covers its fields and the previous row's hash, so `verify` finds any row changed behind our back.
 */
export interface AuditEntry {
  userId: number | null;
  action: string;
  entity: string;
  entityId: string | number | null;
  old?: unknown;
  new?: unknown;
  reason?: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

interface StoredRow {
  id: number;
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  old_values: string | null;
  new_values: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export function hashRow(row: Omit<StoredRow, 'id' | 'hash'>): string {
  const payload = JSON.stringify([row.prev_hash, row.at, row.user_id, row.action, row.entity, row.entity_id, row.old_values, row.new_values, row.reason]);
  return createHash('sha256').update(payload).digest('hex');
}

const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

export async function record(trx: Db, entry: AuditEntry, at: Date): Promise<void> {
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const row = {
    at: at.toISOString(),
    user_id: entry.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === null ? null : String(entry.entityId),
    old_values: toJson(entry.old),
    new_values: toJson(entry.new),
    reason: entry.reason ?? null,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await trx
    .insertInto('audit_log')
    .values({ ...row, hash: hashRow(row) })
    .execute();
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: { id: number; reason: 'hash_mismatch' | 'chain_broken' };
}

/** Walks the whole chain in id order; reports the first row whose hash or link does not hold. */
export function verify(sqlite: RawSqlite): VerifyResult {
  let previous = GENESIS_HASH;
  let checked = 0;
  const rows = sqlite
    .prepare('select id, at, user_id, action, entity, entity_id, old_values, new_values, reason, prev_hash, hash from audit_log order by id')
    .iterate() as IterableIterator<StoredRow>;
  for (const row of rows) {
    if (row.prev_hash !== previous) return { ok: false, checked, brokenAt: { id: row.id, reason: 'chain_broken' } };
    if (hashRow(row) !== row.hash) return { ok: false, checked, brokenAt: { id: row.id, reason: 'hash_mismatch' } };
    previous = row.hash;
    checked++;
  }
  return { ok: true, checked };
}
