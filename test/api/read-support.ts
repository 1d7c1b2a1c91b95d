import request from 'supertest';
import { expect } from 'vitest';
import type { ZodTypeAny } from 'zod';
import { run, type TestApp } from '../support/app';
import { newToken } from '../../src/features/api/api.tokens.model';
import type { ApiRouteEntry } from '../../src/features/api/api.http';

/** A token of an organisation with these scopes (as test/api/foundation.test.ts makes them). */
export async function addToken(t: TestApp, scopes: string, organisationId = 1): Promise<string> {
  const made = newToken();
  await run(
    t,
    `insert into api_tokens (organisation_id, name, prefix, token_hash, scopes, rate_limit, expires_on, created_at) values (?, 'test', ?, ?, ?, 10000, '2027-12-31', ?)`,
    organisationId,
    made.prefix,
    made.hash,
    scopes,
    '2026-11-26T00:00:00Z',
  );
  return made.token;
}

export const apiGet = (t: TestApp, token: string, path: string, lang = 'vi') =>
  request(t.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).set('Accept-Language', lang);

/** The response schema of an operation, as registered: every 200 body must parse with it (strict objects). */
export function responseSchema(t: TestApp, operationId: string): ZodTypeAny {
  const routes = (t.app.locals.api as { routes: ApiRouteEntry[] }).routes;
  const route = routes.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no operation ${operationId}`);
  return route.response;
}

/** A 200 answer whose body its operation's schema accepts. */
export async function okBody(t: TestApp, token: string, operationId: string, path: string, lang = 'vi') {
  const r = await apiGet(t, token, path, lang);
  expect(r.status, r.text).toBe(200);
  const parsed = responseSchema(t, operationId).safeParse(r.body);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return r;
}

/** Every page of a list, following the Link header: each page's items, and checks of next_cursor and Link. */
export async function walk(t: TestApp, token: string, operationId: string, path: string, limit: number): Promise<Record<string, unknown>[][]> {
  const pages: Record<string, unknown>[][] = [];
  let next: string | undefined = `/api/v1${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;
  for (let i = 0; next && i < 100; i++) {
    const r = await okBody(t, token, operationId, next.replace(/^\/api\/v1/, ''));
    pages.push(r.body.data);
    if (r.body.next_cursor === null) {
      expect(r.headers.link).toBeUndefined();
      next = undefined;
    } else {
      expect(r.body.data).toHaveLength(limit);
      const m = /^<(https?:\/\/[^/]+)(\/api\/v1\/[^>]+)>; rel="next"$/.exec(r.headers.link ?? '');
      expect(m, r.headers.link).not.toBeNull();
      expect(new URL(m![2], 'http://x').searchParams.get('cursor')).toBe(r.body.next_cursor);
      next = m![2];
    }
  }
  return pages;
}
