import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { hasTable } from '../db/dialect/catalog';
import type { AuditChainTable, AuditLogTable, DB } from '../db/schema';
import type { AuditKey } from './audit-key';

/**
 * How audit rows are chained, in three parts, each recorded once in audit_chain and signed with the key:
 * 1. Rows written before the database had an audit key (the "legacy" part) carry a plain SHA-256 of their fields
 *    and the previous row's hash, and stay verifiable as they are.
 * 2. From audit_chain row 1's keyed_from on, every row carries an HMAC-SHA256 under the audit key of its id, its
 *    fields and the previous row's hash: changing a row and recomputing every later hash, or appending one, needs
 *    the key.
 * 3. From audit_chain row 2's keyed_from on (organisations, issue 22), each organisation has a chain of its own:
 *    a row's previous hash is that of its organisation's previous row (the first row of each organisation links to
 *    the database's head at the switch, row 2's prev_hash), and its HMAC covers its organisation too. Ids stay one
 *    sequence for the whole database, without gaps (each row takes the last id plus one under the write lock), so
 *    a row removed between two others is missed by no check, and the anchors (audit-anchor.ts) still count the
 *    rows of the whole database up to its head. An organisation's trail can be verified on its own (its rows by
 *    the (organisation_id, id) index), and a row cannot be moved to another organisation's trail.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The database type of core/db/database.ts, named here so that database.ts can use this folder without a loop. */
export type Db = Kysely<DB>;

/** An audit-log row as stored. */
export type StoredRow = Selectable<AuditLogTable>;

export type RowFields = Omit<StoredRow, 'id' | 'hash' | 'organisation_id'>;

/** A row's previous hash and fields, in the order every payload lists them. */
const fieldsOf = (row: RowFields) => [row.prev_hash, row.at, row.user_id, row.action, row.entity, row.entity_id, row.old_values, row.new_values, row.reason];

/** The plain SHA-256 of a legacy row (before the key). */
export function hashRow(row: RowFields): string {
  const payload = JSON.stringify(fieldsOf(row));
  return createHash('sha256').update(payload).digest('hex');
}

/** What a keyed row's HMAC covers: a version tag, its id, the previous hash and every field. */
export function keyedPayload(id: number, row: RowFields): string {
  return JSON.stringify(['qms-audit/2', id, ...fieldsOf(row)]);
}

/** What the HMAC of a row in an organisation's chain covers: a version tag, its id, its organisation, every field. */
export function organisationPayload(id: number, organisationId: number, row: RowFields): string {
  return JSON.stringify(['qms-audit/3', id, organisationId, ...fieldsOf(row)]);
}

export function keyedHash(key: AuditKey, row: StoredRow): string {
  return key.mac(keyedPayload(row.id, row));
}

export function organisationHash(key: AuditKey, row: StoredRow): string {
  return key.mac(organisationPayload(row.id, row.organisation_id, row));
}

/**
 * The organisation whose chain holds the entries written outside any organisation (the database-wide commands:
 * backup, restore, the country's holidays): the installation's first organisation, the one the database was
 * created for (a single office's own).
 */
export const FIRST_ORGANISATION = 1;

/** The switch point: the first keyed row's id, the rows and the hash before it, the key's id; signed with the key. */
export type ChainEpoch = Omit<AuditChainTable, 'id'>;

export function epochPayload(e: Omit<ChainEpoch, 'mac'>): string {
  return JSON.stringify(['qms-audit-epoch/1', e.keyed_from, e.rows_before, e.prev_hash, e.key_id, e.created_at]);
}

/** The second switch point (audit_chain row 2): from its keyed_from on, one chain per organisation. */
export function organisationEpochPayload(e: Omit<ChainEpoch, 'mac'>): string {
  return JSON.stringify(['qms-audit-epoch/organisations-1', e.keyed_from, e.rows_before, e.prev_hash, e.key_id, e.created_at]);
}

/**
 * A row as the database gives it back, with numbers as numbers: ids and counts are hashed as JSON numbers, and a
 * driver may hand a 64-bit integer over as text.
 */
export function storedRow(row: StoredRow): StoredRow {
  return { ...row, id: Number(row.id), organisation_id: Number(row.organisation_id), user_id: row.user_id === null ? null : Number(row.user_id) };
}

async function readChainRow(db: Db, id: 1 | 2): Promise<ChainEpoch | undefined> {
  if (!(await hasTable(db, 'audit_chain'))) return undefined;
  const epoch = await db
    .selectFrom('audit_chain')
    .select(['keyed_from', 'rows_before', 'prev_hash', 'key_id', 'created_at', 'mac'])
    .where('id', '=', id)
    .executeTakeFirst();
  return epoch && { ...epoch, keyed_from: Number(epoch.keyed_from), rows_before: Number(epoch.rows_before) };
}

/** The database's switch point to the keyed chain, or undefined (a database from before keys, or not migrated yet). */
export function readEpoch(db: Db): Promise<ChainEpoch | undefined> {
  return readChainRow(db, 1);
}

/** The switch point to one chain per organisation, or undefined (a database from before it). */
export function readOrganisationEpoch(db: Db): Promise<ChainEpoch | undefined> {
  return readChainRow(db, 2);
}

/**
 * Records the switch point once, after the migrations: from the next row on, the chain is keyed. Runs in a write
 * transaction, so two processes starting at once record it once. A new database is keyed from its first row.
 */
export async function startKeyedChain(db: Db, key: AuditKey, at: Date): Promise<void> {
  await startChainPart(db, key, at, 1, epochPayload);
  await startChainPart(db, key, at, 2, organisationEpochPayload);
}

/** Records switch point `id` once (the keyed chain, then the chains per organisation), at the database's head. */
async function startChainPart(db: Db, key: AuditKey, at: Date, id: 1 | 2, payload: (e: Omit<ChainEpoch, 'mac'>) => string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('audit_chain').select('id').where('id', '=', id).executeTakeFirst()) return;
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
      .values({ id, ...epoch, mac: key.mac(payload(epoch)) })
      .execute();
  });
}
