import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { addApiToken } from './tokens';

/**
 * PUT /api/v1/dossiers/{code} and POST /api/v1/dossiers:batch (issue 28): the dossier file import's rules and writer
 * behind a JSON body. The clock says 2026-11-26 (local); QT-API-01 takes 2 working days (no holiday declared).
 */
let t: TestApp;
let leader: SignedIn;
let token: string;
const PERIOD = 'from=2026-11-01&to=2026-11-30';

const count = async (table: string) => Number((await one<{ n: number }>(t, `select count(*) as n from ${table}`))!.n);
const counts = async () => ({ dossiers: await count('dossiers'), imports: await count('dossier_imports'), audit: await count('audit_log') });
const put = (code: string, body: unknown, lang = 'vi') =>
  request(t.app)
    .put(`/api/v1/dossiers/${encodeURIComponent(code)}`)
    .set('Authorization', `Bearer ${token}`)
    .set('Accept-Language', lang)
    .send(body as object);
const batch = (body: unknown) =>
  request(t.app)
    .post('/api/v1/dossiers:batch')
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);
const figures = async () => (await leader.get(`/reports/procedures/QT-API-01.json?${PERIOD}`).expect(200)).body.dossiers;

beforeAll(async () => {
  t = await createTestApp();
  const base = { field: '', online_level: 'none' as const, unit_id: t.units.main, on_time_target: 1 };
  await createProcedure(t.ctx, { ...base, code: 'QT-API-01', title: 'Thủ tục nhận qua API', national_code: '2.000999', processing_days: 2 }, null);
  token = await addApiToken(t, { name: 'Một cửa tỉnh', scopes: 'dossiers:write' });
  leader = await t.signIn('leader');
});
afterAll(async () => t?.close());

describe('PUT /api/v1/dossiers/{code}', () => {
  it('creates the dossier (201) with the values stored, audited once, and the procedure’s figures count it', async () => {
    const before = await figures();
    const r = await put('API-0001', { procedure_code: 'QT-API-01', received_at: '2026-11-23T08:00:00+07:00', channel: 'online' });
    expect(r.status).toBe(201);
    // due: Mon 23 + 2 working days → Wed 25/11; pending and overdue today (26/11).
    expect(r.body).toEqual({
      code: 'API-0001',
      result: 'created',
      dossier: {
        code: 'API-0001',
        procedure_id: expect.any(Number),
        received_on: '2026-11-23',
        received_at: '2026-11-23T01:00:00.000Z',
        due_on: '2026-11-25',
        due_computed: true,
        returned_on: null,
        returned_at: null,
        outcome: null,
        channel: 'online',
        handling_unit: null,
        unit_id: null,
      },
    });
    const stored = await one(t, `select due_on, channel, outcome from dossiers where code = 'API-0001'`);
    expect(stored).toEqual({ due_on: '2026-11-25', channel: 'online', outcome: null });
    const after = await figures();
    expect(after.newlyReceived - before.newlyReceived).toBe(1);
    expect(after.newlyReceivedOnline - before.newlyReceivedOnline).toBe(1);
    expect(after.pendingOverdue - before.pendingOverdue).toBe(1);
    const audit = await rows<{ action: string; entity: string; user_id: number | null; reason: string }>(
      t,
      `select action, entity, user_id, reason from audit_log where action like 'api_%' order by id`,
    );
    expect(audit).toEqual([{ action: 'api_create', entity: 'dossier', user_id: null, reason: 'API: Một cửa tỉnh' }]);
    // the entry names the new dossier's id (answered by the insert itself on PostgreSQL)
    const created = await one<{ id: number }>(t, `select id from dossiers where code = 'API-0001'`);
    expect(await one(t, `select entity_id from audit_log where action = 'api_create'`)).toEqual({ entity_id: String(created!.id) });
    expect(await rows(t, `select via, file_name, rows_added from dossier_imports order by id`)).toEqual([
      { via: 'api', file_name: 'API: Một cửa tỉnh', rows_added: 1 },
    ]);
  });

  it('answers 200 unchanged for the same body again and writes nothing at all', async () => {
    const before = await counts();
    const r = await put('API-0001', { procedure_code: 'QT-API-01', received_at: '2026-11-23T08:00:00+07:00', channel: 'online' });
    expect(r.status).toBe(200);
    expect(r.body.result).toBe('unchanged');
    expect(await counts()).toEqual(before);
  });

  it('updates (200) with exactly one audit entry holding the old and new values and naming the token', async () => {
    const before = await counts();
    const figuresBefore = await figures();
    const r = await put('API-0001', { procedure_code: '2.000999', received_at: '2026-11-23T08:00:00+07:00', channel: 'online', returned_at: '2026-11-26' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: 'updated', dossier: { returned_on: '2026-11-26', outcome: 'returned', due_on: '2026-11-25' } });
    expect(await counts()).toEqual({ ...before, imports: before.imports + 1, audit: before.audit + 1 });
    const entry = (await one<{ action: string; old_values: string; new_values: string; reason: string }>(
      t,
      `select action, old_values, new_values, reason from audit_log order by id desc limit 1`,
    ))!;
    expect(entry.action).toBe('api_update');
    expect(entry.reason).toBe('API: Một cửa tỉnh');
    expect(JSON.parse(entry.old_values)).toMatchObject({ code: 'API-0001', returned_on: null, outcome: null });
    expect(JSON.parse(entry.new_values)).toMatchObject({ returned_on: '2026-11-26', outcome: 'returned' });
    const after = await figures();
    expect(after.late - figuresBefore.late).toBe(1);
    expect(after.pendingOverdue - figuresBefore.pendingOverdue).toBe(-1);
  });

  it('replaces the whole dossier: a push without handling_unit leaves it with none (one audit entry)', async () => {
    const body = { procedure_code: 'QT-API-01', received_at: '2026-11-24', channel: 'direct' };
    expect((await put('API-UNIT', { ...body, handling_unit: 'LĐTBXH' })).status).toBe(201);
    expect(await one(t, `select handling_unit, unit_id from dossiers where code = 'API-UNIT'`)).toEqual({ handling_unit: 'LĐTBXH', unit_id: t.units.main });
    const before = await counts();
    const r = await put('API-UNIT', body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: 'updated', dossier: { handling_unit: null, unit_id: null } });
    expect(await one(t, `select handling_unit, unit_id from dossiers where code = 'API-UNIT'`)).toEqual({ handling_unit: null, unit_id: null });
    expect(await counts()).toEqual({ ...before, imports: before.imports + 1, audit: before.audit + 1 });
    expect((await put('API-UNIT', body)).body.result).toBe('unchanged');
  });

  it('answers 422 with the import’s words for an unknown procedure, in Vietnamese and in English', async () => {
    const vi = await put('API-X', { procedure_code: 'QT-NOPE', received_at: '2026-11-20' });
    expect(vi.status).toBe(422);
    expect(vi.body.errors).toEqual([{ pointer: '/procedure_code', code: 'unknown_procedure', detail: 'không có thủ tục/quy trình mã QT-NOPE' }]);
    const en = await put('API-X', { procedure_code: 'QT-NOPE', received_at: '2026-11-20' }, 'en');
    expect(en.body.errors).toEqual([{ pointer: '/procedure_code', code: 'unknown_procedure', detail: 'no procedure with code or national code QT-NOPE' }]);
    expect(await count(`dossiers where code = 'API-X'`)).toBe(0);
  });

  it('answers 409 for an apology slip whose number another dossier’s slip has, writing nothing', async () => {
    const late = { procedure_code: 'QT-API-01', received_at: '2026-11-02', due_date: '2026-11-05', returned_at: '2026-11-09' };
    const slip = { no: '07/PXL', date: '2026-11-05', reason: 'Chờ xác minh', new_due_date: '2026-11-10' };
    expect((await put('API-LATE-1', { ...late, apology: slip })).status).toBe(201);
    expect(await count(`apology_slips where slip_no = '07/PXL'`)).toBe(1);
    const before = await counts();
    const r = await put('API-LATE-2', { ...late, apology: slip });
    expect(r.status).toBe(409);
    expect(r.body.errors).toEqual([{ pointer: '/apology/no', code: 'slip_no_taken', detail: 'số phiếu 07/PXL đã dùng cho phiếu xin lỗi khác' }]);
    expect(await counts()).toEqual(before);
  });

  it('answers 415 for a body that is not JSON and 400 for JSON that does not parse', async () => {
    const plain = await request(t.app).put('/api/v1/dossiers/API-T').set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/plain').send('code=1');
    expect(plain.status).toBe(415);
    const broken = await request(t.app)
      .put('/api/v1/dossiers/API-T')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"procedure_code":');
    expect(broken.status).toBe(400);
    expect(broken.body.type).toBe('/api/v1/docs#problem-malformed_request');
  });
});

describe('POST /api/v1/dossiers:batch', () => {
  const item = (code: string, extra: Record<string, unknown> = {}) => ({ code, procedure_code: 'QT-API-01', received_at: '2026-11-16', ...extra });

  it('creates a batch, recorded as one push of the token with one audit entry', async () => {
    const r = await batch({ items: [item('B-1'), item('B-2', { returned_at: '2026-11-17' }), item('B-3', { channel: 'postal' })] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ received: 3, created: 3, updated: 0, unchanged: 0, import_id: expect.any(Number) });
    expect(await one(t, 'select via, file_name, rows_total, rows_added from dossier_imports where id = ?', r.body.import_id)).toEqual({
      via: 'api',
      file_name: 'API: Một cửa tỉnh',
      rows_total: 3,
      rows_added: 3,
    });
    expect(await rows(t, `select action, entity_id, reason from audit_log where entity = 'dossier_import'`)).toEqual([
      { action: 'api_batch', entity_id: String(r.body.import_id), reason: 'API: Một cửa tỉnh' },
    ]);
    const again = await batch({ items: [item('B-1'), item('B-2', { returned_at: '2026-11-18' }), item('B-3', { channel: 'postal' })] });
    expect(again.body).toEqual({ received: 3, created: 0, updated: 1, unchanged: 2, import_id: expect.any(Number) });
    expect(await count(`audit_log where action = 'api_update' and entity_id in (select cast(id as text) from dossiers where code like 'B-%')`)).toBe(1); // B-2's
  });

  it('lists every wrong item with its index and pointer (422), and writes nothing', async () => {
    const before = await counts();
    const items = [item('C-0'), item('C-1', { received_at: '31/02/2026' }), item('C-2'), item('C-3'), item('C-4', { returned_at: '2026-11-10' })];
    const r = await batch({ items });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { pointer: string; index: number; code: string }) => [e.index, e.pointer, e.code])).toEqual([
      [1, '/items/1/received_at', 'date_invalid_date'],
      [4, '/items/4/returned_at', 'before_received'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a code repeated within the batch on its later index', async () => {
    const r = await batch({ items: [item('D-1'), item('D-2'), item('D-1')] });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ pointer: '/items/2/code', index: 2, code: 'repeats_row', detail: 'trùng với dòng 0' }]);
  });

  it('answers 413 too_many_items for 6,000 items, and 413 for a body over 16 MB', async () => {
    const many = await batch({ items: Array.from({ length: 6000 }, (_, i) => item(`M-${i}`)) });
    expect(many.status).toBe(413);
    expect(many.body.type).toBe('/api/v1/docs#problem-too_many_items');
    expect(many.body.detail).toBe('Mỗi lần gửi tối đa 5000 hồ sơ; lần này có 6000.');
    const huge = await batch({ items: [item('H-1', { handling_unit: 'x'.repeat(17 * 1024 * 1024) })] });
    expect(huge.status).toBe(413);
    expect(huge.body.type).toBe('/api/v1/docs#problem-payload_too_large');
  });
});

describe('the OpenAPI document', () => {
  it('describes both operations from their schemas', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json').expect(200)).body;
    const putOp = doc.paths['/api/v1/dossiers/{code}'].put;
    expect(Object.keys(putOp.responses)).toEqual(expect.arrayContaining(['200', '201', '409', '413', '415', '422']));
    expect(putOp.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DossierInput' });
    const batchOp = doc.paths['/api/v1/dossiers:batch'].post;
    expect(JSON.stringify(batchOp.requestBody.content['application/json'].schema)).toContain('DossierBatch');
    expect(doc.components.schemas.DossierItem.required).toEqual(['code', 'procedure_code', 'received_at']);
    expect(doc.components.schemas.DossierBatch.properties.items.maxItems).toBe(5000);
  });
});
