import express from 'express';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import '../../src/features/catalogs';
import type { AppContext } from '../../src/core/context';
import { createViewEngine } from '../../src/core/views/engine';
import { ApiRouteTable } from '../../src/features/api/api.http';
import { apiDocument, newApiRegistry } from '../../src/features/api/api.openapi';
import { docsModel } from '../../src/features/api/api.docs.model';
import { pageOf, pageQueryShape, queryDate, z } from '../../src/features/api/api.schemas';

/**
 * The readable page as read from a document with operations like the real ones (registered here through the same
 * route table): parameters, body fields (nested ones below their parent), answers, the Vietnamese summary from the
 * catalog when it has one, and the page rendered from it.
 */
function sampleDocument(): Record<string, unknown> {
  const registry = newApiRegistry();
  const table = new ApiRouteTable(express.Router(), registry, {} as AppContext, z.object({}).strict());
  const handle = () => Promise.resolve({ body: {} as never });
  table.add({
    method: 'put',
    path: '/dossiers/{code}',
    operationId: 'putDossier',
    scope: 'dossiers:write',
    summary: 'Create or update one dossier',
    tags: ['Dossiers'],
    params: z.object({ code: z.string().max(60).openapi({ description: 'The dossier code' }) }),
    body: z
      .object({
        received_at: z.string().openapi({ format: 'date-time', description: 'When it was received' }),
        status: z.enum(['received', 'returned']),
        note: z.string().nullable().optional(),
        holder: z.object({ name: z.string().openapi({ description: 'Who holds it' }) }),
        steps: z.array(z.object({ unit: z.string(), days: z.number().int() })),
      })
      .openapi('DossierInput'),
    response: z.object({ code: z.string() }),
    statuses: [200, 201],
    problems: [404, 422],
    writes: true,
    handle,
  });
  table.add({
    method: 'get',
    path: '/things',
    operationId: 'listThingsNoCatalogKey',
    scope: 'registers:read',
    summary: 'List the things',
    tags: ['Registers'],
    query: z.object({ ...pageQueryShape, from: queryDate().optional() }).strict(),
    response: pageOf(z.object({ id: z.number() }), 'ThingPage'),
    handle,
  });
  return JSON.parse(JSON.stringify(apiDocument(registry, '9.9.9'))) as Record<string, unknown>;
}

describe('the model of the readable page', () => {
  const document = sampleDocument();

  it('is read from a valid document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
  });

  it('lists each operation under its tag with its parameters, body fields and answers', () => {
    const model = docsModel(document, 'en');
    expect(model.tags.map((tag) => [tag.name, tag.operations.map((op) => op.operationId)])).toEqual([
      ['Dossiers', ['putDossier']],
      ['Registers', ['listThingsNoCatalogKey']],
    ]);
    const put = model.tags[0].operations[0];
    expect(put).toMatchObject({
      anchor: 'op-putDossier',
      method: 'PUT',
      path: '/api/v1/dossiers/{code}',
      scope: 'dossiers:write',
      summary: 'Create or update one dossier',
    });
    expect(put.parameters).toEqual([{ name: 'code', in: 'path', required: true, type: 'string', description: 'The dossier code' }]);
    expect(put.bodyType).toBe('object');
    expect(put.body).toEqual([
      { name: 'received_at', required: true, type: 'string (date-time)', description: 'When it was received' },
      { name: 'status', required: true, type: '"received" | "returned"', description: '' },
      { name: 'note', required: false, type: 'string | null', description: '' },
      { name: 'holder', required: true, type: 'object', description: '' },
      { name: 'holder.name', required: true, type: 'string', description: 'Who holds it' },
      { name: 'steps', required: true, type: 'array of object', description: '' },
      { name: 'steps[].unit', required: true, type: 'string', description: '' },
      { name: 'steps[].days', required: true, type: 'integer', description: '' },
    ]);
    expect(put.responses.map((r) => r.status)).toEqual(['200', '201', '401', '403', '404', '422', '429', '500', '503']);
    expect(put.responses.find((r) => r.status === '429')).toMatchObject({ mediaType: 'application/problem+json' });
    const list = model.tags[1].operations[0];
    expect(list.parameters.map((p) => [p.name, p.in, p.required, p.type])).toEqual([
      ['limit', 'query', false, 'integer'],
      ['cursor', 'query', false, 'string'],
      ['from', 'query', false, 'string (date)'],
    ]);
    expect(list.body).toEqual([]);
    expect(list.bodyType).toBe('');
  });

  it('words a summary in Vietnamese from the catalog when it has the key, else keeps the English of the document', () => {
    const [dossiers, registers] = docsModel(document, 'vi').tags;
    expect(dossiers.operations[0].summary).toBe('Ghi một hồ sơ (tạo mới hoặc cập nhật theo mã hồ sơ)');
    expect(registers.operations[0].summary).toBe('List the things');
    expect(dossiers.name).toBe('Hồ sơ');
    const answers = Object.fromEntries(dossiers.operations[0].responses.map((r) => [r.status, r.description]));
    expect(answers['201']).toBe('Ghi một hồ sơ (tạo mới hoặc cập nhật theo mã hồ sơ)');
    expect(answers['429']).toBe('Vượt giới hạn số yêu cầu; xem Retry-After và RateLimit');
    expect(registers.operations[0].responses[0].description).toBe('List the things');
    const english = docsModel(document, 'en').tags[0].operations[0].responses;
    expect(english.find((r) => r.status === '429')?.description).toBe('Rate limit reached; see Retry-After and RateLimit');
  });

  it('gives every problem its status and the catalog words', () => {
    const vi = docsModel(document, 'vi').problems.find((p) => p.slug === 'rate_limited');
    expect(vi).toEqual({
      slug: 'rate_limited',
      anchor: 'problem-rate_limited',
      status: 429,
      title: 'Vượt giới hạn số yêu cầu',
      detail: 'Mã API này được gửi tối đa {limit} yêu cầu mỗi phút. Thử lại sau {seconds} giây.',
    });
    expect(docsModel(document, 'en').problems.find((p) => p.slug === 'token_expired')?.title).toBe('API token expired');
  });

  it('renders each operation and its tables, escaped', () => {
    const views = createViewEngine(join(process.cwd(), 'views'), false);
    const html = views.renderView('api/docs', { layout: 'standalone', lang: 'vi', otherLang: 'en', pageTitle: 'api.docs.title', ...docsModel(document, 'vi') });
    expect(html).toContain('id="op-putDossier"');
    expect(html).toContain('<code>PUT /api/v1/dossiers/{code}</code>');
    expect(html).toContain('<code>steps[].days</code>');
    expect(html).toContain('<code>&quot;received&quot; | &quot;returned&quot;</code>');
    expect(html).toContain('<td>chuỗi truy vấn</td>');
    expect(html).toContain('<code>dossiers:write</code>');
    expect(html).toContain('id="problem-busy"');
    expect(html).not.toContain('api.docs.');
  });
});
