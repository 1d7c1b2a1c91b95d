import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { addApiToken, apiGet } from '../support/api-caller';
import { langOfHeader } from '../../src/features/api/api.problems';
import { deeperThan } from '../../src/features/api/api.http';

/**
 * What every API request meets before any operation (issue 28): 401 for every way of not being authenticated, the
 * language of the problems, 404 for what does not exist, and the per-token rate limit with its headers and its log.
 * The test app's clock stands at 2026-11-26T02:00:00Z, 09:00 on 26/11/2026 in the organisation's zone.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const UNKNOWN = '/api/v1/nothing-here';

function expectProblem(r: request.Response, status: number, slug: string): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, type: `/api/v1/docs#problem-${slug}`, instance: UNKNOWN });
  expect(r.body.title).toMatch(/\S/);
  expect(r.body.detail).toMatch(/\S/);
}

describe('401: not authenticated', () => {
  it('without an Authorization header, asking for one', async () => {
    const r = await apiGet(t, UNKNOWN);
    expectProblem(r, 401, 'unauthorized');
    expect(r.headers['www-authenticate']).toBe('Bearer realm="qms-tracker", error="invalid_request"');
    expect(r.headers['ratelimit']).toBeUndefined();
  });

  for (const [what, header] of [
    ['Basic credentials', 'Basic dXNlcjpwYXNz'],
    ['a malformed token', 'Bearer not-a-token'],
    ['a token one character short', `Bearer qms_${'a'.repeat(42)}`],
    ['an unknown well-formed token', `Bearer qms_${'A'.repeat(43)}`],
    ['two tokens', `Bearer qms_${'A'.repeat(43)} qms_${'B'.repeat(43)}`],
  ] as const) {
    it(`with ${what}`, async () => {
      const r = await request(t.app).get(UNKNOWN).set('Authorization', header);
      expectProblem(r, 401, 'unauthorized');
      expect(r.headers['www-authenticate']).toBe('Bearer realm="qms-tracker", error="invalid_token"');
    });
  }

  it('with a token past its expiry date in the organisation’s zone, and not on its last day', async () => {
    const lastDay = await addApiToken(t, { expiresOn: '2026-11-26' });
    expect((await apiGet(t, UNKNOWN, lastDay.token)).status).toBe(404);
    const expired = await addApiToken(t, { expiresOn: '2026-11-25' });
    const r = await apiGet(t, UNKNOWN, expired.token);
    expectProblem(r, 401, 'token_expired');
    expect(r.headers['www-authenticate']).toContain('error="invalid_token"');
    // 16:59:59 UTC on the 26th is still the 26th in Hà Nội; 17:00 UTC is the 27th.
    t.clock.set('2026-11-26T16:59:59Z');
    expect((await apiGet(t, UNKNOWN, lastDay.token)).status).toBe(404);
    t.clock.set('2026-11-26T17:00:00Z');
    expectProblem(await apiGet(t, UNKNOWN, lastDay.token), 401, 'token_expired');
    t.clock.set('2026-11-26T02:00:00Z');
  });

  it('with a revoked token, the refused request not logged as a use', async () => {
    const revoked = await addApiToken(t);
    expect((await apiGet(t, UNKNOWN, revoked.token)).status).toBe(404);
    await run(t, `update api_tokens set revoked_at = ?, revoke_reason = ? where prefix = ?`, '2026-11-26T01:00:00Z', 'leaked', revoked.prefix);
    const r = await apiGet(t, UNKNOWN, revoked.token);
    expectProblem(r, 401, 'token_revoked');
    expect(r.headers['www-authenticate']).toContain('error="invalid_token"');
    const uses = await rows(t, `select u.limited from api_token_uses u join api_tokens k on k.id = u.token_id where k.prefix = ?`, revoked.prefix);
    expect(uses).toHaveLength(1);
  });
});

describe('404 and the language of the problems', () => {
  let token: string;
  beforeAll(async () => {
    token = (await addApiToken(t)).token;
  });

  it('answers 404 for an unknown path, with the token accepted', async () => {
    const r = await apiGet(t, UNKNOWN, token);
    expectProblem(r, 404, 'not_found');
    expect(r.headers['ratelimit-policy']).toBe('"per-token";q=100000;w=60');
  });

  for (const [header, lang, title] of [
    ['en-GB,en;q=0.9', 'en', 'Not found'],
    ['vi', 'vi', 'Không tìm thấy'],
    [undefined, 'vi', 'Không tìm thấy'],
    ['fr', 'vi', 'Không tìm thấy'],
    ['fr, en;q=0.5', 'en', 'Not found'],
    ['vi;q=0.4, en;q=0.8', 'en', 'Not found'],
  ] as const) {
    it(`words it for Accept-Language ${header ?? '(none)'} in ${lang}`, async () => {
      const req = apiGet(t, UNKNOWN, token);
      const r = await (header === undefined ? req : req.set('Accept-Language', header));
      expect(r.status).toBe(404);
      expect(r.body.title).toBe(title);
      expect(r.headers['content-language']).toBe(lang);
    });
  }

  it('words a 401 in the asked language too', async () => {
    const r = await apiGet(t, UNKNOWN).set('Accept-Language', 'en');
    expect(r.body.title).toBe('Not authenticated');
    expect(r.headers['content-language']).toBe('en');
  });
});

describe('the rate limit', () => {
  const limitOf = (r: request.Response) => [r.status, r.headers['ratelimit'], r.headers['ratelimit-policy']];

  it('lets rate_limit requests through in any minute, refuses the next with 429, logs it and does not count it', async () => {
    t.clock.set('2026-11-26T03:00:00Z');
    const { token, prefix } = await addApiToken(t, { rateLimit: 3 });
    const policy = '"per-token";q=3;w=60';
    expect(limitOf(await apiGet(t, UNKNOWN, token))).toEqual([404, '"per-token";r=2;t=60', policy]);
    t.clock.advance(10_000);
    expect(limitOf(await apiGet(t, UNKNOWN, token))).toEqual([404, '"per-token";r=1;t=50', policy]);
    t.clock.advance(10_000);
    expect(limitOf(await apiGet(t, UNKNOWN, token))).toEqual([404, '"per-token";r=0;t=40', policy]);
    for (let i = 0; i < 2; i++) {
      const refused = await apiGet(t, UNKNOWN, token).set('Accept-Language', 'en');
      expectProblem(refused, 429, 'rate_limited');
      expect(refused.headers['retry-after']).toBe('40');
      expect(refused.headers['ratelimit']).toBe('"per-token";r=0;t=40');
      expect(refused.headers['ratelimit-policy']).toBe(policy);
      expect(refused.body.detail).toBe('This API token may send at most 3 requests a minute. Try again in 40 seconds.');
    }
    const uses = await rows<{ limited: number; method: string; path: string }>(
      t,
      `select u.limited, u.method, u.path from api_token_uses u join api_tokens k on k.id = u.token_id where k.prefix = ? order by u.id`,
      prefix,
    );
    expect(uses.map((u) => Number(u.limited))).toEqual([0, 0, 0, 1, 1]);
    expect(uses[0]).toMatchObject({ method: 'GET', path: UNKNOWN });

    // 61 s after the first: it has left the window; the two refused ones were never counted.
    t.clock.set('2026-11-26T03:01:01Z');
    expect(limitOf(await apiGet(t, UNKNOWN, token))).toEqual([404, '"per-token";r=0;t=9', policy]);
    expect((await apiGet(t, UNKNOWN, token)).status).toBe(429);
    t.clock.advance(61_000);
    expect(limitOf(await apiGet(t, UNKNOWN, token))).toEqual([404, '"per-token";r=2;t=60', policy]);
  });

  it('counts each token on its own', async () => {
    const a = await addApiToken(t, { rateLimit: 1 });
    const b = await addApiToken(t, { rateLimit: 1 });
    expect((await apiGet(t, UNKNOWN, a.token)).status).toBe(404);
    expect((await apiGet(t, UNKNOWN, a.token)).status).toBe(429);
    expect(limitOf(await apiGet(t, UNKNOWN, b.token))).toEqual([404, '"per-token";r=0;t=60', '"per-token";q=1;w=60']);
    expect((await apiGet(t, UNKNOWN, b.token)).status).toBe(429);
  });
});

describe('langOfHeader', () => {
  for (const [header, lang] of [
    [undefined, 'vi'],
    ['', 'vi'],
    ['*', 'vi'],
    ['en', 'en'],
    ['EN-us', 'en'],
    ['vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr, en;q=0.5', 'en'],
    ['fr-CA, de', 'vi'],
    ['en;q=0', 'vi'],
    ['en;q=0, vi;q=0.1', 'vi'],
    ['vi;q=0.5, en;q=0.8', 'en'],
    ['en ; q=0.9 , vi ; q=0.3', 'en'],
    // Parameter names are case-insensitive (RFC 9110 §5.6.6).
    ['vi;Q=0.1, en;q=0.5', 'en'],
    ['en;q=0.5, vi;q=0.5', 'en'],
    ['en;q=abc', 'vi'],
    ['english, vietnamese', 'vi'],
    [',,;;=', 'vi'],
    // Only the first 500 characters are read.
    [`${'x-foo, '.repeat(100)}en`, 'vi'],
  ] as const) {
    it(`${String(JSON.stringify(header)).slice(0, 60)} → ${lang}`, () => {
      expect(langOfHeader(header)).toBe(lang);
    });
  }
});

describe('deeperThan (bodies refused before a recursive walk)', () => {
  const nested = (n: number) => JSON.parse(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) as unknown;
  it('measures objects and arrays without recursion, even 100,000 deep', () => {
    expect(deeperThan(nested(32), 32)).toBe(false);
    expect(deeperThan(nested(33), 32)).toBe(true);
    expect(deeperThan(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 32)).toBe(true);
    expect(deeperThan({ items: [{ a: 'x', b: [1, 2] }] }, 4)).toBe(false);
    expect(deeperThan({ items: [{ a: 'x', b: [[1], 2] }] }, 4)).toBe(true);
    for (const scalar of [null, 1, 'x', true]) expect(deeperThan(scalar, 0)).toBe(false);
  });
});
