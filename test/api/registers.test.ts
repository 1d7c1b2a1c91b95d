import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { buildScenario, document, nonconformity, procedure, run } from '../reports/fixtures';
import { addToken, apiGet, okBody, walk } from './read-support';

/**
 * GET /procedures, /procedures/{code}, /nonconformities and /documents/current (scope registers:read) on the report
 * tests' scenario (test/reports/fixtures.ts) and a few more rows: every page walked, every filter checked against the
 * stored rows, another organisation's token sees none of it. The clock says 2026-11-26.
 */
let t: TestApp;
let b: OtherOrganisation;
let token: string;
let tokenB: string;
let units: { main: { code: string; name: string }; other: { code: string; name: string } };
let formDocId: number;

beforeAll(async () => {
  t = await createTestApp();
  const { p2 } = await buildScenario(t);
  // A retired internal process of the other unit, with a national code.
  const p4 = await procedure(t, 'QT-NB-04', { unitId: t.units.other, field: 'Nội bộ' });
  await run(
    t,
    `update procedures set status = 'retired', kind = 'internal', retired_at = ?, national_code = '1.000004', processing_days = 7 where id = ?`,
    '2026-10-01T00:00:00.000Z',
    p4,
  );
  // A form of the other unit, in force; a document with a draft only (not in force); a withdrawn one.
  const form = await document(t, p2, 'BM-02', [{ effectiveFrom: '2026-05-01', nextReviewDue: '2027-05-01' }], t.users.quality_officer);
  formDocId = form.documentId;
  await run(t, `update documents set type = 'form', owner_unit_id = ? where id = ?`, t.units.other, formDocId);
  const draft = await document(t, p2, 'TL-NHAP', [], t.users.quality_officer);
  await run(
    t,
    `insert into document_revisions (document_id, revision_no, body, author_id, created_at, updated_at, organisation_id) values (?, 1, 'x', ?, ?, ?, 1)`,
    draft.documentId,
    t.users.quality_officer,
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:00.000Z',
  );
  const gone = await document(t, p2, 'TL-CU', [{ effectiveFrom: '2025-01-01', nextReviewDue: '2026-01-01' }], t.users.quality_officer);
  await run(t, `update documents set status = 'withdrawn', withdrawn_reason = 'Hết hiệu lực', withdrawn_on = '2026-06-01' where id = ?`, gone.documentId);
  await run(t, `update document_revisions set status = 'withdrawn', superseded_on = '2026-06-01' where id = ?`, gone.revisionIds[0]);
  // A complaint, no procedure, of the other unit.
  const nc = await nonconformity(t, null, { severity: 'minor', detected: '2026-06-15', status: 'open', history: [['open', '2026-06-15']] });
  await run(t, `update nonconformities set source = 'complaint', responsible_unit_id = ?, clause = '8.2.1' where id = ?`, t.units.other, nc);

  const u = await rows<{ id: number; code: string; name: string }>(t, 'select id, code, name from units where organisation_id = 1');
  const pick = (id: number) => {
    const r = u.find((x) => x.id === id)!;
    return { code: r.code, name: r.name };
  };
  units = { main: pick(t.units.main), other: pick(t.units.other) };

  b = await addOrganisation(t, 'SOB');
  await run(
    t,
    `insert into procedures (code, title, field, online_level, on_time_target, search_text, created_at, updated_at, organisation_id) values ('QT-B-01', 'Thủ tục của B', 'Tư pháp', 'none', 1, 'qt-b-01', ?, ?, ?)`,
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:00.000Z',
    b.id,
  );
  token = await addToken(t, 'registers:read');
  tokenB = await addToken(t, 'registers:read', b.id);
});
afterAll(async () => t?.close());

const all = async (operationId: string, path: string, limit: number) => (await walk(t, token, operationId, path, limit)).flat();

describe('GET /procedures', () => {
  it('walks every procedure once, by id, in pages of 2 with a Link to the next', async () => {
    const stored = await rows<{ code: string }>(t, 'select code from procedures where organisation_id = 1 order by id');
    expect(stored.map((r) => r.code)).toEqual(['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03', 'QT-NB-04']);
    const pages = await walk(t, token, 'listProcedures', '/procedures', 2);
    expect(pages.map((p) => p.map((i) => i.code))).toEqual([
      ['QT-TEST-01', 'QT-TEST-02'],
      ['QT-TEST-03', 'QT-NB-04'],
    ]);
    // A page size that does not divide the count: the last page is short.
    expect((await walk(t, token, 'listProcedures', '/procedures', 3)).map((p) => p.length)).toEqual([3, 1]);
    const items = pages.flat();
    expect(items[1]).toEqual({
      code: 'QT-TEST-02',
      national_code: null,
      title: 'Quy trình QT-TEST-02',
      field: 'Người có công',
      kind: 'administrative',
      status: 'active',
      processing_days: null,
      online_level: 'partial',
      on_time_target: 1,
      retired_at: null,
      unit: units.other,
    });
    expect(items[3]).toMatchObject({
      code: 'QT-NB-04',
      national_code: '1.000004',
      kind: 'internal',
      status: 'retired',
      processing_days: 7,
      retired_at: '2026-10-01T00:00:00.000Z',
    });
  });

  it('filters by status, field, kind and unit', async () => {
    const codes = async (q: string) => (await all('listProcedures', `/procedures?${q}`, 100)).map((i) => i.code);
    expect(await codes('status=retired')).toEqual(['QT-NB-04']);
    expect(await codes('status=active')).toEqual(['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03']);
    expect(await codes(`field=${encodeURIComponent('Người có công')}`)).toEqual(['QT-TEST-02']);
    expect(await codes('kind=internal')).toEqual(['QT-NB-04']);
    expect(await codes('kind=administrative&status=active')).toEqual(['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03']);
    expect(await codes(`unit=${encodeURIComponent(units.other.code)}`)).toEqual(['QT-TEST-02', 'QT-NB-04']);
    expect(await codes(`unit=${encodeURIComponent(units.main.code)}&status=active`)).toEqual(['QT-TEST-01', 'QT-TEST-03']);
    expect(await codes('unit=KHONG-CO')).toEqual([]);
  });

  it('refuses a forged cursor, a bad limit and an unknown parameter with 422', async () => {
    const forged = await apiGet(t, token, `/procedures?cursor=${Buffer.from('i:abc').toString('base64url')}`);
    expect(forged.status).toBe(422);
    expect(forged.body.errors).toEqual([expect.objectContaining({ parameter: 'cursor', code: 'invalid_cursor' })]);
    expect((await apiGet(t, token, '/procedures?cursor=%%%')).status).toBe(422);
    for (const limit of ['0', '501', 'abc', '-1']) {
      const r = await apiGet(t, token, `/procedures?limit=${limit}`);
      expect(r.status, limit).toBe(422);
      expect(r.body.errors[0].parameter).toBe('limit');
    }
    const unknown = await apiGet(t, token, '/procedures?colour=red');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ parameter: 'colour', code: 'unknown_field' })]);
    const bad = await apiGet(t, token, '/procedures?status=gone');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ parameter: 'status', code: 'invalid_choice' });
  });
});

describe('GET /procedures/{code}', () => {
  it('gives the procedure with the revision of its process document in force today', async () => {
    const r = await okBody(t, token, 'getProcedure', '/procedures/QT-TEST-01');
    expect(r.body).toMatchObject({ code: 'QT-TEST-01', online_level: 'full', on_time_target: 0.9, unit: units.main });
    expect(r.body.process_document).toEqual({ code: 'TL-QT-01', revision_no: 2, effective_on: '2026-02-15', next_review_due: '2026-03-15' });
    expect((await okBody(t, token, 'getProcedure', '/procedures/QT-TEST-02')).body.process_document).toBeNull();
  });

  it('answers 404 for a code the organisation does not have', async () => {
    const r = await apiGet(t, token, '/procedures/QT-B-01');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('GET /nonconformities', () => {
  it('walks every NC once, by id, with the register’s columns and no names', async () => {
    const stored = await rows<{ code: string }>(t, 'select code from nonconformities where organisation_id = 1 order by id');
    expect(stored).toHaveLength(8);
    const pages = await walk(t, token, 'listNonconformities', '/nonconformities', 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    const items = pages.flat();
    expect(items.map((i) => i.reference)).toEqual(stored.map((r) => r.code));
    // NC2: its open actions are due 03-01 (in progress) and 03-31 (planned); done and cancelled ones do not count.
    expect(items[1]).toEqual({
      reference: stored[1].code,
      title: 'NC',
      status: 'in_progress',
      severity: 'minor',
      source: 'internal_audit',
      clause: null,
      procedure: 'QT-TEST-01',
      unit: null,
      raised_on: '2026-01-10',
      next_action_due: '2026-03-01',
      verify_due_on: null,
      closed_on: null,
      cancelled_on: null,
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    expect(items[7]).toMatchObject({ source: 'complaint', procedure: null, unit: units.other, clause: '8.2.1', raised_on: '2026-06-15' });
    expect(JSON.stringify(items)).not.toContain('Người dùng');
  });

  it('filters by status, source, severity, procedure and the dates raised', async () => {
    type Nc = { code: string; status: string; source: string; severity: string; detected_on: string; procedure_code: string | null };
    const stored = await rows<Nc>(
      t,
      'select n.code, n.status, n.source, n.severity, n.detected_on, p.code as procedure_code from nonconformities n left join procedures p on p.id = n.procedure_id where n.organisation_id = 1 order by n.id',
    );
    const refs = async (q: string) => (await all('listNonconformities', `/nonconformities?${q}`, 2)).map((i) => i.reference);
    const expected = (keep: (n: Nc) => boolean) => stored.filter(keep).map((n) => n.code);
    const active = ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'];
    expect(await refs('status=open')).toEqual(expected((n) => n.status === 'open'));
    expect(await refs('status=open')).toHaveLength(3);
    expect(await refs('status=active')).toEqual(expected((n) => active.includes(n.status)));
    expect(await refs('status=active')).toHaveLength(5);
    expect(await refs('source=complaint')).toEqual(expected((n) => n.source === 'complaint'));
    expect(await refs('severity=major')).toEqual(expected((n) => n.severity === 'major'));
    expect(await refs('procedure=QT-TEST-02')).toEqual(expected((n) => n.procedure_code === 'QT-TEST-02'));
    expect(await refs('procedure=QT-TEST-02')).toHaveLength(1);
    expect(await refs('raised_from=2026-01-10&raised_to=2026-03-10')).toEqual(expected((n) => n.detected_on >= '2026-01-10' && n.detected_on <= '2026-03-10'));
    expect(await refs('raised_from=2026-01-10&raised_to=2026-03-10')).toHaveLength(4);
    expect(await refs('raised_from=2026-04-01&severity=minor')).toEqual(expected((n) => n.detected_on >= '2026-04-01' && n.severity === 'minor'));
    // The complaint's record changed on 2026-11-20 (07:00 in Hà Nội is midnight UTC).
    await run(t, `update nonconformities set updated_at = '2026-11-20T00:00:00.000Z' where source = 'complaint'`);
    const complaint = expected((n) => n.source === 'complaint');
    expect(await refs('updated_since=2026-11-20T00:00:00Z')).toEqual(complaint);
    expect(await refs(`updated_since=${encodeURIComponent('2026-11-20T07:00:00+07:00')}`)).toEqual(complaint);
    expect(await refs('updated_since=2026-11-20T00:00:00.001Z')).toEqual([]);
    expect((await apiGet(t, token, '/nonconformities?updated_since=2026-11-20')).status).toBe(422);
    const bad = await apiGet(t, token, '/nonconformities?raised_from=01/02/2026');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].parameter).toBe('raised_from');
  });
});

describe('GET /documents/current', () => {
  it('lists the active documents with an effective revision, each once, with a link to its page', async () => {
    const pages = await walk(t, token, 'listCurrentDocuments', '/documents/current', 2);
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    const items = pages.flat();
    expect(items.map((i) => i.code)).toEqual(['TL-QT-01', 'TL-QT-03', 'BM-02']);
    expect(items[0]).toMatchObject({
      type: 'procedure',
      revision_no: 2,
      effective_on: '2026-02-15',
      next_review_due: '2026-03-15',
      unit: null,
      procedure: 'QT-TEST-01',
    });
    expect(items[2]).toEqual({
      code: 'BM-02',
      title: 'Tài liệu BM-02',
      type: 'form',
      revision_no: 1,
      effective_on: '2026-05-01',
      next_review_due: '2027-05-01',
      unit: units.other,
      procedure: 'QT-TEST-02',
      url: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/documents/${formDocId}$`)),
    });
  });

  it('filters by type, unit and procedure', async () => {
    const codes = async (q: string) => (await all('listCurrentDocuments', `/documents/current?${q}`, 100)).map((i) => i.code);
    expect(await codes('type=form')).toEqual(['BM-02']);
    expect(await codes('type=procedure')).toEqual(['TL-QT-01', 'TL-QT-03']);
    expect(await codes(`unit=${encodeURIComponent(units.other.code)}`)).toEqual(['BM-02']);
    expect(await codes('procedure=QT-TEST-03')).toEqual(['TL-QT-03']);
    expect(await codes('procedure=QT-TEST-02&type=procedure')).toEqual([]);
    expect((await apiGet(t, token, '/documents/current?type=memo')).status).toBe(422);
  });
});

describe('isolation and scope', () => {
  it("shows another organisation's token none of the first one's rows", async () => {
    const procs = (await walk(t, tokenB, 'listProcedures', '/procedures', 2)).flat();
    expect(procs.map((p) => p.code)).toEqual(['QT-B-01']);
    expect((await walk(t, tokenB, 'listNonconformities', '/nonconformities', 2)).flat()).toEqual([]);
    expect((await walk(t, tokenB, 'listCurrentDocuments', '/documents/current', 2)).flat()).toEqual([]);
    expect((await apiGet(t, tokenB, '/procedures/QT-TEST-01')).status).toBe(404);
    expect((await okBody(t, tokenB, 'getProcedure', '/procedures/QT-B-01')).body.title).toBe('Thủ tục của B');
  });

  it('refuses a token without registers:read', async () => {
    const reports = await addToken(t, 'reports:read');
    for (const path of ['/procedures', '/procedures/QT-TEST-01', '/nonconformities', '/documents/current']) {
      const r = await apiGet(t, reports, path);
      expect(r.status, path).toBe(403);
      expect(r.body.required_scope).toBe('registers:read');
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes the read operations with their named schemas', async () => {
    type Doc = { paths: Record<string, Record<string, { operationId: string }>>; components: { schemas: Record<string, unknown> } };
    const doc = t.app.locals.api.document() as unknown as Doc;
    expect(doc.paths['/api/v1/procedures'].get.operationId).toBe('listProcedures');
    expect(doc.paths['/api/v1/procedures/{code}'].get.operationId).toBe('getProcedure');
    expect(doc.paths['/api/v1/nonconformities'].get.operationId).toBe('listNonconformities');
    expect(doc.paths['/api/v1/documents/current'].get.operationId).toBe('listCurrentDocuments');
    expect(doc.paths['/api/v1/reports/procedures/{code}'].get.operationId).toBe('getProcedureReport');
    expect(doc.paths['/api/v1/reports/summary'].get.operationId).toBe('getReportSummary');
    for (const name of ['Procedure', 'ProcedurePage', 'Nonconformity', 'CurrentDocument', 'ProcedureReport', 'Summary', 'DossierFigures']) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
  });
});

describe('hostile queries', () => {
  it('never answer 5xx', async () => {
    const huge = encodeURIComponent(Buffer.from('i:999999999999999').toString('base64url'));
    const paths = ['/procedures', '/nonconformities', '/documents/current'].flatMap((p) => [
      `${p}?cursor=${huge}`,
      `${p}?limit=500&cursor=${huge}`,
      `${p}?limit=1&limit=2`,
      `${p}?cursor=a&cursor=b`,
      `${p}?unit=${'x'.repeat(5000)}`,
      `${p}?procedure=%E2%80%AE%27%3B--`,
      `${p}?field[a]=1`,
    ]);
    for (const path of [...paths, '/procedures/%27%20or%201%3D1', `/procedures/${'Q'.repeat(300)}`, '/nonconformities?updated_since=9999-99-99T99:99:99Z']) {
      const r = await apiGet(t, token, path);
      expect(r.status, path).toBeLessThan(500);
    }
    // A cursor past every id of PostgreSQL's integers is none of ours; the largest one is a page after the last.
    expect((await apiGet(t, token, `/procedures?cursor=${huge}`)).status).toBe(422);
    const last = encodeURIComponent(Buffer.from('i:2147483647').toString('base64url'));
    const past = await apiGet(t, token, `/procedures?cursor=${last}`);
    expect(past.status).toBe(200);
    expect(past.body).toEqual({ data: [], next_cursor: null });
  });
});
