import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, type TestApp } from '../support/app';
import { PROBLEM_SLUGS } from '../../src/features/api/api.problems';
import { docsModel } from '../../src/features/api/api.docs.model';
import { documentTextsVi } from '../../src/features/api/api.docs.i18n';

/**
 * The OpenAPI document against the router (issue 28): every operation the router answers is in the document with
 * its method, operationId and scope, and nothing else is; every operation documents the problems every request may
 * meet; the readable page lists every operation and every kind of problem, in both languages.
 */
let t: TestApp;
let document: Record<string, any>;
beforeAll(async () => {
  t = await createTestApp();
  document = (await request(t.app).get('/api/v1/openapi.json').expect(200)).body;
});
afterAll(async () => t?.close());

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const operations = () =>
  Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((method) => ({ path, method, op: (item as Record<string, any>)[method] })),
  );

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 and is the one the app holds', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document).toEqual(JSON.parse(JSON.stringify(t.app.locals.api.document())));
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('has every route of the router, with its method, operationId and scope', () => {
    for (const route of t.app.locals.api.routes) {
      const op = document.paths[`/api/v1${route.path}`]?.[route.method];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op.operationId).toBe(route.operationId);
      expect(op.security).toEqual([{ bearer: [route.scope] }]);
    }
  });

  it('has no operation the router does not answer', () => {
    const routes = new Set(t.app.locals.api.routes.map((r) => `${r.method} /api/v1${r.path}`));
    for (const { path, method } of operations()) expect(routes.has(`${method} ${path}`), `${method} ${path}`).toBe(true);
    expect(operations()).toHaveLength(t.app.locals.api.routes.length);
  });

  it('documents 401, 403 and 429 as problem details for every operation, and names each operation once', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations()) {
      for (const status of ['401', '403', '429']) {
        expect(Object.keys(op.responses[status]?.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
      }
      expect(op.summary, `${method} ${path}`).toMatch(/\S/);
    }
  });

  // Passes once the dossier, register and report operations are merged.
  it('holds the eight operations of issue 28', () => {
    expect(
      operations()
        .map(({ op }) => op.operationId)
        .sort(),
    ).toEqual(
      [
        'putDossier',
        'batchDossiers',
        'listProcedures',
        'getProcedure',
        'listNonconformities',
        'listCurrentDocuments',
        'getProcedureReport',
        'getReportSummary',
      ].sort(),
    );
  });
});

describe('the readable page /api/v1/docs', () => {
  for (const [lang, heading, problems] of [
    ['vi', 'API của hệ thống', 'Các loại lỗi'],
    ['en', 'API of the system', 'Problem types'],
  ] as const) {
    it(`lists every operation and every problem, in ${lang}`, async () => {
      const r = await request(t.app).get(`/api/v1/docs?lang=${lang}`).expect(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.headers['content-language']).toBe(lang);
      expect(r.text).toContain(`<html lang="${lang}">`);
      expect(r.text).toContain(`<h1>${heading}</h1>`);
      expect(r.text).toContain(`>${problems}</h2>`);
      expect(r.text).toContain('href="/api/v1/openapi.json"');
      expect(r.text).toContain('href="/static/app.css"');
      expect(r.text).not.toMatch(/<script|style=/);
      for (const { path, method, op } of operations()) {
        expect(r.text, op.operationId).toContain(`id="op-${op.operationId}"`);
        expect(r.text, op.operationId).toContain(`<code>${method.toUpperCase()} ${path}</code>`);
      }
      for (const slug of PROBLEM_SLUGS) expect(r.text, slug).toContain(`id="problem-${slug}"`);
    });
  }

  it('words every description it shows in Vietnamese on the Vietnamese page (documentTextsVi), and no entry of that table is stale', async () => {
    const shown = (model: ReturnType<typeof docsModel>) =>
      model.tags
        .flatMap((tag) => tag.operations)
        .flatMap((op) => [
          op.description,
          ...op.parameters.map((p) => p.description),
          ...op.body.map((f) => f.description),
          ...op.responses.filter((r) => r.mediaType !== 'application/problem+json').map((r) => r.description),
        ])
        .filter((text) => text !== '');
    const english = new Set(shown(docsModel(document, 'en')));
    const vietnamese = shown(docsModel(document, 'vi'));
    expect(vietnamese.filter((text) => english.has(text))).toEqual([]);
    expect(Object.keys(documentTextsVi).filter((text) => !english.has(text))).toEqual([]);
    const r = await request(t.app).get('/api/v1/docs?lang=vi').expect(200);
    expect(r.text).toContain('<td>Số mục mỗi trang, 1–500 (mặc định 100)</td>');
    expect(r.text).toContain('<td>Lý do trả kết quả quá hạn</td>');
    expect(r.text).not.toContain('Items per page');
  });

  it('words the problems from the catalog in the language asked for by ?lang, else Accept-Language, else Vietnamese', async () => {
    const en = await request(t.app).get('/api/v1/docs').set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(en.headers['content-language']).toBe('en');
    expect(en.text).toContain('API token revoked');
    const vi = await request(t.app).get('/api/v1/docs').expect(200);
    expect(vi.headers['content-language']).toBe('vi');
    expect(vi.text).toContain('Mã API đã bị thu hồi');
    const asked = await request(t.app).get('/api/v1/docs?lang=vi').set('Accept-Language', 'en').expect(200);
    expect(asked.text).toContain('Vượt giới hạn số yêu cầu');
    const junk = await request(t.app).get('/api/v1/docs?lang=fr').set('Accept-Language', 'fr').expect(200);
    expect(junk.headers['content-language']).toBe('vi');
  });

  it('is public: no token, no session, no cookie', async () => {
    const r = await request(t.app).get('/api/v1/docs').expect(200);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
