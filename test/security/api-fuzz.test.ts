import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';
import { addApiToken } from '../support/api-caller';
import type { ApiRouteEntry } from '../../src/features/api/api.http';

/**
 * Hostile input to every operation of the JSON API (issue 28), with a token holding every scope: path parameters,
 * query strings (declared parameters and unknown ones, wrong types, repeated keys), and for PUT/POST bodies every
 * leaf of a plausible body replaced by hostile values, plus raw bodies that are not what JSON parsers expect. The
 * properties: never a 5xx; every error is a problem (application/problem+json, `status` = the HTTP status);
 * Object.prototype stays clean. The same for unknown paths and the public document and page.
 */
let t: TestApp;
let token: string;
let document: Record<string, any>;
beforeAll(async () => {
  t = await createTestApp();
  token = (await addApiToken(t)).token;
  document = t.app.locals.api.document() as Record<string, any>;
});
afterAll(async () => t?.close());

const seen = { requests: 0, byStatus: {} as Record<number, number> };

function check(r: request.Response, label: string): void {
  seen.requests++;
  seen.byStatus[r.status] = (seen.byStatus[r.status] ?? 0) + 1;
  expect(r.status, `${label}: ${r.text.slice(0, 300)}`).toBeLessThan(500);
  if (r.status >= 400) {
    expect(r.headers['content-type'], label).toMatch(/^application\/problem\+json/);
    expect(r.body.status, label).toBe(r.status);
    expect(typeof r.body.type, label).toBe('string');
  }
  expect(Object.prototype, label).not.toHaveProperty('polluted');
  expect(({} as Record<string, unknown>).polluted, label).toBeUndefined();
}

const LONG = 'x'.repeat(10_000);
/** Raw text put into a path segment or a query value (already percent-encoded where needed). */
const HOSTILE_SEGMENTS = [
  'a'.repeat(5_000),
  '%00',
  'a%00b',
  '..%2f..%2fetc%2fpasswd',
  '..',
  '%2e%2e',
  encodeURIComponent('Nguyễn Thị 🙂 \u202e'),
  encodeURIComponent("' or 1=1 --"),
  encodeURIComponent('"><script>alert(1)</script>'),
  '%ff%fe',
  '%E0%A4%A',
  '%',
  '-1',
  '0',
  '99999999999999999999999',
  '1e308',
];
const HOSTILE_QUERIES = (name: string) => [
  `${name}=`,
  `${name}=1&${name}=2`,
  `${name}[]=1`,
  `${name}[a]=1`,
  `${name}=${'9'.repeat(400)}`,
  `${name}=-1`,
  `${name}=1.5`,
  `${name}=NaN`,
  `${name}=true`,
  `${name}=%00`,
  `${name}=${LONG}`,
  `${name}=2026-02-30`,
  `${name}=%ff`,
  ...HOSTILE_SEGMENTS.map((s) => `${name}=${s}`),
];
/** Values a JSON leaf is replaced by. */
const HOSTILE_VALUES: unknown[] = [
  null,
  '',
  ' ',
  '1',
  '1e308',
  'NaN',
  'Infinity',
  1,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  [],
  {},
  ['a', 'b'],
  'x'.repeat(100_000),
  'a\u0000b',
  '\u0001\u0007\u001b[31m\u007f',
  '\ud800',
  'a\udfffb',
  '2026-02-30',
  '2026-13-01T25:61:00Z',
  "' or 1=1 --",
  '<img src=x onerror=alert(1)>',
  { __proto__: null, polluted: 1 },
];
/** Bodies as sent, not as JSON.stringify would make them. */
const RAW_BODIES = [
  'not json',
  '{"a":',
  '{"a":1,}',
  '[]',
  'null',
  '"x"',
  '1',
  '-0',
  '1e999',
  'NaN',
  '{}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"items":[{"__proto__":{"polluted":1}}]}',
  '{"a":1,"a":2}',
  '{"items":[],"items":{"x":1}}',
  '"\\ud800"',
  '{"\\u0000":1}',
  '\ufeff{}',
  `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
  `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
  `{"a":"${'x'.repeat(1_000_000)}"}`,
];

// ---------------------------------------------------------------------------------------------------------------------
// A plausible body, from the operation's schema in the document, and every path to one of its leaves.

function resolve(schema: any): any {
  const ref = schema?.$ref;
  return typeof ref === 'string' ? resolve(document.components?.schemas?.[ref.split('/').pop()!]) : (schema ?? {});
}

function sampleOf(raw: any, depth = 0): unknown {
  const schema = resolve(raw);
  if (depth > 6) return null;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const variant = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variant)) return sampleOf(variant.find((v: any) => resolve(v).type !== 'null') ?? variant[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((x: string) => x !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sampleOf(v, depth + 1)]));
  }
  if (type === 'array') return [sampleOf(schema.items, depth + 1)];
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return true;
  if (schema.format === 'date') return '2026-11-20';
  if (schema.format === 'date-time') return '2026-11-20T08:00:00+07:00';
  return 'FUZZ-1';
}

function leavesOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => leavesOf(v, [...path, i]))];
  if (value && typeof value === 'object') return [path, ...Object.entries(value).flatMap(([k, v]) => leavesOf(v, [...path, k]))];
  return [path];
}

function withValue(base: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = structuredClone(base);
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key];
  at[path[path.length - 1]] = value;
  return copy;
}

const filled = (path: string, value: string) => path.replace(/\{\w+\}/g, value);

async function send(route: ApiRouteEntry, url: string, body?: string, type = 'application/json') {
  const r = request(t.app)[route.method](url).set('Authorization', `Bearer ${token}`);
  return body === undefined ? r : r.set('Content-Type', type).send(body);
}

describe('hostile input to the JSON API', { timeout: 60_000 }, () => {
  it('has the operations of issue 28 to fuzz', () => {
    expect(t.app.locals.api.routes.length).toBeGreaterThanOrEqual(8);
  });

  it('answers every operation with < 500 and a problem, whatever the path, query and body', async () => {
    for (const route of t.app.locals.api.routes) {
      const op = document.paths[`/api/v1${route.path}`][route.method];
      const base = `/api/v1${route.path}`;
      const valid = filled(base, 'FUZZ-1');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const sample = bodySchema ? JSON.stringify(sampleOf(bodySchema)) : undefined;
      for (const segment of HOSTILE_SEGMENTS) {
        if (base.includes('{')) check(await send(route, filled(base, segment), sample), `${route.operationId} path ${segment.slice(0, 40)}`);
      }
      const names = [...(op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name), 'unknown', '__proto__', 'constructor'];
      for (const name of names) {
        for (const q of HOSTILE_QUERIES(name)) check(await send(route, `${valid}?${q}`, sample), `${route.operationId} query ${q.slice(0, 60)}`);
      }
      if (!bodySchema) continue;
      for (const raw of RAW_BODIES) check(await send(route, valid, raw), `${route.operationId} body ${raw.slice(0, 60)}`);
      check(await send(route, valid, sample, 'text/plain'), `${route.operationId} text/plain`);
      check(await send(route, valid, sample, 'application/json; charset=latin1'), `${route.operationId} latin1`);
      const parsed = JSON.parse(sample!) as unknown;
      for (const path of leavesOf(parsed)) {
        for (const value of HOSTILE_VALUES) {
          check(
            await send(route, valid, JSON.stringify(withValue(parsed, path, value))),
            `${route.operationId} ${path.join('/')} = ${String(JSON.stringify(value)).slice(0, 40)}`,
          );
        }
      }
    }
  });

  it('answers unknown paths, the document and the page with < 500, whatever the path and query', async () => {
    const get = (url: string) => request(t.app).get(url).set('Authorization', `Bearer ${token}`);
    for (const segment of HOSTILE_SEGMENTS) {
      for (const url of [`/api/v1/${segment}`, `/api/v1/dossiers/${segment}`, `/api/v1/procedures/${segment}/report`]) {
        check(await get(url), `GET ${url.slice(0, 60)}`);
        check(
          await request(t.app).put(url).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send('{"a":'),
          `PUT ${url.slice(0, 60)}`,
        );
      }
    }
    for (const name of ['lang', 'q', '__proto__', 'constructor']) {
      for (const q of HOSTILE_QUERIES(name)) {
        for (const path of ['/api/v1/openapi.json', '/api/v1/docs']) {
          const r = await request(t.app).get(`${path}?${q}`);
          check(r, `${path}?${q.slice(0, 60)}`);
          expect(r.status, `${path}?${q.slice(0, 60)}`).toBe(200);
        }
      }
    }
    for (const raw of RAW_BODIES) {
      check(
        await request(t.app).post('/api/v1/nothing').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(raw),
        `POST ${raw.slice(0, 40)}`,
      );
    }
  });

  afterAll(() => {
    expect(seen.requests).toBeGreaterThan(0);
  });
});
