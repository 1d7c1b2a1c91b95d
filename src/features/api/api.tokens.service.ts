import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import type { ApiScope } from './api.tables';
import { findToken, insertToken, updateTokenRevoked } from './api.tokens.admin.queries';
import { newToken, scopesOf, scopesText } from './api.tokens.model';

export interface TokenRequest {
  name: string;
  scopes: readonly ApiScope[];
  expires_on: string;
  rate_limit: number;
}

export interface IssuedToken {
  id: number;
  /** The token itself: shown to the admin once, stored nowhere. */
  token: string;
  prefix: string;
}

/**
 * Issues a token: a new random one, of which only the SHA-256 is stored, with its audit entry in the same transaction.
 * The entry names the token by its prefix; neither the token nor its hash is ever written there.
 */
export async function createToken(ctx: AppContext, values: TokenRequest, actorId: number | null): Promise<IssuedToken> {
  const at = ctx.clock.now();
  const made = newToken();
  const scopes = scopesText(values.scopes);
  return ctx.db.transaction().execute(async (trx) => {
    const stored = { name: values.name, prefix: made.prefix, scopes, rate_limit: values.rate_limit, expires_on: values.expires_on };
    const id = await insertToken(trx, { ...stored, token_hash: made.hash }, actorId, at.toISOString());
    await record(trx, { userId: actorId, action: 'create', entity: 'api_token', entityId: id, new: { ...stored, scopes: scopesOf(scopes) } }, at);
    return { id, token: made.token, prefix: made.prefix };
  });
}

/** Revokes a token with a reason: 409 when it is already revoked or was changed since `version` was read. */
export async function revokeToken(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findToken(trx, id);
    if (!before) throw new NotFound();
    if (before.revoked_at !== null) throw new Conflict('api.tokens.already_revoked');
    if (!(await updateTokenRevoked(trx, id, version, reason, actorId, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: 'revoke',
        entity: 'api_token',
        entityId: id,
        old: { name: before.name, prefix: before.prefix, revoked_at: null },
        new: { revoked_at: at.toISOString() },
        reason,
      },
      at,
    );
  });
}
