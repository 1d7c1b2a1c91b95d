import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { addApiToken } from './tokens';

/**
 * Who may push dossiers: only a token with dossiers:write, only for an organisation that is not read-only, and only
 * into its own organisation's dossiers. The clock says 2026-11-26.
 */
let t: TestApp;
let b: OtherOrganisation;
let c: OtherOrganisation;
const base = { field: '', online_level: 'none' as const, national_code: null, processing_days: 2, on_time_target: 1 };
const body = { procedure_code: 'QT-CHUNG', received_at: '2026-11-20' };
const put = (token: string, code: string, value: object = body) =>
  request(t.app).put(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${token}`).send(value);

beforeAll(async () => {
  t = await createTestApp();
  b = await addOrganisation(t, 'SOB');
  c = await addOrganisation(t, 'SOC');
  await createProcedure(t.ctx, { ...base, unit_id: t.units.main, code: 'QT-CHUNG', title: 'Thủ tục của A' }, null);
  await createProcedure(b.ctx, { ...base, unit_id: b.units.main, code: 'QT-CHUNG', title: 'Thủ tục của B', processing_days: 5 }, null);
  await createProcedure(c.ctx, { ...base, unit_id: c.units.main, code: 'QT-CHUNG', title: 'Thủ tục của C' }, null);
});
afterAll(async () => t?.close());

describe('pushing dossiers: scope, read-only organisations, isolation', () => {
  it('answers 403 insufficient_scope to a token without dossiers:write', async () => {
    const token = await addApiToken(t, { scopes: 'registers:read reports:read' });
    const r = await put(token, 'S-1');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ type: '/api/v1/docs#problem-insufficient_scope', required_scope: 'dossiers:write' });
    expect(await one(t, `select id from dossiers where code = 'S-1'`)).toBeUndefined();
  });

  it('answers 403 read_only to the token of a merged organisation, for a PUT and a batch', async () => {
    await run(t, `update organisation set status = 'read_only' where id = ?`, c.id);
    const token = await addApiToken(t, { scopes: 'dossiers:write', organisation: c.id });
    expect((await put(token, 'R-1')).body.type).toBe('/api/v1/docs#problem-read_only');
    const r = await request(t.app)
      .post('/api/v1/dossiers:batch')
      .set('Authorization', `Bearer ${token}`)
      .send({ items: [{ code: 'R-1', ...body }] });
    expect(r.status).toBe(403);
    expect(await one(t, `select id from dossiers where code = 'R-1'`)).toBeUndefined();
  });

  it("writes into the token's own organisation: B's push of a code A has creates B's dossier and leaves A's as it was", async () => {
    const tokenA = await addApiToken(t, { scopes: 'dossiers:write' });
    const tokenB = await addApiToken(t, { scopes: 'dossiers:write', organisation: b.id });
    expect((await put(tokenA, 'HS-CHUNG')).status).toBe(201);
    const a = await one(t, `select * from dossiers where code = 'HS-CHUNG' and organisation_id = 1`);
    const r = await put(tokenB, 'HS-CHUNG', { ...body, returned_at: '2026-11-25' });
    expect(r.status).toBe(201);
    // B's procedure takes 5 working days: Fri 20/11 → Fri 27/11.
    expect(r.body.dossier).toMatchObject({ due_on: '2026-11-27', returned_on: '2026-11-25', outcome: 'returned' });
    expect(await rows(t, `select organisation_id, due_on, returned_on from dossiers where code = 'HS-CHUNG' order by organisation_id`)).toEqual([
      { organisation_id: 1, due_on: '2026-11-24', returned_on: null },
      { organisation_id: b.id, due_on: '2026-11-27', returned_on: '2026-11-25' },
    ]);
    expect(await one(t, `select * from dossiers where code = 'HS-CHUNG' and organisation_id = 1`)).toEqual(a);
    expect(await rows(t, `select organisation_id from dossier_imports order by id`)).toEqual([{ organisation_id: 1 }, { organisation_id: b.id }]);
  });
});
