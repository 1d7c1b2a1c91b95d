import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOpenBySeverity, listAwaitingVerification } from '../../src/features/nonconformities/nonconformities.dashboard.queries';
import { countActions, listOverdueAndDueSoonActions } from '../../src/features/nonconformities/nonconformities.actions.queries';
import { emptyNcFigures, listNcFiguresAt, ncFiguresForProcedure } from '../../src/features/nonconformities/nonconformities.report.queries';
import { createNonconformity } from '../../src/features/nonconformities/nonconformities.service';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * Organisations (issue 22), the nonconformities and their actions: organisation B's records, made by B's own users
 * through the app's forms, are not seen, counted, exported or found by A's users; A's users get 404 for B's records;
 * each organisation numbers its NCs from NC-<year>-001; ids of B's rows given in A's forms are refused. Both engines.
 */
let t: TestApp;
let b: OtherOrganisation;
let qoA: SignedIn;
let qoB: SignedIn;
let bProcedure: number;
let bDocument: number;
/** B's NC (raised by B's quality officer), its correction action, and A's NC. */
let bNc: number;
let bAction: number;
let aNc: number;

const B_TITLE = 'Riêng của cơ quan SOB';
const at = '2026-11-26T02:00:00.000Z';

const raise = (who: SignedIn, title: string, extra: Record<string, string> = {}) =>
  who.post('/nonconformities', {
    title,
    description: 'Mô tả sự không phù hợp',
    source: 'internal_audit',
    severity: 'major',
    clause: '8.5.1',
    detected_on: '2026-11-24',
    ...extra,
  });
const idOf = (location: string) => Number(location.split('/').pop()!.split('#')[0]);

beforeAll(async () => {
  t = await createTestApp();
  b = await addOrganisation(t, 'SOB');
  // B's procedure and active document, as rows of B (this file tests the nonconformities, not those features).
  bProcedure = (await one<{ id: number }>(
    t,
    `insert into procedures (code, title, field, processing_days, online_level, unit_id, on_time_target, status, search_text, created_at, updated_at, organisation_id)
     values ('QT-SOB-01', 'Quy trình của SOB', 'Tư pháp', 10, 'partial', ?, 1, 'active', 'qt-sob-01', ?, ?, ?) returning id`,
    b.units.main,
    at,
    at,
    b.id,
  ))!.id;
  bDocument = (await one<{ id: number }>(
    t,
    `insert into documents (code, title, type, procedure_id, owner_unit_id, search_text, status, created_at, updated_at, organisation_id)
     values ('TL-SOB-01', 'Tài liệu của SOB', 'procedure', ?, ?, 'tl-sob-01', 'active', ?, ?, ?) returning id`,
    bProcedure,
    b.units.main,
    at,
    at,
    b.id,
  ))!.id;
  qoA = await t.signIn('quality_officer');
  qoB = await t.signIn(b.usernames.quality_officer);
});
afterAll(async () => t?.close());

describe('two organisations raising nonconformities', () => {
  it('number them per organisation: NC-2026-001 in each, made by each organisation’s quality officer', async () => {
    const resA = await raise(qoA, 'Của cơ quan A', { responsible_user_id: String(t.users.staff), responsible_unit_id: String(t.units.main) });
    const resB = await raise(qoB, B_TITLE, {
      procedure_id: String(bProcedure),
      responsible_user_id: String(b.users.staff),
      responsible_unit_id: String(b.units.main),
    });
    expect([resA.status, resB.status]).toEqual([303, 303]);
    aNc = idOf(resA.headers.location);
    bNc = idOf(resB.headers.location);
    expect(await rows(t, 'select id, code, organisation_id, procedure_id from nonconformities order by id')).toEqual([
      { id: aNc, code: 'NC-2026-001', organisation_id: 1, procedure_id: null },
      { id: bNc, code: 'NC-2026-001', organisation_id: b.id, procedure_id: bProcedure },
    ]);
    expect(await rows(t, 'select organisation_id, year, last_no from nc_counters order by organisation_id')).toEqual([
      { organisation_id: 1, year: 2026, last_no: 1 },
      { organisation_id: b.id, year: 2026, last_no: 1 },
    ]);
    expect(await rows(t, 'select nonconformity_id, organisation_id from nc_status_history order by id')).toEqual([
      { nonconformity_id: aNc, organisation_id: 1 },
      { nonconformity_id: bNc, organisation_id: b.id },
    ]);
    // B's staff reports a problem: B's second number, whatever A has.
    const staffB = await t.signIn(b.usernames.staff);
    const report = await staffB.post('/nonconformities/report', { title: 'Báo cáo của SOB', description: 'Chi tiết', detected_on: '2026-11-25' });
    expect(report.status).toBe(303);
    expect(await one(t, 'select code, organisation_id, status from nonconformities where id = ?', idOf(report.headers.location))).toEqual({
      code: 'NC-2026-002',
      organisation_id: b.id,
      status: 'reported',
    });
    expect(await rows(t, 'select organisation_id, sum(n) as n from nc_register_counts group by organisation_id order by organisation_id')).toEqual([
      { organisation_id: 1, n: 1 },
      { organisation_id: b.id, n: 2 },
    ]);
    // The pages show each organisation its own NC-2026-001.
    expect((await qoA.get(`/nonconformities/${aNc}`)).text).toContain('Của cơ quan A');
    expect((await qoB.get(`/nonconformities/${bNc}`)).text).toContain(B_TITLE);
  });

  it('plan actions owned by their own users, stored with the organisation', async () => {
    const action = { type: 'correction', kind: 'general', description: 'Khắc phục ngay tại SOB', due_date: '2026-11-20' };
    const resB = await qoB.post(`/nonconformities/${bNc}/actions`, { ...action, owner_id: String(b.users.staff) });
    expect(resB.status).toBe(303);
    bAction = Number(/#action-(\d+)/.exec(resB.headers.location)![1]);
    const resA = await qoA.post(`/nonconformities/${aNc}/actions`, { ...action, description: 'Khắc phục tại A', owner_id: String(t.users.staff) });
    expect(resA.status).toBe(303);
    const correction = await qoB.post(`/nonconformities/${bNc}/corrections`, {
      description: 'Đã sửa hồ sơ',
      done_by: String(b.users.staff),
      done_on: '2026-11-25',
    });
    expect(correction.status).toBe(303);
    expect(await rows(t, 'select nonconformity_id, owner_id, organisation_id from nc_actions order by id')).toEqual([
      { nonconformity_id: bNc, owner_id: b.users.staff, organisation_id: b.id },
      { nonconformity_id: aNc, owner_id: t.users.staff, organisation_id: 1 },
    ]);
    expect(await rows(t, 'select nonconformity_id, done_by, organisation_id from nc_corrections')).toEqual([
      { nonconformity_id: bNc, done_by: b.users.staff, organisation_id: b.id },
    ]);
    expect(await rows(t, 'select organisation_id, sum(n) as n from open_action_due_counts group by organisation_id order by organisation_id')).toEqual([
      { organisation_id: 1, n: 1 },
      { organisation_id: b.id, n: 1 },
    ]);
  });
});

describe("organisation A's users", () => {
  it("do not see B's nonconformities or actions in the register, its search, the export, the action lists or the figures", async () => {
    const register = await qoA.get('/nonconformities');
    expect(register.status).toBe(200);
    expect(register.text).toContain('Của cơ quan A');
    expect(register.text).not.toContain(B_TITLE);
    expect((await qoB.get('/nonconformities')).text).toContain(B_TITLE);
    expect((await qoA.get('/nonconformities?q=SOB')).text).not.toContain(B_TITLE);
    expect((await qoA.get(`/nonconformities?procedure=${bProcedure}`)).text).not.toContain(B_TITLE);
    const csv = await qoA.get('/nonconformities/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('Của cơ quan A');
    expect(csv.text).not.toContain(B_TITLE);
    expect(csv.text.trim().split('\r\n')).toHaveLength(2);
    expect((await qoB.get('/nonconformities/export.csv')).text).toContain(B_TITLE);
    const actions = await qoA.get('/actions?status=all');
    expect(actions.text).toContain('Khắc phục tại A');
    expect(actions.text).not.toContain('Khắc phục ngay tại SOB');
    expect((await qoB.get('/actions?status=all')).text).toContain('Khắc phục ngay tại SOB');
    const mineA = await (await t.signIn('staff')).get('/actions/mine');
    expect(mineA.text).toContain('Của cơ quan A');
    expect(mineA.text).not.toContain('Khắc phục ngay tại SOB');
    expect(mineA.text).not.toContain(B_TITLE);
    expect((await (await t.signIn(b.usernames.staff)).get('/actions/mine')).text).toContain('Khắc phục ngay tại SOB');
    // The quality officer's figures, per organisation.
    expect(await countOpenBySeverity(t.ctx.db)).toEqual({ major: 1, minor: 0, total: 1 });
    expect(await countOpenBySeverity(b.ctx.db)).toEqual({ major: 1, minor: 1, total: 2 });
    expect(await countActions(t.ctx.db, { status: 'open' })).toBe(1);
    expect((await listOverdueAndDueSoonActions(t.ctx.db, '2026-11-26', 7)).overdue.map((r) => r.description)).toEqual(['Khắc phục tại A']);
    expect((await listOverdueAndDueSoonActions(b.ctx.db, '2026-11-26', 7)).overdue.map((r) => r.description)).toEqual(['Khắc phục ngay tại SOB']);
    expect(await listAwaitingVerification(t.ctx.db)).toEqual([]);
  });

  it("get empty report figures for B's procedure (its kept spans are B's) and none of B's in their own", async () => {
    const fromB = await ncFiguresForProcedure(b.ctx.db, bProcedure, '2026-11-01', '2026-11-30');
    expect(fromB).toMatchObject({ raised: 1, openAtEnd: 1, openMajorAtEnd: 1 });
    expect(await ncFiguresForProcedure(t.ctx.db, bProcedure, '2026-11-01', '2026-11-30')).toEqual(emptyNcFigures());
    const all = await listNcFiguresAt(t.ctx.db, '2026-11-01', '2026-11-30');
    expect([...all.keys()]).toEqual([null]);
    expect(all.get(null)).toMatchObject({ raised: 1, openAtEnd: 1 });
    expect((await listNcFiguresAt(t.ctx.db, '2026-11-01', '2026-11-30', bProcedure)).size).toBe(0);
    expect((await listNcFiguresAt(b.ctx.db, '2026-11-01', '2026-11-30', bProcedure)).get(bProcedure)).toEqual(fromB);
  });

  it("are offered only their organisation's procedures, units, people and documents in the forms", async () => {
    const pages = [
      await qoA.get('/nonconformities/new'),
      await qoA.get(`/nonconformities/${aNc}/edit`),
      await qoA.get(`/nonconformities/${aNc}/actions/new`),
      await qoA.get(`/nonconformities/${aNc}/correction`),
      await qoA.get('/actions'),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      for (const name of ['QT-SOB-01', 'Phòng SOB', 'TL-SOB-01', 'Người dùng staff SOB', 'Người dùng quality_officer SOB'])
        expect(page.text).not.toContain(name);
    }
    expect(pages[0].text).toContain('Người dùng staff');
  });

  it("get 404 for B's nonconformity and action pages and for every post to them, and nothing changes", async () => {
    const before = await rows(t, 'select id, version, status from nonconformities where organisation_id = ? order by id', b.id);
    const actionBefore = await rows(t, 'select id, version, status from nc_actions where organisation_id = ?', b.id);
    const audit = await one(t, 'select count(*) as n from audit_log');
    for (const path of [
      `/nonconformities/${bNc}`,
      `/nonconformities/${bNc}/print`,
      `/nonconformities/${bNc}/edit`,
      `/nonconformities/${bNc}/triage`,
      `/nonconformities/${bNc}/correction`,
      `/nonconformities/${bNc}/analysis`,
      `/nonconformities/${bNc}/actions/new`,
      `/actions/${bAction}`,
      `/actions/${bAction}/edit`,
      `/actions/${bAction}/files/1`,
    ]) {
      expect((await qoA.get(path)).status, path).toBe(404);
    }
    const version = String(before.find((r) => r.id === bNc)!.version);
    const posts: [string, Record<string, string>][] = [
      [`/nonconformities/${bNc}`, { version, title: 'Sửa', description: 'x', source: 'other', severity: 'minor', detected_on: '2026-11-24' }],
      [`/nonconformities/${bNc}/cancel`, { version, reason: 'Huỷ' }],
      [`/nonconformities/${bNc}/corrections`, { description: 'x', done_by: String(t.users.staff), done_on: '2026-11-25' }],
      [`/nonconformities/${bNc}/analysis`, { version, why_1: 'a', answer_1: 'b', cause_category: 'people', root_cause: 'x' }],
      [`/nonconformities/${bNc}/actions`, { type: 'correction', kind: 'general', description: 'x', owner_id: String(t.users.staff), due_date: '2026-12-31' }],
      [`/actions/${bAction}`, { version: '1', description: 'x', owner_id: String(t.users.staff), due_date: '2026-12-31' }],
      [`/actions/${bAction}/start`, { version: '1' }],
      [`/actions/${bAction}/notes`, { note: 'x' }],
      [`/actions/${bAction}/complete`, { version: '1', completion_note: 'x' }],
      [`/actions/${bAction}/cancel`, { version: '1', reason: 'x' }],
    ];
    for (const [path, body] of posts) expect((await qoA.post(path, body)).status, path).toBe(404);
    expect(await rows(t, 'select id, version, status from nonconformities where organisation_id = ? order by id', b.id)).toEqual(before);
    expect(await rows(t, 'select id, version, status from nc_actions where organisation_id = ?', b.id)).toEqual(actionBefore);
    expect(await one(t, 'select count(*) as n from audit_log')).toEqual(audit);
  });

  it("have B's procedure, unit, users and document refused in their forms (422, nothing written)", async () => {
    const ncs = await one(t, 'select count(*) as n from nonconformities');
    const refused: Record<string, string>[] = [
      { procedure_id: String(bProcedure) },
      { responsible_unit_id: String(b.units.main) },
      { responsible_user_id: String(b.users.staff) },
    ];
    for (const extra of refused) {
      expect((await raise(qoA, 'Không được lưu', extra)).status, JSON.stringify(extra)).toBe(422);
    }
    expect(await one(t, 'select count(*) as n from nonconformities')).toEqual(ncs);
    const version = String((await one<{ version: number }>(t, 'select version from nonconformities where id = ?', aNc))!.version);
    const edit = { version, title: 'Của cơ quan A', description: 'x', source: 'other', severity: 'minor', detected_on: '2026-11-24' };
    expect((await qoA.post(`/nonconformities/${aNc}`, { ...edit, responsible_user_id: String(b.users.leader) })).status).toBe(422);
    expect((await qoA.post(`/nonconformities/${aNc}`, { ...edit, procedure_id: String(bProcedure) })).status).toBe(422);
    const actions = await one(t, 'select count(*) as n from nc_actions');
    const action = { type: 'correction', kind: 'general', description: 'Không được lưu', due_date: '2026-12-31' };
    expect((await qoA.post(`/nonconformities/${aNc}/actions`, { ...action, owner_id: String(b.users.staff) })).status).toBe(422);
    expect(
      (
        await qoA.post(`/nonconformities/${aNc}/actions`, {
          ...action,
          kind: 'revise_document',
          document_id: String(bDocument),
          owner_id: String(t.users.staff),
        })
      ).status,
    ).toBe(422);
    expect(await one(t, 'select count(*) as n from nc_actions')).toEqual(actions);
    const aAction = (await one<{ id: number; version: number }>(t, 'select id, version from nc_actions where nonconformity_id = ?', aNc))!;
    const moved = await qoA.post(`/actions/${aAction.id}`, {
      version: String(aAction.version),
      description: 'x',
      owner_id: String(b.users.staff),
      due_date: '2026-12-31',
    });
    expect(moved.status).toBe(422);
    expect(await one(t, 'select owner_id, version from nc_actions where id = ?', aAction.id)).toEqual({ owner_id: t.users.staff, version: aAction.version });
    const correction = await qoA.post(`/nonconformities/${aNc}/corrections`, { description: 'x', done_by: String(b.users.staff), done_on: '2026-11-25' });
    expect(correction.status).toBe(422);
    expect(await one(t, 'select count(*) as n from nc_corrections where nonconformity_id = ?', aNc)).toEqual({ n: 0 });
    expect(await one(t, 'select version from nonconformities where id = ?', aNc)).toEqual({ version: Number(version) });
  });
});

describe('work outside a request', () => {
  it('writes the organisation of the handle it is given', async () => {
    const made = await createNonconformity(
      b.ctx,
      {
        title: 'Tạo ngoài yêu cầu',
        description: 'x',
        source: 'other',
        severity: 'minor',
        procedureId: null,
        clause: null,
        detectedOn: '2026-11-26',
        reportedBy: null,
        responsibleUnitId: null,
        responsibleUserId: null,
      },
      null,
    );
    expect(made.code).toBe('NC-2026-003');
    expect(await one(t, 'select organisation_id from nonconformities where id = ?', made.id)).toEqual({ organisation_id: b.id });
  });
});
