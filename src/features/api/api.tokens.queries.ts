import { sql } from 'kysely';
import { APPEND_ONLY_LOG } from '../../core/db/postgres';
import type { Db } from '../../core/db/database';
import type { OrganisationStatus } from '../../core/db/schema';

/** The token a request presents, with what the API needs of its organisation; looked up by hash, across organisations. */
export interface PresentedToken {
  id: number;
  organisation_id: number;
  name: string;
  scopes: string;
  rate_limit: number;
  expires_on: string;
  revoked_at: string | null;
  time_zone: string;
  organisation_status: OrganisationStatus;
}

/**
 * The token of this hash, whichever organisation issued it (the token names its organisation; nothing of the request
 * does): one indexed read, with the organisation's zone and status.
 */
export function findTokenByHash(db: Db, hash: string): Promise<PresentedToken | undefined> {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('organisation as o', 'o.id', 't.organisation_id')
    .select([
      't.id',
      't.organisation_id',
      't.name',
      't.scopes',
      't.rate_limit',
      't.expires_on',
      't.revoked_at',
      'o.time_zone',
      'o.status as organisation_status',
    ])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
}

/** The token's requests counted by the rate limit since `since` (an ISO instant), and the oldest of them. */
export async function countRecentUses(db: Db, tokenId: number, since: string): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('api_token_uses')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('at').as('oldest')])
    .where('token_id', '=', tokenId)
    .where('at', '>', since)
    .where('limited', '=', 0)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest ?? null };
}

/**
 * Logs one request of a token (every use, refused ones too). An append-only log's row: on PostgreSQL it takes no
 * writers' lock (core/db/postgres.ts, APPEND_ONLY_LOG).
 */
export async function insertTokenUse(
  db: Db,
  use: { organisation_id: number; token_id: number; at: string; method: string; path: string; limited: boolean },
): Promise<void> {
  await sql`${sql.raw(APPEND_ONLY_LOG)} insert into api_token_uses (organisation_id, token_id, at, method, path, limited)
    values (${use.organisation_id}, ${use.token_id}, ${use.at}, ${use.method}, ${use.path}, ${use.limited ? 1 : 0})`.execute(db);
}
