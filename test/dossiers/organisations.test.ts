import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../src/core/calendar';
import { recomputeDueDates, yearsWithDueDates } from '../../src/features/dossiers/dossiers.due';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * Dossiers in two organisations (issue 22): each imports its own files through its own quality officer's upload form;
 * the lists, figures, exports, import history and dossier pages of one never show the other's; the same procedure
 * code and the same dossier code exist in both; a procedure code of the other organisation is not recognised by an
 * import, and the other's pages and posts answer 404. The clock says 2026-11-26.
 */
let t: TestApp;
let b: OtherOrganisation;
let qa: SignedIn;
let qb: SignedIn;
const PERIOD = 'from=2026-11-01&to=2026-11-30';
const HEADER = 'code,procedure_code,received_at,due_date,returned_at,outcome,channel';

// A: two dossiers of QT-CHUNG, one late (due 05/11, returned 09/11).
const FILE_A = [HEADER, 'HS-001,QT-CHUNG,2026-11-02,2026-11-05,2026-11-09,,direct', 'HS-A-02,QT-CHUNG,2026-11-03,2026-11-10,2026-11-04,,online'].join('\n');
// B: three dossiers of its QT-CHUNG (the same code HS-001 as A's), one of QT-RIENG-B, late or overdue.
const FILE_B = [
  HEADER,
  'HS-001,QT-CHUNG,2026-11-02,2026-11-04,2026-11-12,,postal',
  'HS-B-02,QT-CHUNG,2026-11-05,2026-11-06,,,direct',
  'HS-B-03,QT-CHUNG,2026-11-06,2026-11-20,2026-11-07,,online',
  'HS-B-04,QT-RIENG-B,2026-11-09,2026-11-11,,,direct',
].join('\n');

const upload = (who: SignedIn, text: string, name: string) =>
  who.agent.post('/dossiers/import').field('_csrf', who.csrf).attach('file', Buffer.from(text), name);

beforeAll(async () => {
  t = await createTestApp();
  b = await addOrganisation(t, 'SOB');
  const base = { field: '', online_level: 'none' as const, national_code: null, processing_days: 2, on_time_target: 1 };
  await createProcedure(t.ctx, { ...base, unit_id: t.units.main, code: 'QT-CHUNG', title: 'Thủ tục chung của A' }, null);
  await createProcedure(b.ctx, { ...base, unit_id: b.units.main, code: 'QT-CHUNG', title: 'Thủ tục chung của B' }, null);
  await createProcedure(b.ctx, { ...base, unit_id: b.units.main, code: 'QT-RIENG-B', title: 'Thủ tục riêng của B' }, null);
  qa = await t.signIn('quality_officer');
  qb = await t.signIn(b.usernames.quality_officer);
  expect((await upload(qa, FILE_A, 'ho-so-cua-a.csv')).status).toBe(303);
  expect((await upload(qb, FILE_B, 'ho-so-cua-b.csv')).status).toBe(303);
});
afterAll(async () => t?.close());

const idOf = async (code: string, organisation: number) =>
  (await one<{ id: number }>(t, 'select id from dossiers where code = ? and organisation_id = ?', code, organisation))!.id;

describe('dossier imports of two organisations', () => {
  it("store each organisation's dossiers and imports with its organisation, the same codes in both", async () => {
    expect(await rows(t, "select organisation_id from dossiers where code = 'HS-001' order by organisation_id")).toEqual([
      { organisation_id: 1 },
      { organisation_id: b.id },
    ]);
    expect(await rows(t, 'select organisation_id, count(*) as n from dossiers group by organisation_id order by organisation_id')).toEqual([
      { organisation_id: 1, n: 2 },
      { organisation_id: b.id, n: 4 },
    ]);
    // Each dossier names its own organisation's procedure.
    expect(
      await one(t, 'select count(*) as n from dossiers d join procedures p on p.id = d.procedure_id where p.organisation_id <> d.organisation_id'),
    ).toEqual({
      n: 0,
    });
    expect(await rows(t, 'select file_name, organisation_id, rows_added from dossier_imports order by id')).toEqual([
      { file_name: 'ho-so-cua-a.csv', organisation_id: 1, rows_added: 2 },
      { file_name: 'ho-so-cua-b.csv', organisation_id: b.id, rows_added: 4 },
    ]);
  });

  it("does not recognise another organisation's procedure code (422, nothing stored)", async () => {
    const res = await upload(qa, [HEADER, 'HS-A-09,QT-RIENG-B,2026-11-09,,,,direct'].join('\n'), 'sai-thu-tuc.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('QT-RIENG-B');
    expect(await one(t, "select count(*) as n from dossiers where code = 'HS-A-09'")).toEqual({ n: 0 });
  });

  it('updates only its own dossier of a shared code', async () => {
    const again = [HEADER, 'HS-001,QT-CHUNG,2026-11-02,2026-11-05,2026-11-05,,direct'].join('\n');
    expect((await upload(qa, again, 'sua-hs-001.csv')).status).toBe(303);
    expect(await rows(t, "select organisation_id, returned_on from dossiers where code = 'HS-001' order by organisation_id")).toEqual([
      { organisation_id: 1, returned_on: '2026-11-05' },
      { organisation_id: b.id, returned_on: '2026-11-12' },
    ]);
  });
});

describe("one organisation's dossier pages", () => {
  it("list and count the organisation's procedures and dossiers only", async () => {
    const a = await qa.get(`/dossiers?${PERIOD}`);
    expect(a.status).toBe(200);
    expect(a.text).toContain('Thủ tục chung của A');
    expect(a.text).not.toContain('Thủ tục chung của B');
    expect(a.text).not.toContain('QT-RIENG-B');
    const other = await qb.get(`/dossiers?${PERIOD}`);
    expect(other.text).toContain('Thủ tục chung của B');
    expect(other.text).toContain('QT-RIENG-B');
    expect(other.text).not.toContain('Thủ tục chung của A');

    const list = await qa.get(`/dossiers/procedures/QT-CHUNG?${PERIOD}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('HS-A-02');
    expect(list.text).not.toContain('HS-B-02');
    const listB = await qb.get(`/dossiers/procedures/QT-CHUNG?${PERIOD}`);
    expect(listB.text).toContain('HS-B-02');
    expect(listB.text).not.toContain('HS-A-02');
  });

  it("export the organisation's dossiers only", async () => {
    const csv = await qa.get(`/dossiers/procedures/QT-CHUNG/export.csv?${PERIOD}`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('HS-A-02');
    expect(csv.text).not.toMatch(/HS-B-0\d/);
    expect(csv.text.match(/HS-001/g)).toHaveLength(1);
  });

  it("show the organisation's imports only", async () => {
    const a = await qa.get('/dossiers/imports');
    expect(a.text).toContain('ho-so-cua-a.csv');
    expect(a.text).not.toContain('ho-so-cua-b.csv');
    const other = await qb.get('/dossiers/imports');
    expect(other.text).toContain('ho-so-cua-b.csv');
    expect(other.text).not.toContain('ho-so-cua-a.csv');
  });

  it("answer 404 for the other organisation's procedure, dossier and their posts", async () => {
    expect((await qa.get(`/dossiers/procedures/QT-RIENG-B?${PERIOD}`)).status).toBe(404);
    expect((await qa.get(`/dossiers/procedures/QT-RIENG-B/export.csv?${PERIOD}`)).status).toBe(404);
    const theirs = await idOf('HS-B-02', b.id);
    expect((await qa.get(`/dossiers/${theirs}`)).status).toBe(404);
    expect((await qb.get(`/dossiers/${theirs}`)).status).toBe(200);
    expect((await qa.post(`/dossiers/${theirs}/nonconformity`, { severity: 'minor' })).status).toBe(404);
    expect((await qa.post('/dossiers/procedures/QT-RIENG-B/nonconformity', { severity: 'minor', from: '2026-11-01', to: '2026-11-30' })).status).toBe(404);
    expect(await one(t, 'select count(*) as n from nonconformity_dossiers')).toEqual({ n: 0 });
  });

  it("raise a nonconformity for the organisation's own late dossiers, linked within it", async () => {
    const res = await qb.post('/dossiers/procedures/QT-CHUNG/nonconformity', { severity: 'minor', from: '2026-11-01', to: '2026-11-30' });
    expect(res.status).toBe(303);
    const links = await rows(t, 'select d.code, l.organisation_id from nonconformity_dossiers l join dossiers d on d.id = l.dossier_id order by d.code');
    // B's late HS-001 and its overdue HS-B-02; A's HS-001 (on time since its update) is not B's to raise.
    expect(links).toEqual([
      { code: 'HS-001', organisation_id: b.id },
      { code: 'HS-B-02', organisation_id: b.id },
    ]);
    const a = await qa.get(`/dossiers/${await idOf('HS-001', 1)}`);
    expect(a.status).toBe(200);
    expect(a.text).not.toMatch(/NC-2026-\d+/);
  });
});

describe('computed due dates', () => {
  it("move with the organisation's calendar only, and the years with due dates are the organisation's", async () => {
    // Both organisations receive HS-TINH on Mon 16/11 without a due date: 2 working days → Wed 18/11.
    const line = 'HS-TINH,QT-CHUNG,2026-11-16,,,,direct';
    expect((await upload(qa, [HEADER, line].join('\n'), 'tinh-a.csv')).status).toBe(303);
    expect((await upload(qb, [HEADER, line].join('\n'), 'tinh-b.csv')).status).toBe(303);
    const dues = () => rows(t, "select organisation_id, due_on from dossiers where code = 'HS-TINH' order by organisation_id");
    expect(await dues()).toEqual([
      { organisation_id: 1, due_on: '2026-11-18' },
      { organisation_id: b.id, due_on: '2026-11-18' },
    ]);
    // A declares Tue 17/11 a day off: A's dossier is due Thu 19/11, B's stays.
    const moved = await t.ctx.db
      .transaction()
      .execute((trx) => recomputeDueDates(trx, ['2026-11-17'], new WorkCalendar({ holidays: ['2026-11-17'] }), t.ctx.clock.now()));
    expect(moved.map((m) => m.to)).toEqual(['2026-11-19']);
    expect(await dues()).toEqual([
      { organisation_id: 1, due_on: '2026-11-19' },
      { organisation_id: b.id, due_on: '2026-11-18' },
    ]);
    expect(await yearsWithDueDates(t.ctx.db, [2026, 2027])).toEqual([2026]);
    const c = await addOrganisation(t, 'SOC');
    expect(await yearsWithDueDates(c.ctx.db, [2026, 2027])).toEqual([]);
  });
});
