import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';

/**
 * Late and pending-overdue dossiers become nonconformities (source overdue_dossier), one at a time or in bulk for a
 * procedure and period, linked back to their dossiers. Today is 2026-11-26 (local). QT-NC-01 takes 2 working days.
 */
const CSV = [
  'code,procedure_code,received_at,due_date,returned_at,outcome,channel',
  'N-LATE-1,QT-NC-01,2026-11-02,,2026-11-09,,direct', // due 4/11, returned 9/11 → late
  'N-LATE-2,QT-NC-01,2026-11-03,,2026-11-10,,online', // due 5/11 → late
  'N-OVER-1,QT-NC-01,2026-11-16,,,,direct', // due 18/11, still pending → overdue at 30/11 and today
  'N-OK-1,QT-NC-01,2026-11-16,,2026-11-17,,direct', // early
  'N-TRACK,QT-NC-01,2026-11-25,,,,direct', // due 27/11 → pending on track today; overdue at 30/11
].join('\n');

let t: TestApp;
let quality: SignedIn;
let leader: SignedIn;
const id = async (code: string) => (await rows<{ id: number }>(t, 'select id from dossiers where code = ?', code))[0].id;
const links = () =>
  rows<{ code: string; nc: string }>(
    t,
    'select d.code, n.code as nc from nonconformity_dossiers l join dossiers d on d.id = l.dossier_id join nonconformities n on n.id = l.nonconformity_id order by d.code',
  );

beforeAll(async () => {
  t = await createTestApp();
  await createProcedure(
    t.ctx,
    {
      code: 'QT-NC-01',
      title: 'Thủ tục NC',
      field: '',
      national_code: null,
      processing_days: 2,
      online_level: 'none',
      unit_id: t.units.main,
      on_time_target: 1,
    },
    null,
  );
  await importDossiers(t.ctx, { buffer: Buffer.from(CSV) }, { fileName: 'nc.csv', actorId: null, via: 'cli' });
  quality = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
});
afterAll(async () => t.close());

describe('one dossier', () => {
  it('raises a nonconformity for a late dossier, linked to it, with its audit entries', async () => {
    expect((await leader.post(`/dossiers/${await id('N-LATE-1')}/nonconformity`, {})).status).toBe(403);
    const res = await quality.post(`/dossiers/${await id('N-LATE-1')}/nonconformity`, { severity: 'minor' });
    expect(res.status).toBe(303);
    const [nc] = await rows<{
      id: number;
      code: string;
      source: string;
      severity: string;
      procedure_id: number;
      status: string;
      title: string;
      responsible_unit_id: number;
      reported_by: number;
      detected_on: string;
    }>(t, 'select id, code, source, severity, procedure_id, status, title, responsible_unit_id, reported_by, detected_on from nonconformities');
    expect(res.headers.location).toBe(`/nonconformities/${nc.id}`);
    expect(nc).toMatchObject({
      code: 'NC-2026-001',
      source: 'overdue_dossier',
      severity: 'minor',
      status: 'open',
      title: 'Hồ sơ N-LATE-1 giải quyết quá hạn',
      responsible_unit_id: t.units.main,
      reported_by: t.users.quality_officer,
      detected_on: '2026-11-26',
    });
    expect(await links()).toEqual([{ code: 'N-LATE-1', nc: 'NC-2026-001' }]);
    expect(await rows(t, "select user_id, entity_id from audit_log where action = 'link_dossiers'")).toEqual([
      { user_id: t.users.quality_officer, entity_id: String(nc.id) },
    ]);
    expect((await rows(t, "select count(*) as n from audit_log where action = 'create' and entity = 'nonconformity'"))[0]).toEqual({ n: 1 });
    const page = await quality.get(`/dossiers/${await id('N-LATE-1')}`);
    expect(page.text).toContain('NC-2026-001');
  });

  it('refuses a second one while the first is active, and a dossier that is not overdue (409, nothing written)', async () => {
    expect((await quality.post(`/dossiers/${await id('N-LATE-1')}/nonconformity`, {})).status).toBe(409);
    expect((await quality.post(`/dossiers/${await id('N-OK-1')}/nonconformity`, {})).status).toBe(409);
    expect((await quality.post(`/dossiers/${await id('N-TRACK')}/nonconformity`, {})).status).toBe(409); // due 27/11, today 26/11
    expect((await quality.post(`/dossiers/${await id('N-LATE-2')}/nonconformity`, { severity: 'critical' })).status).toBe(422);
    expect((await quality.post(`/dossiers/${await id('N-LATE-2')}/nonconformity`, { other: 'x' })).status).toBe(422);
    expect((await quality.post('/dossiers/999999/nonconformity', {})).status).toBe(404);
    expect((await rows(t, 'select count(*) as n from nonconformities'))[0]).toEqual({ n: 1 });
  });
});

describe('in bulk for a procedure and period', () => {
  it('is offered on the procedure page with the number of dossiers it would cover', async () => {
    const page = await quality.get('/dossiers/procedures/QT-NC-01?from=2026-11-01&to=2026-11-30');
    expect(page.text).toContain('action="/dossiers/procedures/QT-NC-01/nonconformity"');
    expect(page.text).toContain('Kỳ này có 3 hồ sơ');
  });

  it('raises one nonconformity for every late or pending-overdue dossier not yet covered', async () => {
    const res = await quality.post('/dossiers/procedures/QT-NC-01/nonconformity', { from: '2026-11-01', to: '2026-11-30', severity: 'major' });
    expect(res.status).toBe(303);
    // N-LATE-1 already has NC-2026-001; N-TRACK is overdue at 30/11 (due 27/11 < 30/11)
    expect(await links()).toEqual([
      { code: 'N-LATE-1', nc: 'NC-2026-001' },
      { code: 'N-LATE-2', nc: 'NC-2026-002' },
      { code: 'N-OVER-1', nc: 'NC-2026-002' },
      { code: 'N-TRACK', nc: 'NC-2026-002' },
    ]);
    const [nc] = await rows<{ title: string; description: string; severity: string }>(
      t,
      "select title, description, severity from nonconformities where code = 'NC-2026-002'",
    );
    expect(nc).toMatchObject({ title: '3 hồ sơ quá hạn của quy trình QT-NC-01', severity: 'major' });
    expect(nc.description).toContain('N-LATE-2, N-OVER-1, N-TRACK');
  });

  it('has nothing left to raise afterwards (409), and checks its period', async () => {
    expect((await quality.post('/dossiers/procedures/QT-NC-01/nonconformity', { from: '2026-11-01', to: '2026-11-30' })).status).toBe(409);
    expect((await quality.post('/dossiers/procedures/QT-NC-01/nonconformity', { from: '2026-11-30', to: '2026-11-01' })).status).toBe(400);
    expect((await quality.post('/dossiers/procedures/QT-NOPE/nonconformity', { from: '2026-11-01', to: '2026-11-30' })).status).toBe(404);
    expect((await rows(t, 'select count(*) as n from nonconformities'))[0]).toEqual({ n: 2 });
  });

  it('offers the bulk action on the procedure page only to quality officers, while something overdue is not covered', async () => {
    const toToday = await quality.get('/dossiers/procedures/QT-NC-01?from=2026-11-01&to=2026-11-26');
    expect(toToday.text).not.toContain('action="/dossiers/procedures/QT-NC-01/nonconformity"'); // all covered now
    const page = await quality.get('/dossiers/procedures/QT-NC-01?from=2026-11-01&to=2026-11-30');
    expect(page.text).toContain('NC-2026-002');
    expect(page.text).not.toContain('action="/dossiers/procedures/QT-NC-01/nonconformity"');
    const asLeader = await leader.get('/dossiers/procedures/QT-NC-01?from=2026-11-01&to=2026-11-30');
    expect(asLeader.text).not.toContain('/nonconformity"');
  });
});
