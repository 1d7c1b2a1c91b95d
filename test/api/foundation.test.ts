import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, run, type TestApp } from '../support/app';
import { newToken } from '../../src/features/api/api.tokens.model';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function addToken(scopes: string, options: { rateLimit?: number; expiresOn?: string } = {}) {
  const made = newToken();
  await run(
    t,
    `insert into api_tokens (organisation_id, name, prefix, token_hash, scopes, rate_limit, expires_on, created_at) values (1, ?, ?, ?, ?, ?, ?, ?)`,
    'test',
    made.prefix,
    made.hash,
    scopes,
    options.rateLimit ?? 100,
    options.expiresOn ?? '2027-12-31',
    '2026-11-26T00:00:00Z',
  );
  return made.token;
}

describe('the API foundation', () => {
  it('answers 401 as a problem in the asked language, and 404 for an unknown path', async () => {
    const r = await request(t.app).get('/api/v1/nothing').set('Accept-Language', 'en-US,en;q=0.9');
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.headers['www-authenticate']).toContain('Bearer');
    expect(r.body).toMatchObject({ status: 401, title: 'Not authenticated', type: '/api/v1/docs#problem-unauthorized', instance: '/api/v1/nothing' });
    const token = await addToken('registers:read', { rateLimit: 2 });
    const ok = await request(t.app).get('/api/v1/nothing').set('Authorization', `Bearer ${token}`);
    expect(ok.status).toBe(404);
    expect(ok.body.title).toBe('Không tìm thấy');
    expect(ok.headers['ratelimit-policy']).toBe('"per-token";q=2;w=60');
    expect(ok.headers['ratelimit']).toBe('"per-token";r=1;t=60');
    await request(t.app).get('/api/v1/nothing').set('Authorization', `Bearer ${token}`).expect(404);
    const limited = await request(t.app).get('/api/v1/nothing').set('Authorization', `Bearer ${token}`);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
  });

  it('serves a valid OpenAPI 3.1 document', async () => {
    const r = await request(t.app).get('/api/v1/openapi.json').expect(200);
    expect(r.body.openapi).toBe('3.1.0');
    const result = await new Validator().validate(r.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
