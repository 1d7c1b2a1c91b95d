import type { Db } from './database';

/**
 * When the database was initialised: the creation time of its first user, kept in qms_meta by a trigger on users
 * (migration 2026_12_05_1300_audit_chain_key) and never removed. Undefined for a database that never had a user.
 */
export async function findInitialisedAt(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('qms_meta').select('value').where('key', '=', 'initialised_at').executeTakeFirst();
  return row?.value;
}
