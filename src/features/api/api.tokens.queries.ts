import { sql, type ExpressionBuilder } from 'kysely';
import { APPEND_ONLY_LOG } from '../../core/db/postgres';
import type { Db } from '../../core/db/database';
import type { DB, OrganisationStatus } from '../../core/db/schema';

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
  /** The token's requests counted by the rate limit since the given instant, and the oldest of them. */
  recent_count: number;
  recent_oldest: string | null;
}

/**
 * The token of this hash, whichever organisation issued it (the token names its organisation; nothing of the request
 * does): one indexed read, with the organisation's zone and status, and the token's requests counted by the rate
 * limit since `since` (an ISO instant), so that a request costs one read before its work.
 */
export async function findTokenByHash(db: Db, hash: string, since: string): Promise<PresentedToken | undefined> {
  const recent = (eb: ExpressionBuilder<DB & { t: DB['api_tokens'] }, 't'>) =>
    eb.selectFrom('api_token_uses as u').whereRef('u.token_id', '=', 't.id').where('u.at', '>', since).where('u.limited', '=', 0);
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('organisation as o', 'o.id', 't.organisation_id')
    .select((eb) => [
      't.id',
      't.organisation_id',
      't.name',
      't.scopes',
      't.rate_limit',
      't.expires_on',
      't.revoked_at',
      'o.time_zone',
      'o.status as organisation_status',
      recent(eb)
        .select((u) => u.fn.countAll<number | string>().as('n'))
        .as('recent_count'),
      recent(eb)
        .select((u) => u.fn.min('u.at').as('oldest'))
        .as('recent_oldest'),
    ])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
  return row && { ...row, recent_count: Number(row.recent_count ?? 0), recent_oldest: row.recent_oldest ?? null };
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
