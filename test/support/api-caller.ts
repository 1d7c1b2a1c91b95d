import request from 'supertest';
import { run, type TestApp } from './app';
import { newToken, scopesText } from '../../src/features/api/api.tokens.model';
import { API_SCOPES } from '../../src/features/api/api.tables';

/** A token of organisation 1 inserted as the admin page stores it (its hash only); returns the token and its shown prefix. */
export async function addApiToken(
  t: TestApp,
  options: { scopes?: string; rateLimit?: number; expiresOn?: string; name?: string } = {},
): Promise<{ token: string; prefix: string }> {
  const made = newToken();
  await run(
    t,
    `insert into api_tokens (organisation_id, name, prefix, token_hash, scopes, rate_limit, expires_on, created_at) values (1, ?, ?, ?, ?, ?, ?, ?)`,
    options.name ?? 'test',
    made.prefix,
    made.hash,
    options.scopes ?? scopesText(API_SCOPES),
    options.rateLimit ?? 100_000,
    options.expiresOn ?? '2099-12-31',
    t.clock.now().toISOString(),
  );
  return { token: made.token, prefix: made.prefix };
}

/** A request to the API with the token. */
export const apiGet = (t: TestApp, path: string, token?: string) => {
  const r = request(t.app).get(path);
  return token ? r.set('Authorization', `Bearer ${token}`) : r;
};
