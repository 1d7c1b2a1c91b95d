import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWorkbook } from '../support/xlsx';
import { heatMap, riskFigures, type FigureRow } from '../../src/features/risks/risks.figures';
import { DEFAULT_MATRIX, levelOf } from '../../src/features/risks/risks.model';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';
import { addOrganisation } from '../support/orgs';

/**
 * Risks and opportunities (issue 23, clause 6.1): the levels from the matrix, the register's figures and heat maps
 * (known answers computed by hand), entering, reviewing and closing entries, their actions through the actions
 * engine, the matrix setting, the exports and print view, who sees what, and each organisation's own.
 * The test clock says 2026-11-26.
 */
let t: TestApp;
let qo: SignedIn;
let staff: SignedIn;
let leader: SignedIn;
let other: SignedIn;
let procedureId: number;

const riskRow = (code: string) => one<Record<string, unknown>>(t, 'select * from risks where code = ? and organisation_id = 1', code);
const idOf = async (code: string) => Number((await riskRow(code))!.id);

const BASE = {
  kind: 'risk',
  procedure_id: '',
  process: '',
  description: 'Hồ sơ bị trả kết quả quá hạn do chờ xác minh tại xã',
  cause: 'Xác minh kéo dài',
  consequence: 'Người dân đi lại nhiều lần',
  likelihood: '4',
  impact: '4',
  treatment: 'reduce',
  treatment_note: 'Theo dõi hạn từng bước',
  owner_id: '',
  identified_on: '2026-01-10',
  review_due: '2026-12-10',
};

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
  leader = await t.signIn('leader');
  await run(
    t,
    `insert into procedures (code, title, field, online_level, on_time_target, kind, status, search_text, created_at, updated_at, organisation_id)
     values ('QT-01', 'Trợ cấp xã hội hằng tháng', 'Bảo trợ xã hội', 'partial', 1, 'administrative', 'active', 'qt-01', 'now', 'now', 1)`,
  );
  procedureId = Number((await one<{ id: number }>(t, "select id from procedures where code = 'QT-01'"))!.id);
  // a second staff member, who owns nothing here
  await run(
    t,
    `insert into users (username, full_name, role, unit_id, email, position_title, password_hash, password_changed_at, active, version, created_at, updated_at, organisation_id)
     select 'staff2', 'Cán bộ khác', 'staff', unit_id, null, null, password_hash, password_changed_at, 1, 1, created_at, updated_at, 1 from users where id = ?`,
    t.users.staff,
  );
  other = await t.signIn('staff2');
  BASE.owner_id = String(t.users.staff);
  BASE.procedure_id = String(procedureId);
});
afterAll(async () => t?.close());

describe('levels, figures and heat maps (known answers)', () => {
  it('gives each cell of the default matrix the level of likelihood × impact: 1–4 low, 5–9 medium, 10–14 high, 15–25 very high', () => {
    expect(DEFAULT_MATRIX).toBe('1111211223122341234423444');
    const cases: [number, number, string][] = [
      [1, 1, 'low'],
      [2, 2, 'low'],
      [1, 5, 'medium'],
      [5, 1, 'medium'],
      [3, 3, 'medium'],
      [2, 5, 'high'],
      [3, 4, 'high'],
      [3, 5, 'very_high'],
      [4, 4, 'very_high'],
      [5, 5, 'very_high'],
    ];
    for (const [l, i, level] of cases) expect(levelOf(DEFAULT_MATRIX, l, i), `${l}×${i}`).toBe(level);
    // an organisation's own matrix: every cell read from its place (row = likelihood, column = impact)
    const own = '1234' + '4'.repeat(19) + '21';
    expect([levelOf(own, 1, 1), levelOf(own, 1, 2), levelOf(own, 1, 4), levelOf(own, 5, 4), levelOf(own, 5, 5)]).toEqual([
      'low',
      'medium',
      'very_high',
      'medium',
      'low',
    ]);
    expect(() => levelOf(DEFAULT_MATRIX, 0, 3)).toThrow(RangeError);
    expect(() => levelOf('123', 1, 1)).toThrow(RangeError);
  });

  it('counts the open entries only: without treatment, high before treatment, high residual, reviews overdue', () => {
    const r = (over: Partial<FigureRow>): FigureRow => ({
      kind: 'risk',
      status: 'open',
      level: 'medium',
      residual_level: null,
      treatment: 'reduce',
      review_due: '2026-12-01',
      ...over,
    });
    const list: FigureRow[] = [
      r({ treatment: null, level: 'very_high' }), // untreated, high inherent
      r({ level: 'high', residual_level: 'high' }), // high inherent and residual
      r({ level: 'very_high', residual_level: 'low', review_due: '2026-11-25' }), // high inherent, overdue
      r({ residual_level: 'very_high', review_due: '2026-11-26' }), // high residual; due today is not overdue
      r({ status: 'closed', treatment: null, level: 'very_high', residual_level: 'very_high', review_due: '2020-01-01' }), // closed: none
      r({ kind: 'opportunity', treatment: null, level: 'very_high', residual_level: 'high', review_due: '2026-01-01' }), // overdue only
    ];
    expect(riskFigures(list, '2026-11-26')).toEqual({
      openRisks: 4,
      openOpportunities: 1,
      withoutTreatment: 1,
      highInherent: 3,
      highResidual: 2,
      reviewsOverdue: 2,
    });
  });

  it('places each open entry in its cell, before treatment and as last reviewed', () => {
    const s = (l: number, i: number, rl: number | null, ri: number | null, status: 'open' | 'closed' = 'open') => ({
      status,
      likelihood: l,
      impact: i,
      residual_likelihood: rl,
      residual_impact: ri,
    });
    const list = [s(4, 4, 2, 4), s(4, 4, null, null), s(1, 2, 1, 2), s(5, 5, 5, 5, 'closed')];
    const cell = (map: ReturnType<typeof heatMap>, l: number, i: number) => map.find((row) => row.likelihood === l)!.cells[i - 1];
    const inherent = heatMap(list, DEFAULT_MATRIX, 'inherent');
    expect(inherent.map((row) => row.likelihood)).toEqual([5, 4, 3, 2, 1]);
    expect(cell(inherent, 4, 4)).toEqual({ likelihood: 4, impact: 4, level: 'very_high', count: 2 });
    expect(cell(inherent, 1, 2)).toMatchObject({ count: 1, level: 'low' });
    expect(cell(inherent, 5, 5).count).toBe(0);
    expect(inherent.flatMap((row) => row.cells).reduce((n, c) => n + c.count, 0)).toBe(3);
    const residual = heatMap(list, DEFAULT_MATRIX, 'residual');
    expect(cell(residual, 2, 4)).toMatchObject({ count: 1, level: 'medium' });
    expect(residual.flatMap((row) => row.cells).reduce((n, c) => n + c.count, 0)).toBe(2);
  });
});

describe('the register', () => {
  it('refuses bad input next to each field and writes nothing', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ description: '' }, ['description']],
      [{ likelihood: '6' }, ['likelihood']],
      [{ impact: 'x' }, ['impact']],
      [{ procedure_id: '', process: '' }, ['process']],
      [{ treatment: 'pursue' }, ['treatment']],
      [{ owner_id: '999999' }, ['owner_id']],
      [{ identified_on: '2026-11-27' }, ['identified_on']],
      [{ review_due: '2025-12-31' }, ['review_due']],
      [{ kind: 'danger' }, ['kind']],
    ];
    for (const [change, errors] of cases) {
      const res = await qo.post('/risks', { ...BASE, ...change });
      expect(res.status, JSON.stringify(change)).toBe(422);
      expect(fieldsWithErrors(res.text), JSON.stringify(change)).toEqual(errors);
    }
    expect((await qo.post('/risks', { ...BASE, procedure_id: '', process: '' })).text).toContain('Chọn thủ tục hoặc ghi tên quá trình.');
    expect(await rows(t, 'select id from risks')).toEqual([]);
  });

  it('enters a risk with its level from the matrix, numbered in order, with its audit entry', async () => {
    const res = await qo.post('/risks', BASE);
    expect(res.status).toBe(303);
    const r = (await riskRow('R-001'))!;
    expect(res.headers.location).toBe(`/risks/${r.id}`);
    expect(r).toMatchObject({
      kind: 'risk',
      procedure_id: procedureId,
      process: null,
      likelihood: 4,
      impact: 4,
      level: 'very_high',
      treatment: 'reduce',
      status: 'open',
    });
    const entry = (await one<{ action: string; new_values: string }>(
      t,
      "select action, new_values from audit_log where entity = 'risk' and entity_id = ?",
      String(r.id),
    ))!;
    expect(entry.action).toBe('create');
    expect(JSON.parse(entry.new_values)).toMatchObject({ code: 'R-001', level: 'very_high' });
    // a process instead of a procedure; an opportunity; an untreated risk
    expect((await qo.post('/risks', { ...BASE, procedure_id: '', process: 'Quản lý hồ sơ', likelihood: '2', impact: '2', treatment: '' })).status).toBe(303);
    expect(
      (await qo.post('/risks', { ...BASE, kind: 'opportunity', treatment: 'pursue', likelihood: '3', impact: '3', review_due: '2026-11-20' })).status,
    ).toBe(303);
    expect(await riskRow('R-002')).toMatchObject({ procedure_id: null, process: 'Quản lý hồ sơ', level: 'low', treatment: null });
    expect(await riskRow('R-003')).toMatchObject({ kind: 'opportunity', level: 'medium', treatment: 'pursue' });
  });

  it('shows the figures and heat maps on the register, and the overdue review on the quality officer’s home page', async () => {
    const page = await qo.get('/risks');
    expect(page.status).toBe(200);
    const figure = (name: string) => page.text.match(new RegExp(`data-figure="${name}">(\\d+)<`))?.[1];
    expect([
      figure('open_risks'),
      figure('open_opportunities'),
      figure('without_treatment'),
      figure('high_inherent'),
      figure('high_residual'),
      figure('reviews_overdue'),
    ]).toEqual(['2', '1', '1', '1', '0', '1']);
    expect(page.text).toMatch(/data-heatmap="inherent"[\s\S]*?data-cell="4-4"[^>]*><strong>1<\/strong>/);
    expect([...page.text.matchAll(/data-risk-row="([^"]+)"/g)].map((m) => m[1])).toEqual(['R-001', 'R-002', 'R-003']);
    const home = await qo.get('/');
    expect(home.text).toContain('data-risk-reviews="1"');
    expect(home.text).toContain('Rủi ro, cơ hội quá hạn xem xét');
    expect(home.text).toContain('R-003');
    expect((await qo.get('/risks?kind=opportunity')).text.match(/data-risk-row="([^"]+)"/g)).toEqual(['data-risk-row="R-003"']);
  });

  it('corrects an entry (its level again), keeps its kind, and refuses a stale version', async () => {
    const id = await idOf('R-002');
    const r = (await riskRow('R-002'))!;
    const body = { ...BASE, procedure_id: '', process: 'Quản lý hồ sơ', likelihood: '3', impact: '4', treatment: 'accept', version: String(r.version) };
    expect((await qo.post(`/risks/${id}`, body)).status).toBe(303);
    expect(await riskRow('R-002')).toMatchObject({ level: 'high', treatment: 'accept', version: 2 });
    expect((await qo.post(`/risks/${id}`, body)).status).toBe(409);
    // the kind is not the form's to change: a risk stays a risk, which an opportunity's treatment does not fit
    const kind = await qo.post(`/risks/${id}`, { ...body, version: '2', kind: 'opportunity', treatment: 'pursue' });
    expect(kind.status).toBe(422);
    expect(fieldsWithErrors(kind.text)).toEqual(['treatment']);
    expect((await riskRow('R-002'))!.kind).toBe('risk');
    expect((await staff.post(`/risks/${id}`, body)).status).toBe(403);
  });

  it('records a review: the residual level, the effectiveness and the next review; a review is never changed', async () => {
    const id = await idOf('R-001');
    const bad: [Record<string, string>, string][] = [
      [{ reviewed_on: '2026-11-27' }, 'reviewed_on'],
      [{ reviewed_on: '2026-01-09' }, 'reviewed_on'],
      [{ next_review: '2026-11-01' }, 'next_review'],
      [{ effectiveness: 'great' }, 'effectiveness'],
      [{ note: '' }, 'note'],
    ];
    const good = {
      reviewed_on: '2026-11-02',
      likelihood: '2',
      impact: '4',
      effectiveness: 'effective',
      note: 'Chỉ 1 hồ sơ trễ hạn trong quý',
      next_review: '2027-05-02',
    };
    for (const [change, field] of bad) {
      const res = await qo.post(`/risks/${id}/reviews`, { ...good, ...change });
      expect(res.status, field).toBe(422);
      expect(fieldsWithErrors(res.text), field).toEqual([field]);
    }
    expect((await other.post(`/risks/${id}/reviews`, good)).status).toBe(403);
    // the owner (a staff member) reviews their own risk
    expect((await staff.post(`/risks/${id}/reviews`, good)).status).toBe(303);
    expect(await riskRow('R-001')).toMatchObject({
      residual_likelihood: 2,
      residual_impact: 4,
      residual_level: 'medium',
      effectiveness: 'effective',
      last_reviewed_on: '2026-11-02',
      review_due: '2027-05-02',
    });
    const earlier = await qo.post(`/risks/${id}/reviews`, { ...good, reviewed_on: '2026-11-01' });
    expect(fieldsWithErrors(earlier.text)).toEqual(['reviewed_on']);
    expect(await rows(t, 'select reviewed_on, level, reviewer_id from risk_reviews where risk_id = ?', id)).toEqual([
      { reviewed_on: '2026-11-02', level: 'medium', reviewer_id: t.users.staff },
    ]);
    const review = (await one<{ id: number }>(t, 'select id from risk_reviews where risk_id = ?', id))!.id;
    await expect(run(t, "update risk_reviews set note = 'x' where id = ?", review)).rejects.toThrow(/never changed or deleted/);
    await expect(run(t, 'delete from risk_reviews where id = ?', review)).rejects.toThrow(/never changed or deleted/);
    const page = await qo.get(`/risks/${id}`);
    expect(page.text).toContain('data-residual="medium"');
    expect(page.text).toContain('Chỉ 1 hồ sơ trễ hạn trong quý');
  });

  it('gives every entry its levels again when the matrix changes, and back with the default', async () => {
    const cells = Object.fromEntries([1, 2, 3, 4, 5].flatMap((l) => [1, 2, 3, 4, 5].map((i) => [`c${l}${i}`, l >= 4 ? '4' : '1'])));
    expect((await staff.post('/risks/matrix', cells)).status).toBe(403);
    const bad = await qo.post('/risks/matrix', { ...cells, c32: '7' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text)).toEqual(['c32']);
    expect((await qo.post('/risks/matrix', cells)).status).toBe(303);
    expect(await rows(t, 'select code, level, residual_level from risks where organisation_id = 1 order by code')).toEqual([
      { code: 'R-001', level: 'very_high', residual_level: 'low' },
      { code: 'R-002', level: 'low', residual_level: null },
      { code: 'R-003', level: 'low', residual_level: null },
    ]);
    expect((await one<{ m: string }>(t, 'select risk_matrix as m from organisation where id = 1'))!.m).toBe('1111111111111114444444444');
    expect((await qo.post('/risks/matrix', { reset: '1' })).status).toBe(303);
    expect(await rows(t, 'select code, level, residual_level from risks where organisation_id = 1 order by code')).toEqual([
      { code: 'R-001', level: 'very_high', residual_level: 'medium' },
      { code: 'R-002', level: 'high', residual_level: null },
      { code: 'R-003', level: 'medium', residual_level: null },
    ]);
    expect((await one<{ m: string | null }>(t, 'select risk_matrix as m from organisation where id = 1'))!.m).toBe(null);
  });
});

describe("a risk's actions (the actions engine)", () => {
  it('plans an action of the treatment, owned and due like every action, listed with the risk as its source', async () => {
    const id = await idOf('R-001');
    const form = await qo.get(`/risks/${id}/actions/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`action="/risks/${id}/actions"`);
    const action = {
      type: 'risk',
      kind: 'general',
      description: 'Lập danh sách theo dõi hạn xác minh',
      owner_id: String(t.users.staff),
      due_date: '2026-12-15',
    };
    const wrongType = await qo.post(`/risks/${id}/actions`, { ...action, type: 'corrective' });
    expect(wrongType.status).toBe(422);
    expect(fieldsWithErrors(wrongType.text)).toEqual(['type']);
    expect((await other.post(`/risks/${id}/actions`, action)).status).toBe(403);
    const res = await qo.post(`/risks/${id}/actions`, action);
    expect(res.status).toBe(303);
    const a = (await one<Record<string, unknown>>(t, 'select * from nc_actions where risk_id = ?', id))!;
    expect(a).toMatchObject({ nonconformity_id: null, type: 'risk', status: 'planned', owner_id: t.users.staff, due_date: '2026-12-15' });
    const mine = await staff.get('/actions/mine');
    expect(mine.text).toContain(`href="/risks/${id}"`);
    expect(mine.text).toContain('R-001');
    const page = await staff.get(`/actions/${a.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<a class="button-secondary" href="/risks/${id}">`);
    expect((await leader.get('/actions')).text).toContain(`href="/risks/${id}"`);
    // an opportunity's actions are improvements
    const opp = await idOf('R-003');
    expect((await qo.post(`/risks/${opp}/actions`, { ...action, type: 'improvement' })).status).toBe(303);
    expect((await one<{ type: string }>(t, 'select type from nc_actions where risk_id = ?', opp))!.type).toBe('improvement');
  });

  it('lets the action’s owner work it and see the risk; others see neither', async () => {
    const id = await idOf('R-001');
    const a = (await one<{ id: number; version: number }>(t, 'select id, version from nc_actions where risk_id = ?', id))!;
    expect((await other.get(`/actions/${a.id}`)).status).toBe(403);
    expect((await other.get(`/risks/${id}`)).status).toBe(403);
    expect((await staff.get(`/risks/${id}`)).status).toBe(200);
    expect((await staff.post(`/actions/${a.id}/complete`, { version: String(a.version), completion_note: 'Đã lập' })).status).toBe(303);
    expect((await one<{ status: string }>(t, 'select status from nc_actions where id = ?', a.id))!.status).toBe('done');
    expect((await qo.get(`/risks/${id}`)).text).toContain('Đã hoàn thành');
  });

  it('closes an entry only when its actions are finished, with the reason; a closed entry takes nothing more', async () => {
    const opp = await idOf('R-003');
    const version = String((await riskRow('R-003'))!.version);
    const refused = await qo.post(`/risks/${opp}/close`, { version, reason: 'Không còn phù hợp' });
    expect(refused.status).toBe(409);
    const a = (await one<{ id: number; version: number }>(t, 'select id, version from nc_actions where risk_id = ?', opp))!;
    expect((await qo.post(`/actions/${a.id}/cancel`, { version: String(a.version), reason: 'Không thực hiện' })).status).toBe(303);
    expect((await qo.post(`/risks/${opp}/close`, { version, reason: '' })).status).toBe(422);
    expect((await qo.post(`/risks/${opp}/close`, { version, reason: 'Không còn phù hợp' })).status).toBe(303);
    expect(await riskRow('R-003')).toMatchObject({ status: 'closed', closed_on: '2026-11-26', close_reason: 'Không còn phù hợp' });
    expect(
      (
        await qo.post(`/risks/${opp}/reviews`, {
          reviewed_on: '2026-11-26',
          likelihood: '1',
          impact: '1',
          effectiveness: 'effective',
          note: 'x',
          next_review: '2027-01-01',
        })
      ).status,
    ).toBe(409);
    expect((await qo.get(`/risks/${opp}/actions/new`)).status).toBe(404);
    expect((await qo.get('/risks')).text).not.toContain('data-risk-row="R-003"');
    expect((await qo.get('/risks?status=all')).text).toContain('data-risk-row="R-003"');
  });
});

describe('exports, print view and access', () => {
  it('exports the register as CSV and XLSX in code order, closed entries too', async () => {
    const csv = await qo.get('/risks.csv');
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'code,kind,procedure,process,description,cause,consequence,likelihood,impact,level,treatment,treatmentNote,owner,identifiedOn,reviewDue,lastReviewedOn,residualLikelihood,residualImpact,residualLevel,effectiveness,actionsOpen,actionsDone,status,closedOn,closeReason',
    );
    expect(lines[1]).toBe(
      'R-001,Rủi ro,QT-01,,Hồ sơ bị trả kết quả quá hạn do chờ xác minh tại xã,Xác minh kéo dài,Người dân đi lại nhiều lần,4,4,Rất cao,Giảm thiểu,Theo dõi hạn từng bước,Người dùng staff,2026-01-10,2027-05-02,2026-11-02,2,4,Trung bình,Có hiệu lực,0,1,Đang theo dõi,,',
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^R-003,Cơ hội,.*,Đã đóng,2026-11-26,Không còn phù hợp$/);
    const xlsx = await fetchWorkbook(qo, '/risks.xlsx?lang=en');
    expect(xlsx.status).toBe(200);
    const wb = xlsx.wb!;
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(10).value).toBe('Level');
    expect(ws.getRow(2).getCell(1).value).toBe('R-001');
    expect(ws.getRow(2).getCell(10).value).toBe('Very high');
    expect(ws.getRow(2).getCell(8).value).toBe(4);
  });

  it('prints the open entries in the administrative format', async () => {
    const page = await leader.get('/risks/print');
    expect(page.status).toBe(200);
    expect(page.text).toContain('class="doc-header"');
    expect(page.text).toContain('SỔ ĐĂNG KÝ');
    expect(page.text).toContain('(Tình trạng đến ngày 26/11/2026)');
    expect([...page.text.matchAll(/data-risk-row="([^"]+)"/g)].map((m) => m[1])).toEqual(['R-001', 'R-002']);
  });

  it('keeps the register to its readers; the pages speak English on request', async () => {
    for (const path of ['/risks', '/risks.csv', '/risks/print']) expect((await staff.get(path)).status, path).toBe(403);
    expect((await staff.get('/risks/matrix')).status).toBe(403);
    expect((await leader.get('/risks/matrix')).status).toBe(403);
    expect((await leader.get('/risks')).status).toBe(200);
    const en = await qo.get('/risks?lang=en');
    expect(en.text).toContain('Register of risks and opportunities');
    expect(en.text).toContain('Risks without treatment');
  });

  it("keeps each organisation's own: another organisation's entry answers 404", async () => {
    const b = await addOrganisation(t, 'ORGR');
    const bOfficer = await t.signIn(b.usernames.quality_officer);
    const res = await bOfficer.post('/risks', { ...BASE, procedure_id: '', process: 'Một cửa', owner_id: String(b.users.staff) });
    expect(res.status).toBe(303);
    const { id, code } = (await one<{ id: number; code: string }>(t, 'select id, code from risks where organisation_id = ?', b.id))!;
    expect(code).toBe('R-001'); // numbered within the organisation
    for (const path of [`/risks/${id}`, `/risks/${id}/edit`, `/risks/${id}/actions/new`]) expect((await qo.get(path)).status, path).toBe(404);
    expect((await qo.post(`/risks/${id}/close`, { version: '1', reason: 'x' })).status).toBe(404);
    // organisation A's procedure is unknown to B
    const foreign = await bOfficer.post('/risks', { ...BASE, owner_id: String(b.users.staff) });
    expect(fieldsWithErrors(foreign.text)).toEqual(['procedure_id']);
    expect((await qo.get('/risks.csv')).text).not.toContain('Một cửa');
  });
});
