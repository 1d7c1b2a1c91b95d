import { newToken } from '../../src/features/api/api.tokens.model';
import { run, type TestApp } from '../support/app';

/** An API token written as a row (the tokens' own pages are tested elsewhere): its secret, for `Authorization: Bearer`. */
export async function addApiToken(t: TestApp, options: { name?: string; scopes: string; organisation?: number }): Promise<string> {
  const made = newToken();
  await run(
    t,
    `insert into api_tokens (organisation_id, name, prefix, token_hash, scopes, rate_limit, expires_on, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    options.organisation ?? 1,
    options.name ?? 'test',
    made.prefix,
    made.hash,
    options.scopes,
    1000,
    '2027-12-31',
    '2026-11-26T00:00:00Z',
  );
  return made.token;
}
