import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { ApiTokensTable, ApiTokenUsesTable } from './api.tables';

/** A token as the admin pages show it (never its hash), with who issued and who revoked it. */
export type TokenRow = Omit<Selectable<ApiTokensTable>, 'token_hash'> & { created_by_name: string | null; revoked_by_name: string | null };

/** A token in the list: with its last use and its uses since a moment (the last 30 days). */
export type TokenListRow = TokenRow & { last_used_at: string | null; recent_uses: number | string };

export type TokenUse = Pick<Selectable<ApiTokenUsesTable>, 'id' | 'at' | 'method' | 'path' | 'limited'>;

const base = (db: Db) =>
  db
    .selectFrom('api_tokens as t')
    .leftJoin('users as c', 'c.id', 't.created_by')
    .leftJoin('users as r', 'r.id', 't.revoked_by')
    .select([
      't.id',
      't.organisation_id',
      't.name',
      't.prefix',
      't.scopes',
      't.rate_limit',
      't.expires_on',
      't.created_by',
      't.created_at',
      't.revoked_at',
      't.revoked_by',
      't.revoke_reason',
      't.version',
      'c.full_name as created_by_name',
      'r.full_name as revoked_by_name',
    ])
    .where('t.organisation_id', '=', organisationOf(db));

/** The organisation's tokens, newest first, each with its last use and its uses (not refused) since `since`. */
export function listTokens(db: Db, since: string): Promise<TokenListRow[]> {
  return base(db)
    .select((eb) => [
      eb
        .selectFrom('api_token_uses as u')
        .select((u) => u.fn.max('u.at').as('m'))
        .whereRef('u.token_id', '=', 't.id')
        .as('last_used_at'),
      eb
        .selectFrom('api_token_uses as u')
        .select((u) => u.fn.countAll<number | string>().as('n'))
        .whereRef('u.token_id', '=', 't.id')
        .where('u.at', '>', since)
        .as('recent_uses'),
    ])
    .orderBy('t.id', 'desc')
    .execute() as Promise<TokenListRow[]>;
}

/** One of the organisation's tokens; another organisation's id finds nothing. */
export function findToken(db: Db, id: number): Promise<TokenRow | undefined> {
  return base(db).where('t.id', '=', id).executeTakeFirst();
}

export interface TokenValues {
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string;
  rate_limit: number;
  expires_on: string;
}

export async function insertToken(db: Db, values: TokenValues, createdBy: number | null, at: string): Promise<number> {
  const row = await db
    .insertInto('api_tokens')
    .values({ ...values, organisation_id: organisationOf(db), created_by: createdBy, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Revokes the token when it is not yet revoked and still at `version`; false otherwise (nothing written). */
export async function updateTokenRevoked(db: Db, id: number, version: number, reason: string, by: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set((eb) => ({ revoked_at: at, revoked_by: by, revoke_reason: reason, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The token's most recent uses, newest first (at most `limit`). */
export function listTokenUses(db: Db, tokenId: number, limit = 100): Promise<TokenUse[]> {
  return db
    .selectFrom('api_token_uses')
    .select(['id', 'at', 'method', 'path', 'limited'])
    .where('organisation_id', '=', organisationOf(db))
    .where('token_id', '=', tokenId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** How many requests the token made since `since` (an ISO instant), refused ones included. */
export async function countTokenUsesSince(db: Db, tokenId: number, since: string): Promise<number> {
  const row = await db
    .selectFrom('api_token_uses')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .where('token_id', '=', tokenId)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Logs uses written by the demo (the API logs its own through api.tokens.queries.ts). */
export async function insertDemoUse(db: Db, tokenId: number, at: string, method: string, path: string): Promise<void> {
  await db
    .insertInto('api_token_uses')
    .values({ organisation_id: organisationOf(db), token_id: tokenId, at, method, path })
    .execute();
}
