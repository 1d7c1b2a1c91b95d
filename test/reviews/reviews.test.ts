import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWorkbook } from '../support/xlsx';
import { computeAnnualFigures } from '../../src/features/reports/reports.annual.figures';
import { computePack } from '../../src/features/reviews/reviews.pack';
import { findReview } from '../../src/features/reviews/reviews.queries';
import { countAuditsHeld, countNonconformitiesOverall } from '../../src/features/reports/reports.annual.queries';
import { createTestApp, one, rows, run, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';
import { addOrganisation } from '../support/orgs';

/**
 * Management review (clause 9.3): preparing a review, its decisions becoming actions of the actions engine, the
 * chair's signature freezing the pack, the database refusing any change of a signed review, the next review's pack
 * following the previous decisions' actions (known answers by hand), the printed minutes, the exports, who may do
 * what, and each organisation's own. The test clock says 2026-11-26.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let leader2: SignedIn;
let staff: SignedIn;
let other: SignedIn;
let inspector: SignedIn;

const review = (code: string) => one<Record<string, unknown>>(t, 'select * from management_reviews where code = ? and organisation_id = 1', code);
const idOf = async (code: string) => Number((await review(code))!.id);

const copyUser = (username: string, name: string, role: string) =>
  run(
    t,
    `insert into users (username, full_name, role, unit_id, email, position_title, password_hash, password_changed_at, active, version, created_at, updated_at, organisation_id)
     select ?, ?, ?, unit_id, null, null, password_hash, password_changed_at, 1, 1, created_at, updated_at, 1 from users where id = ?`,
    username,
    name,
    role,
    t.users.staff,
  );

let BASE: Record<string, string | string[]>;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  staff = await t.signIn('staff');
  await copyUser('leader2', 'Phó Trưởng phòng', 'leader');
  await copyUser('staff2', 'Cán bộ khác', 'staff');
  await copyUser('inspector', 'Người kiểm tra', 'inspector');
  leader2 = await t.signIn('leader2');
  other = await t.signIn('staff2');
  inspector = await t.signIn('inspector');
  BASE = {
    period_from: '2026-01-01',
    period_to: '2026-06-30',
    held_on: '2026-07-10',
    place: 'Phòng họp tầng 2',
    number_text: '',
    chair_id: String(t.users.leader),
    secretary_id: String(t.users.quality_officer),
    attendee_ids: [String(t.users.staff), String(t.users.quality_officer)],
    guests: 'Ông Nguyễn Văn Bình — khách mời',
    conclusions: '',
    assessment_context: 'Không có thay đổi lớn',
    assessment_resources: 'Đủ nguồn lực',
  };
});
afterAll(async () => t?.close());

describe('preparing a review', () => {
  it('refuses bad input next to each field and writes nothing', async () => {
    const cases: [Record<string, string | string[]>, string[]][] = [
      [{ place: '' }, ['place']],
      [{ period_to: '2025-12-31' }, ['period_to']],
      [{ held_on: '2025-12-01' }, ['held_on']],
      [{ period_from: '2026-02-30' }, ['period_from']],
      [{ chair_id: String(t.users.staff) }, ['chair_id']],
      [{ secretary_id: '999999' }, ['secretary_id']],
      [{ attendee_ids: ['999999'] }, ['attendee_ids']],
      [{ attendee_ids: ['x'] }, ['attendee_ids']],
    ];
    for (const [change, errors] of cases) {
      const res = await qo.post('/reviews', { ...BASE, ...change });
      expect(res.status, JSON.stringify(change)).toBe(422);
      expect(fieldsWithErrors(res.text), JSON.stringify(change)).toEqual(errors);
    }
    expect((await qo.post('/reviews', { ...BASE, chair_id: String(t.users.staff) })).text).toContain('Chủ trì phải là một lãnh đạo của cơ quan.');
    expect((await qo.post('/reviews', { ...BASE, extra: 'x' })).status).toBe(422);
    expect(await rows(t, 'select id from management_reviews')).toEqual([]);
  });

  it('creates a draft numbered by the year held, with its audit entry; staff and the inspector may not', async () => {
    expect((await staff.post('/reviews', BASE)).status).toBe(403);
    expect((await inspector.post('/reviews', BASE)).status).toBe(403);
    const res = await qo.post('/reviews', BASE);
    expect(res.status).toBe(303);
    const r = (await review('XXLĐ-2026-01'))!;
    expect(res.headers.location).toBe(`/reviews/${r.id}`);
    expect(r).toMatchObject({ status: 'draft', period_from: '2026-01-01', held_on: '2026-07-10', chair_id: t.users.leader, pack_json: null });
    expect(JSON.parse(String(r.attendee_ids))).toEqual([t.users.quality_officer, t.users.staff].sort((a, b) => a - b));
    expect(JSON.parse(String(r.assessments))).toMatchObject({ context: 'Không có thay đổi lớn', resources: 'Đủ nguồn lực', audits: '' });
    const entry = (await one<{ action: string }>(t, "select action from audit_log where entity = 'management_review' and entity_id = ?", String(r.id)))!;
    expect(entry.action).toBe('create');
    // a leader prepares one too
    expect((await leader.post('/reviews', { ...BASE, held_on: '2026-11-20', period_from: '2026-07-01', period_to: '2026-10-31' })).status).toBe(303);
    expect((await review('XXLĐ-2026-02'))!.status).toBe('draft');
  });

  it("shows the draft with its live pack: each input, the surveys' and the feedback register's figures for satisfaction, the assessments", async () => {
    const id = await idOf('XXLĐ-2026-01');
    const page = await leader.get(`/reviews/${id}`);
    expect(page.status).toBe(200);
    for (const key of [
      'previous_actions',
      'context',
      'satisfaction',
      'objectives',
      'processes',
      'nonconformities',
      'monitoring',
      'audits',
      'resources',
      'risks',
      'improvement',
    ])
      expect(page.text, key).toContain(`data-input="${key}"`);
    // the surveys' figures of the period (issue 24): none answered in this test's data
    expect(page.text).toContain('Không có phiếu khảo sát trong kỳ.');
    expect(page.text).toContain('data-figures="feedback">Phản ánh, kiến nghị: tiếp nhận 0; đã trả lời 0');
    expect(page.text).toContain('data-as-of="2026-06-30"');
    expect(page.text).toContain('Không có thay đổi lớn');
    expect(page.text).toContain('Không có hành động nào từ các lần xem xét trước.');
    expect((await staff.get(`/reviews/${id}`)).status).toBe(403);
    expect((await inspector.get(`/reviews/${id}`)).status).toBe(200);
    const en = await leader.get(`/reviews/${id}?lang=en`);
    expect(en.text).toContain('Status of actions from previous management reviews');
    expect(en.text).toContain('Opportunities for improvement');
    await leader.get('/reviews?lang=vi');
  });

  it('corrects a draft at the version read', async () => {
    const id = await idOf('XXLĐ-2026-01');
    const body = { ...BASE, place: 'Hội trường', version: '1' };
    expect((await qo.post(`/reviews/${id}`, body)).status).toBe(303);
    expect((await review('XXLĐ-2026-01'))!.place).toBe('Hội trường');
    expect((await qo.post(`/reviews/${id}`, body)).status).toBe(409);
    expect((await staff.post(`/reviews/${id}`, body)).status).toBe(403);
  });
});

describe('decisions become actions', () => {
  it('adds a decision with its action (owner, due date) in one transaction; bad input writes nothing', async () => {
    const id = await idOf('XXLĐ-2026-01');
    const good = { kind: 'improvement', description: 'Số hóa hồ sơ năm 2025', owner_id: String(t.users.staff), due_date: '2026-09-30' };
    const bad: [Record<string, string>, string][] = [
      [{ kind: 'wish' }, 'kind'],
      [{ description: '' }, 'description'],
      [{ owner_id: '999999' }, 'owner_id'],
      [{ due_date: '2026-07-01' }, 'due_date'],
    ];
    for (const [change, field] of bad) {
      const res = await qo.post(`/reviews/${id}/decisions`, { ...good, ...change });
      expect(res.status, field).toBe(422);
      expect(fieldsWithErrors(res.text), field).toEqual([field]);
    }
    expect(await rows(t, 'select id from management_review_decisions')).toEqual([]);
    expect(await rows(t, 'select id from nc_actions')).toEqual([]);
    expect((await staff.post(`/reviews/${id}/decisions`, good)).status).toBe(403);
    expect((await qo.post(`/reviews/${id}/decisions`, good)).status).toBe(303);
    expect(
      (await leader.post(`/reviews/${id}/decisions`, { ...good, kind: 'resource', description: 'Mua máy quét', owner_id: String(t.users.leader) })).status,
    ).toBe(303);
    const d = await rows<{ id: number; seq: number; kind: string }>(
      t,
      'select id, seq, kind from management_review_decisions where review_id = ? order by seq',
      id,
    );
    expect(d.map((x) => [x.seq, x.kind])).toEqual([
      [1, 'improvement'],
      [2, 'resource'],
    ]);
    const a = (await one<Record<string, unknown>>(t, 'select * from nc_actions where review_decision_id = ?', d[0].id))!;
    expect(a).toMatchObject({ nonconformity_id: null, risk_id: null, type: 'improvement', status: 'planned', owner_id: t.users.staff, due_date: '2026-09-30' });
    // the action has exactly one source (the check over three columns)
    await expect(run(t, 'update nc_actions set risk_id = 1 where id = ?', a.id)).rejects.toThrow();
  });

  it('lets the owner see and work the action from their own pages; other staff see nothing', async () => {
    const id = await idOf('XXLĐ-2026-01');
    const a = (await one<{ id: number; version: number }>(
      t,
      'select a.id, a.version from nc_actions a join management_review_decisions d on d.id = a.review_decision_id where d.seq = 1 and d.review_id = ?',
      id,
    ))!;
    const mine = await staff.get('/actions/mine');
    expect(mine.text).toContain(`href="/reviews/${id}"`);
    expect(mine.text).toContain('XXLĐ-2026-01');
    const page = await staff.get(`/actions/${a.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Xem xét của lãnh đạo');
    expect((await other.get(`/actions/${a.id}`)).status).toBe(403);
    expect((await other.post(`/actions/${a.id}/start`, { version: String(a.version) })).status).toBe(403);
    // planning (editing) is for managers, not the owner
    expect((await staff.get(`/actions/${a.id}/edit`)).status).toBe(403);
    expect((await leader.get(`/actions/${a.id}`)).status).toBe(200);
    expect((await staff.post(`/actions/${a.id}/start`, { version: String(a.version) })).status).toBe(303);
    expect((await one<{ status: string }>(t, 'select status from nc_actions where id = ?', a.id))!.status).toBe('in_progress');
    expect((await qo.get('/actions')).text).toContain(`href="/reviews/${id}"`);
  });
});

describe('signing', () => {
  it('is for the chair alone, with the password, after the meeting and with conclusions', async () => {
    const id = await idOf('XXLĐ-2026-01');
    expect((await leader2.post(`/reviews/${id}/sign`, { password: TEST_PASSWORD, version: '2' })).status).toBe(403);
    expect((await qo.post(`/reviews/${id}/sign`, { password: TEST_PASSWORD, version: '2' })).status).toBe(403);
    const wrong = await leader.post(`/reviews/${id}/sign`, { password: 'nope', version: '2' });
    expect(wrong.status).toBe(422);
    expect(fieldsWithErrors(wrong.text)).toEqual(['password']);
    const noConclusions = await leader.post(`/reviews/${id}/sign`, { password: TEST_PASSWORD, version: '2' });
    expect(noConclusions.status).toBe(422);
    expect(noConclusions.text).toContain('Cần ghi kết luận của cuộc xem xét trước khi ký.');
    const future = await idOf('XXLĐ-2026-02');
    expect(
      (
        await leader.post(`/reviews/${future}`, {
          ...BASE,
          held_on: '2026-12-20',
          period_from: '2026-07-01',
          period_to: '2026-10-31',
          conclusions: 'Phù hợp',
          version: '1',
        })
      ).status,
    ).toBe(303);
    const early = await leader.post(`/reviews/${future}/sign`, { password: TEST_PASSWORD, version: '2' });
    expect(early.text).toContain('Chưa đến ngày họp');
    expect((await review('XXLĐ-2026-01'))!.status).toBe('draft');
    expect(await rows(t, "select id from e_signatures where entity = 'management_review'")).toEqual([]);
  });

  it('freezes the pack, letterhead and people, signs the content; then nothing of the review changes', async () => {
    const id = await idOf('XXLĐ-2026-01');
    const conclusions = 'HTQLCL phù hợp, thỏa đáng và có hiệu lực.';
    expect((await qo.post(`/reviews/${id}`, { ...BASE, conclusions, place: 'Hội trường', version: '2' })).status).toBe(303);
    expect((await leader.post(`/reviews/${id}/sign`, { password: TEST_PASSWORD, version: '3' })).status).toBe(303);
    const r = (await review('XXLĐ-2026-01'))!;
    expect(r).toMatchObject({ status: 'signed', as_of: '2026-06-30', signed_by: t.users.leader, conclusions });
    expect(JSON.parse(String(r.pack_json))).toMatchObject({ period: { from: '2026-01-01', to: '2026-06-30' }, asOf: '2026-06-30' });
    expect(JSON.parse(String(r.letterhead_json)).people.chair.name).toBe(
      (await one<{ n: string }>(t, 'select full_name as n from users where id = ?', t.users.leader))!.n,
    );
    const sig = (await one<{ content_sha256: string; meaning: string }>(
      t,
      "select content_sha256, meaning from e_signatures where entity = 'management_review' and entity_id = ?",
      id,
    ))!;
    expect(sig.content_sha256).toBe(r.content_sha256);
    expect(await rows(t, 'select locked from management_review_decisions where review_id = ?', id)).toEqual([{ locked: 1 }, { locked: 1 }]);
    // the app refuses (409) …
    expect((await qo.post(`/reviews/${id}`, { ...BASE, version: '4' })).status).toBe(409);
    expect(
      (await qo.post(`/reviews/${id}/decisions`, { kind: 'improvement', description: 'x', owner_id: String(t.users.staff), due_date: '2026-12-31' })).status,
    ).toBe(409);
    expect((await leader.post(`/reviews/${id}/sign`, { password: TEST_PASSWORD, version: '4' })).status).toBe(409);
    expect((await qo.get(`/reviews/${id}/edit`)).status).toBe(404);
    // … and so does the database
    await expect(run(t, "update management_reviews set conclusions = 'x' where id = ?", id)).rejects.toThrow(/signed management review does not change/);
    await expect(run(t, "update management_reviews set pack_json = '{}' where id = ?", id)).rejects.toThrow(/signed management review/);
    await expect(run(t, 'delete from management_reviews where id = ?', id)).rejects.toThrow(/never deleted/);
    await expect(run(t, "update management_review_decisions set description = 'x' where review_id = ?", id)).rejects.toThrow(/never changed or deleted/);
    await expect(run(t, 'delete from management_review_decisions where review_id = ?', id)).rejects.toThrow(/never changed or deleted/);
    await expect(
      run(
        t,
        "insert into management_review_decisions (organisation_id, review_id, seq, kind, description, created_at) values (1, ?, 9, 'resource', 'x', 'now')",
        id,
      ),
    ).rejects.toThrow(/takes no new decision/);
    // the decisions' actions live on: their owner completes them
    const a = (await one<{ id: number; version: number }>(
      t,
      'select a.id, a.version from nc_actions a join management_review_decisions d on d.id = a.review_decision_id where d.seq = 1 and d.review_id = ?',
      id,
    ))!;
    expect((await staff.post(`/actions/${a.id}/complete`, { version: String(a.version), completion_note: 'Đã số hóa' })).status).toBe(303);
    const page = await leader.get(`/reviews/${id}`);
    expect(page.text).toContain('data-status="signed"');
    expect(page.text).not.toContain(`action="/reviews/${id}/sign"`);
    expect(page.text).not.toContain(`action="/reviews/${id}/decisions"`);
  });
});

describe("the next review's pack follows the previous decisions (known answers)", () => {
  it('shows each earlier decision’s action with its status as of the period’s end, overdue ones flagged', async () => {
    const first = await idOf('XXLĐ-2026-01');
    // history of the first review's actions, written by hand: planned 10/07 (the meeting)
    const [a1, a2] = (
      await rows<{ id: number }>(
        t,
        'select a.id from nc_actions a join management_review_decisions d on d.id = a.review_decision_id where d.review_id = ? order by d.seq',
        first,
      )
    ).map((r) => r.id);
    await run(t, "update nc_actions set created_at = '2026-07-10T03:00:00Z', started_on = '2026-07-20', completed_on = '2026-08-15' where id = ?", a1);
    // a2: due 30/09, moved on 05/11 to 31/12 (so 30/09 was still in force at 31/10): open and overdue at 31/10
    await run(t, "update nc_actions set created_at = '2026-07-10T03:00:00Z', due_date = '2026-12-31' where id = ?", a2);
    await run(
      t,
      "insert into nc_action_due_history (action_id, due_before, due_after, changed_on, changed_at, changed_by, organisation_id) values (?, '2026-09-30', '2026-12-31', '2026-11-05', '2026-11-05T03:00:00Z', ?, 1)",
      a2,
      t.users.leader,
    );
    const second = await idOf('XXLĐ-2026-02'); // period 01/07 – 31/10, held 20/12
    const r = (await findReview(t.ctx.db, second))!;
    const pack = await computePack(t.ctx, r, '2026-11-26', 'Asia/Ho_Chi_Minh');
    expect(pack.asOf).toBe('2026-10-31');
    expect(pack.previousActions).toMatchObject({ total: 2, done: 1, open: 1, overdue: 1, cancelled: 0 });
    expect(pack.previousActions.rows.map((x) => [x.id, x.status, x.dueDate, x.overdue, x.reviewCode])).toEqual([
      [a1, 'done', '2026-09-30', false, 'XXLĐ-2026-01'],
      [a2, 'planned', '2026-09-30', true, 'XXLĐ-2026-01'],
    ]);
    // the other inputs are the reports' own figures for the period
    expect(pack.nonconformities).toMatchObject(await countNonconformitiesOverall(t.ctx.db, '2026-07-01', '2026-10-31'));
    expect(pack.audits).toEqual(await countAuditsHeld(t.ctx.db, '2026-07-01', '2026-10-31'));
    expect(pack.monitoring.onTimeRate).toBeNull();
    const page = await qo.get(`/reviews/${second}`);
    expect(page.text).toContain(`data-prev-action="${a2}" data-status="planned" data-overdue="1"`);
    expect(page.text).toContain(`data-prev-action="${a1}" data-status="done"`);
    expect(page.text).toContain(`href="/actions/${a2}"`);
    // the inspector reads the minutes; the actions' pages are not theirs, so no link leads there
    const read = await inspector.get(`/reviews/${second}`);
    expect(read.status).toBe(200);
    expect(read.text).toContain(`data-prev-action="${a2}"`);
    expect(read.text).not.toContain('href="/actions/');
    expect(page.text).toContain('2 hành động từ các lần xem xét trước: 1 đã hoàn thành, 1 chưa hoàn thành (trong đó 1 quá hạn), 0 đã hủy.');
  });

  it('gives the annual report its section: the reviews signed in the year, their decisions and what became of them', async () => {
    // signed in 2026: XXLĐ-2026-01 only (the second is a draft); its actions at 26/11: a1 done 15/08, a2 open, due 31/12
    const f = await computeAnnualFigures(t.ctx.db, 2026, '2026-11-26', 'Asia/Ho_Chi_Minh');
    expect(f.reviews).toEqual({
      held: 1,
      decisions: 2,
      actionsDone: 1,
      actionsOpen: 1,
      actionsOverdue: 0,
      items: [{ code: 'XXLĐ-2026-01', heldOn: '2026-07-10', decisions: 2 }],
    });
    const page = await qo.get('/reports/annual/2026');
    expect(page.text).toContain(
      'Tổ chức 1 cuộc họp xem xét của lãnh đạo với 2 quyết định; hành động thực hiện quyết định: 1 đã hoàn thành, 1 đang thực hiện (0 quá hạn).',
    );
    expect(page.text).toContain('Biên bản XXLĐ-2026-01 ngày 10/07/2026: 2 quyết định');
  });
});

describe('print, exports and each organisation’s own', () => {
  it('prints the minutes in the administrative format, signed by the chair', async () => {
    const id = await idOf('XXLĐ-2026-01');
    const page = await inspector.get(`/reviews/${id}/print`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('class="doc-header"');
    expect(page.text).toContain('BIÊN BẢN HỌP');
    expect(page.text).toMatch(/\/BB/);
    expect(page.text).toContain('CHỦ TRÌ');
    expect(page.text).toContain('THƯ KÝ');
    expect(page.text).toContain('(Kỳ xem xét từ ngày 01/01/2026 đến ngày 30/06/2026)');
    expect(page.text).toContain('ngày 10 tháng 7 năm 2026');
    expect(page.text).not.toContain('data-draft');
    expect((await leader.get(`/reviews/${await idOf('XXLĐ-2026-02')}/print`)).text).toContain('data-draft');
    expect((await staff.get(`/reviews/${id}/print`)).status).toBe(403);
  });

  it('exports the decisions as CSV and XLSX', async () => {
    const csv = await qo.get('/reviews.csv');
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('review,heldOn,reviewStatus,no,kind,description,owner,dueDate,status,completedOn,overdue');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^XXLĐ-2026-01,2026-07-10,Đã ký,1,Cơ hội cải tiến,Số hóa hồ sơ năm 2025,.*,2026-09-30,Đã hoàn thành,2026-08-15,$/);
    expect(lines[2]).toMatch(/^XXLĐ-2026-01,2026-07-10,Đã ký,2,Nhu cầu nguồn lực,Mua máy quét,.*,2026-12-31,.*,,$/);
    const xlsx = await fetchWorkbook(qo, '/reviews.xlsx?lang=en');
    expect(xlsx.status).toBe(200);
    const wb = xlsx.wb!;
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(5).value).toBe('Kind of decision');
    expect(ws.getRow(2).getCell(5).value).toBe('Opportunity for improvement');
    await qo.get('/reviews?lang=vi');
    expect((await staff.get('/reviews.csv')).status).toBe(403);
  });

  it("keeps each organisation's own: another organisation's review answers 404", async () => {
    const b = await addOrganisation(t, 'ORGV');
    const bOfficer = await t.signIn(b.usernames.quality_officer);
    const res = await bOfficer.post('/reviews', {
      ...BASE,
      chair_id: String(b.users.leader),
      secretary_id: String(b.users.quality_officer),
      attendee_ids: [String(b.users.staff)],
    });
    expect(res.status).toBe(303);
    const { id, code } = (await one<{ id: number; code: string }>(t, 'select id, code from management_reviews where organisation_id = ?', b.id))!;
    expect(code).toBe('XXLĐ-2026-01'); // numbered within the organisation
    for (const path of [`/reviews/${id}`, `/reviews/${id}/print`, `/reviews/${id}/edit`]) expect((await qo.get(path)).status, path).toBe(404);
    expect(
      (await qo.post(`/reviews/${id}/decisions`, { kind: 'improvement', description: 'x', owner_id: String(t.users.staff), due_date: '2026-12-31' })).status,
    ).toBe(404);
    // organisation A's people are unknown to B
    const foreign = await bOfficer.post('/reviews', { ...BASE, secretary_id: String(b.users.quality_officer), attendee_ids: [] });
    expect(fieldsWithErrors(foreign.text)).toEqual(['chair_id']);
    expect((await qo.get('/reviews')).text).not.toContain(`/reviews/${id}"`);
    // B's pack does not see A's previous decisions
    const bReview = (await findReview(b.ctx.db, id))!;
    expect((await computePack(b.ctx, bReview, '2026-11-26', 'Asia/Ho_Chi_Minh')).previousActions.total).toBe(0);
  });
});
