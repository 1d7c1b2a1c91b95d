import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';
import { addOrganisation } from '../support/orgs';
import { procedure } from '../reports/fixtures';

/**
 * The register of feedback and complaints (issue 24): recording (by anyone who works in the office, validated next to
 * each field, nothing half written), the answer's deadline in working days, assigning, answering, closing, cancelling
 * with a reason, raising a complaint as a nonconformity with the link both ways, the roles and CSRF. The test clock
 * says 2026-11-26 (a Thursday).
 */
let t: TestApp;
let qo: SignedIn;
let staff: SignedIn;
let leader: SignedIn;
let pa: number;

const good = (over: Record<string, string> = {}) => ({
  channel: 'counter',
  kind: 'complaint',
  sender_name: 'Nguyễn Thị Lan',
  sender_contact: '0912 345 678',
  content: 'Công chức hướng dẫn hồ sơ không rõ, phải đi lại ba lần.',
  procedure_id: String(pa),
  dossier_code: '',
  unit_id: '',
  received_on: '2026-11-18',
  answer_due_on: '',
  ...over,
});

const idOf = (location: string) => Number(/\/feedback\/(\d+)$/.exec(location)?.[1]);
const feedbackRow = (id: number) =>
  one<Record<string, unknown>>(
    t,
    'select code, status, channel, kind, unit_id, procedure_id, dossier_id, received_on, answer_due_on, assignee_id, answer, answered_on, answered_by, outcome, nonconformity_id, cancel_reason, created_by from feedback where id = ?',
    id,
  );

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
  leader = await t.signIn('leader');
  pa = await procedure(t, 'P-A', { unitId: t.units.main });
  // Friday 20 November 2026 is a day off of the organisation's calendar
  const at = '2026-11-01T00:00:00.000Z';
  await run(
    t,
    "insert into holidays (organisation_id, date, kind, name, cancelled, version, created_at, updated_at) values (1, '2026-11-20', 'holiday', 'Nghỉ bù', 0, 1, ?, ?)",
    at,
    at,
  );
  await run(t, `insert into dossier_imports (file_name, sha256, via, imported_at, organisation_id) values ('a.csv', ?, 'cli', ?, 1)`, 'a'.repeat(64), at);
  const imp = (await one<{ id: number }>(t, 'select id from dossier_imports where organisation_id = 1'))!.id;
  await run(
    t,
    `insert into dossiers (code, procedure_id, received_on, due_on, due_computed, channel, created_import_id, updated_import_id, created_at, updated_at, organisation_id)
     values ('HS-001', ?, '2026-11-10', '2026-11-30', 0, 'direct', ?, ?, ?, ?, 1)`,
    pa,
    imp,
    imp,
    at,
    at,
  );
});
afterAll(async () => t?.close());

describe('recording feedback', () => {
  it('says what is wrong next to each field, answers no 500 and writes nothing', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ ...good(), channel: '', kind: '', content: ' ', received_on: '' }, ['channel', 'content', 'kind', 'received_on']],
      [good({ channel: 'fax' }), ['channel']],
      [good({ received_on: '2026-11-27' }), ['received_on']], // after today
      [good({ received_on: '31/10/2026' }), ['received_on']],
      [good({ answer_due_on: '2026-11-17' }), ['answer_due_on']], // before it was received
      [good({ procedure_id: '999999' }), ['procedure_id']],
      [good({ unit_id: 'abc' }), ['unit_id']],
      [good({ content: 'x'.repeat(4001) }), ['content']],
    ];
    for (const [body, fields] of cases) {
      const res = await qo.post('/feedback', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(fieldsWithErrors(res.text).sort(), JSON.stringify(body)).toEqual(fields);
    }
    const unknown = await qo.post('/feedback', { ...good(), status: 'closed' });
    expect(unknown.status).toBe(422);
    expect(await rows(t, 'select id from feedback')).toEqual([]);
    expect(await rows(t, "select id from audit_log where entity = 'feedback'")).toEqual([]);
  });

  it('numbers records per year and computes the deadline in working days, across a weekend and a day off', async () => {
    const res = await staff.post('/feedback', good());
    expect(res.status).toBe(303);
    const id = idOf(res.headers.location);
    // received Wed 18/11; 10 working days: 19, (20 off), 23, 24, 25, 26, 27, 30/11, 1, 2, 3/12
    expect(await feedbackRow(id)).toMatchObject({
      code: 'PA-2026-001',
      status: 'open',
      unit_id: t.units.main, // the procedure's unit
      answer_due_on: '2026-12-03',
      created_by: t.users.staff,
      assignee_id: null,
    });
    const entry = (await one<{ action: string; new_values: string }>(
      t,
      "select action, new_values from audit_log where entity = 'feedback' and entity_id = ?",
      String(id),
    ))!;
    expect(entry.action).toBe('create');
    expect(JSON.parse(entry.new_values)).toMatchObject({ code: 'PA-2026-001', answer_due_on: '2026-12-03' });
    // the staff member who recorded it sees it
    const page = await staff.get(`/feedback/${id}?lang=vi`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('PA-2026-001');
    expect(page.text).toContain('03/12/2026');
    // a dossier code that is one of the office's dossiers links to it; a deadline given is kept
    const second = await qo.post('/feedback', good({ dossier_code: 'HS-001', answer_due_on: '2026-11-30', received_on: '2025-12-30' }));
    const row = (await feedbackRow(idOf(second.headers.location)))!;
    expect(row).toMatchObject({ code: 'PA-2025-001', answer_due_on: '2026-11-30', dossier_id: expect.any(Number) });
    expect((await qo.get(`/feedback/${idOf(second.headers.location)}`)).text).toContain(`href="/dossiers/${row.dossier_id as number}"`);
  });

  it('takes the answer days from the settings (quality officer), validated', async () => {
    const bad = await qo.post('/feedback/settings', { feedback_answer_days: '0' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text)).toEqual(['feedback_answer_days']);
    expect((await leader.post('/feedback/settings', { feedback_answer_days: '3' })).status).toBe(403);
    expect((await qo.post('/feedback/settings', { feedback_answer_days: '3' })).status).toBe(303);
    // received Fri 13/11 + 3 working days: Mon 16, Tue 17, Wed 18
    const res = await qo.post('/feedback', good({ received_on: '2026-11-13', kind: 'feedback' }));
    expect((await feedbackRow(idOf(res.headers.location)))!.answer_due_on).toBe('2026-11-18');
    // received Thu 19/11 + 3: (Fri 20 off, weekend) Mon 23, Tue 24, Wed 25
    const res2 = await qo.post('/feedback', good({ received_on: '2026-11-19', kind: 'recommendation' }));
    expect((await feedbackRow(idOf(res2.headers.location)))!.answer_due_on).toBe('2026-11-25');
    await qo.post('/feedback/settings', { feedback_answer_days: '10' });
  });
});

describe('handling a record', () => {
  let id: number;
  beforeAll(async () => {
    id = idOf((await staff.post('/feedback', good({ content: 'Thời gian chờ tại quầy quá lâu.', kind: 'feedback' }))).headers.location);
  });

  it('lets the quality officer assign it; the assignee sees and answers it, then the officer closes it', async () => {
    expect((await qo.post(`/feedback/${id}/assign`, { assignee_id: '999999' })).status).toBe(422);
    expect((await qo.post(`/feedback/${id}/assign`, { assignee_id: String(t.users.leader) })).status).toBe(303);
    expect((await feedbackRow(id))!.assignee_id).toBe(t.users.leader);
    // the leader's page offers the answer form; the answer is validated
    const page = await leader.get(`/feedback/${id}`);
    expect(page.text).toContain(`action="/feedback/${id}/answer"`);
    expect(page.text).not.toContain(`action="/feedback/${id}/close"`);
    const empty = await leader.post(`/feedback/${id}/answer`, { answer: '', answered_on: '' });
    expect(empty.status).toBe(422);
    expect(fieldsWithErrors(empty.text).sort()).toEqual(['answer', 'answered_on']);
    const early = await leader.post(`/feedback/${id}/answer`, { answer: 'Trả lời', answered_on: '2026-11-17' }); // before received
    expect(fieldsWithErrors(early.text)).toEqual(['answered_on']);
    expect((await leader.post(`/feedback/${id}/answer`, { answer: 'Đã bố trí thêm quầy.', answered_on: '2026-11-27' })).status).toBe(422);
    expect((await feedbackRow(id))!.status).toBe('open');
    // the admin manages it as the quality officer does
    const admin = await t.signIn('admin');
    expect((await admin.get(`/feedback/${id}`)).text).toContain(`action="/feedback/${id}/assign"`);
    expect((await leader.post(`/feedback/${id}/answer`, { answer: 'Đã bố trí thêm quầy tiếp nhận vào giờ cao điểm.', answered_on: '2026-11-24' })).status).toBe(
      303,
    );
    expect(await feedbackRow(id)).toMatchObject({ status: 'answered', answered_on: '2026-11-24', answered_by: t.users.leader });
    expect((await leader.post(`/feedback/${id}/close`)).status).toBe(403);
    expect((await qo.post(`/feedback/${id}/close`, { status: 'open' })).status).toBe(422); // no unknown field
    expect((await qo.post(`/feedback/${id}/close`)).status).toBe(303);
    expect(await feedbackRow(id)).toMatchObject({ status: 'closed', outcome: 'closed' });
    const actions = await rows<{ action: string }>(t, "select action from audit_log where entity = 'feedback' and entity_id = ? order by id", String(id));
    expect(actions.map((a) => a.action)).toEqual(['create', 'assign', 'answer', 'close']);
    // the audit trail names the record by its code, and the person assigned by name
    const trail = await (await t.signIn('admin')).get('/admin/audit-log?lang=vi');
    expect(trail.text).toMatch(/giao xử lý phản ánh PA-2026-00\d/);
    // closed: no more steps, no change
    const closed = await qo.get(`/feedback/${id}?lang=vi`);
    expect(closed.text).toContain('Đã kết thúc');
    expect(closed.text).not.toContain(`action="/feedback/${id}/answer"`);
    expect((await qo.post(`/feedback/${id}/cancel`, { cancel_reason: 'x' })).status).toBe(409);
    expect((await qo.post(`/feedback/${id}`, good())).status).toBe(409);
  });

  it('corrects a record before closing, with the old values in the audit log', async () => {
    const fresh = idOf((await staff.post('/feedback', good({ content: 'Sai chính tả', kind: 'feedback' }))).headers.location);
    const form = await qo.get(`/feedback/${fresh}/edit`);
    expect(form.text).toContain('Sai chính tả');
    const bad = await qo.post(`/feedback/${fresh}`, good({ content: '' }));
    expect(fieldsWithErrors(bad.text)).toEqual(['content']);
    expect((await qo.post(`/feedback/${fresh}`, good({ content: 'Đúng chính tả', kind: 'recommendation' }))).status).toBe(303);
    expect(await feedbackRow(fresh)).toMatchObject({ kind: 'recommendation', code: 'PA-2026-005' });
    const entry = (await one<{ old_values: string; new_values: string }>(
      t,
      "select old_values, new_values from audit_log where entity = 'feedback' and entity_id = ? and action = 'update'",
      String(fresh),
    ))!;
    expect(JSON.parse(entry.old_values)).toMatchObject({ content: 'Sai chính tả', kind: 'feedback' });
    expect(JSON.parse(entry.new_values)).toMatchObject({ content: 'Đúng chính tả', kind: 'recommendation' });
    expect((await staff.post(`/feedback/${fresh}`, good())).status).toBe(403);
  });

  it('cancels only with a reason, and keeps the record', async () => {
    const fresh = idOf((await qo.post('/feedback', good({ content: 'Ghi trùng' }))).headers.location);
    const empty = await qo.post(`/feedback/${fresh}/cancel`, { cancel_reason: '  ' });
    expect(empty.status).toBe(422);
    expect(fieldsWithErrors(empty.text)).toEqual(['cancel_reason']);
    expect((await feedbackRow(fresh))!.status).toBe('open');
    expect((await qo.post(`/feedback/${fresh}/cancel`, { cancel_reason: 'Ghi trùng với PA-2026-001' })).status).toBe(303);
    expect(await feedbackRow(fresh)).toMatchObject({ status: 'cancelled', cancel_reason: 'Ghi trùng với PA-2026-001' });
    expect((await qo.get(`/feedback/${fresh}?lang=vi`)).text).toContain('Đã hủy: Ghi trùng với PA-2026-001');
    await expect(run(t, 'delete from feedback where id = ?', fresh)).rejects.toThrow(/never deleted/);
    await expect(run(t, "update feedback set content = 'x' where id = ?", fresh)).rejects.toThrow(/does not change/);
  });
});

describe('raising a complaint as a nonconformity', () => {
  it('creates the NC (source complaint) with the link both ways, in one go', async () => {
    const id = idOf((await staff.post('/feedback', good({ content: 'Hồ sơ bị thất lạc tại bộ phận chuyên môn.' }))).headers.location);
    const { code } = (await feedbackRow(id)) as { code: string };
    expect((await staff.post(`/feedback/${id}/raise`)).status).toBe(403);
    expect((await qo.post(`/feedback/${id}/raise`)).status).toBe(303);
    const f = (await feedbackRow(id))!;
    expect(f).toMatchObject({ outcome: 'nonconformity', status: 'open' });
    const nc = (await one<{ id: number; code: string; source: string; procedure_id: number; description: string; title: string; detected_on: string }>(
      t,
      'select id, code, source, procedure_id, description, title, detected_on from nonconformities where id = ?',
      f.nonconformity_id,
    ))!;
    expect(nc).toMatchObject({ source: 'complaint', procedure_id: pa, detected_on: '2026-11-26' });
    expect(nc.title).toContain(code);
    expect(nc.description).toContain(code);
    expect(nc.description).toContain('Hồ sơ bị thất lạc tại bộ phận chuyên môn.');
    const feedbackPage = await qo.get(`/feedback/${id}?lang=vi`);
    expect(feedbackPage.text).toContain(`href="/nonconformities/${nc.id}"`);
    expect(feedbackPage.text).toContain(nc.code);
    const ncPage = await qo.get(`/nonconformities/${nc.id}?lang=vi`);
    expect(ncPage.status).toBe(200);
    expect(ncPage.text).toMatch(new RegExp(`<dt>Nguồn</dt><dd><a href="/feedback/${id}" data-origin>phản ánh ${code}</a>`));
    const actions = await rows<{ action: string }>(t, "select action from audit_log where entity = 'feedback' and entity_id = ? order by id", String(id));
    expect(actions.map((a) => a.action)).toEqual(['create', 'raise_nonconformity']);
    expect(await one(t, "select id from audit_log where entity = 'nonconformity' and entity_id = ? and action = 'create'", String(nc.id))).toBeDefined();
    // raised once; never cancelled then
    expect((await qo.post(`/feedback/${id}/raise`)).status).toBe(409);
    expect((await qo.post(`/feedback/${id}/cancel`, { cancel_reason: 'x' })).status).toBe(409);
    // answered and closed, it keeps its outcome
    await qo.post(`/feedback/${id}/answer`, { answer: 'Đã tìm lại hồ sơ và xin lỗi công dân.', answered_on: '2026-11-26' });
    expect((await qo.post(`/feedback/${id}/close`)).status).toBe(303);
    expect(await feedbackRow(id)).toMatchObject({ status: 'closed', outcome: 'nonconformity' });
  });
});

describe('the roles, the home page and each organisation', () => {
  it('lets staff record and see their own; the register is for managers and the inspector', async () => {
    expect((await staff.get('/feedback')).status).toBe(403);
    expect((await staff.get('/feedback.csv?from=2026-11-01&to=2026-11-26')).status).toBe(403);
    expect((await staff.get('/feedback/new')).status).toBe(200);
    expect((await leader.get('/feedback')).status).toBe(200);
    await run(
      t,
      `insert into users (username, full_name, role, unit_id, email, position_title, password_hash, password_changed_at, active, version, created_at, updated_at, organisation_id)
       select 'inspector', 'Người kiểm tra', 'inspector', null, null, null, password_hash, password_changed_at, 1, 1, created_at, updated_at, 1 from users where id = ?`,
      t.users.staff,
    );
    const inspector = await t.signIn('inspector');
    expect((await inspector.get('/feedback')).status).toBe(200);
    expect((await inspector.post('/feedback', good())).status).toBe(403);
    // staff can not assign on recording
    const assigned = await staff.post('/feedback', good({ assignee_id: String(t.users.staff) }));
    expect(assigned.status).toBe(422);
    // a record assigned to someone else and recorded by the officer: not visible to staff
    const id = idOf((await qo.post('/feedback', good({ assignee_id: String(t.users.leader) }))).headers.location);
    expect((await staff.get(`/feedback/${id}`)).status).toBe(404);
    expect((await staff.post(`/feedback/${id}/answer`, { answer: 'x', answered_on: '2026-11-26' })).status).toBe(404);
    // without the CSRF token: refused, nothing written
    const before = (await rows(t, 'select id from feedback')).length;
    const noToken = await qo.agent.post('/feedback').type('form').send(good());
    expect(noToken.status).toBe(403);
    expect((await rows(t, 'select id from feedback')).length).toBe(before);
  });

  it('tells the quality officer how many answers are overdue, and staff what is assigned to them', async () => {
    // open and due before 26/11: the ones received 13/11 (due 18/11) and 19/11 (due 25/11) with 3 answer days; the others
    // are answered, closed, cancelled, or due later (PA-2025-001 on 30/11, the rest in December)
    const overdue = await rows<{ code: string }>(t, "select code from feedback where status = 'open' and answer_due_on < '2026-11-26' order by code");
    expect(overdue.map((r) => r.code)).toEqual(['PA-2026-002', 'PA-2026-003']);
    const home = await qo.get('/?lang=vi');
    expect(home.text).toContain('data-feedback-overdue="2"');
    expect(home.text).toContain('href="/feedback?overdue=1#list"');
    const list = await qo.get('/feedback?overdue=1');
    const listed = [...list.text.matchAll(/data-feedback="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(listed).toEqual(['PA-2026-002', 'PA-2026-003']);
    const id = (await one<{ id: number }>(t, "select id from feedback where code = 'PA-2026-002'"))!.id;
    await qo.post(`/feedback/${id}/assign`, { assignee_id: String(t.users.staff) });
    const staffHome = await staff.get('/');
    expect(staffHome.text).toContain('data-feedback-assigned="1"');
    const mine = await staff.get('/feedback/mine');
    expect([...mine.text.matchAll(/data-feedback="([^"]+)"/g)].map((m) => m[1])).toEqual(['PA-2026-002']);
    expect((await staff.post(`/feedback/${id}/answer`, { answer: 'Đã trả lời qua điện thoại.', answered_on: '2026-11-25' })).status).toBe(303);
    expect((await qo.get('/')).text).toContain('data-feedback-overdue="1"');
  });

  it("keeps each organisation's own: another's records answer 404", async () => {
    const b = await addOrganisation(t, 'ORGB');
    const bOfficer = await t.signIn(b.usernames.quality_officer);
    const res = await bOfficer.post('/feedback', { channel: 'phone', kind: 'feedback', content: 'Phản ánh của B', received_on: '2026-11-20' });
    expect(res.status).toBe(303);
    const id = idOf(res.headers.location);
    expect((await one<{ code: string; organisation_id: number }>(t, 'select code, organisation_id from feedback where id = ?', id))!).toEqual({
      code: 'PA-2026-001',
      organisation_id: b.id,
    });
    expect((await qo.get(`/feedback/${id}`)).status).toBe(404);
    expect((await qo.post(`/feedback/${id}/cancel`, { cancel_reason: 'x' })).status).toBe(404);
    expect((await qo.get('/feedback?from=2026-11-01&to=2026-11-26')).text).not.toContain('Phản ánh của B');
  });
});
