import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { addAuthoredRevision, addUser, auditForm, auditLog, editForm, fixture, idFromLocation, type Fixture } from './support';

let t: TestApp;
let f: Fixture;
beforeEach(async () => {
  t = await createTestApp();
  f = await fixture(t);
});
afterEach(async () => t.close());

describe('access to /audits', () => {
  it('answers 403 to staff on every audit route, even for an audit that exists', async () => {
    const qo = await t.signIn('auditor');
    const created = await qo.post('/audits', auditForm(f));
    expect(created.status).toBe(303);
    const id = idFromLocation(created.headers.location);
    const staff = await t.signIn('staff');
    const policies = t.app.locals.policies.filter((p) => p.path.startsWith('/audits'));
    expect(policies.length).toBeGreaterThan(30);
    for (const p of policies) {
      const path = p.path
        .replace(':id', String(id))
        .replace(':year', '2026')
        .replace(/:(\w+)/g, '1');
      const res = p.method === 'GET' ? await staff.get(path) : await staff.post(path, { title: 'x', version: '1', reason: 'x' });
      expect(res.status, `${p.method} ${path}`).toBe(403);
    }
    expect(await rows(t, 'select version, status from audits where id = ?', id)).toEqual([{ version: 1, status: 'planned' }]);
  });

  it('lets a leader see audits but not edit them', async () => {
    const qo = await t.signIn('auditor');
    const id = idFromLocation((await qo.post('/audits', auditForm(f))).headers.location);
    const leader = await t.signIn('leader');
    expect((await leader.get('/audits')).status).toBe(200);
    expect((await leader.get(`/audits/${id}`)).status).toBe(200);
    expect((await leader.get(`/audits/${id}/edit`)).status).toBe(403);
    expect((await leader.post(`/audits/${id}/cancel`, { reason: 'x', version: '1' })).status).toBe(403);
  });
});

describe('creating audits', () => {
  it('creates an internal audit with its scope, team and audit-log entry, then shows it', async () => {
    const qo = await t.signIn('auditor');
    const res = await qo.post(
      '/audits',
      auditForm(f, { member_ids: [String(f.leader2)], unit_ids: [String(t.units.main)], auditee_unit_id: String(t.units.main) }),
    );
    expect(res.status).toBe(303);
    const id = idFromLocation(res.headers.location);
    expect(await rows(t, 'select code, type, status, lead_auditor_id, planned_start from audits')).toEqual([
      { code: 'ĐGNB-2026-01', type: 'internal', status: 'planned', lead_auditor_id: f.auditor, planned_start: '2026-12-01' },
    ]);
    expect(await rows(t, 'select procedure_id from audit_procedures order by procedure_id')).toEqual([{ procedure_id: f.p1 }, { procedure_id: f.p2 }]);
    expect(await rows(t, 'select clause from audit_clauses order by clause')).toEqual([{ clause: '7.5.3' }, { clause: '8.5.1' }]);
    expect(await rows(t, 'select user_id from audit_team_members')).toEqual([{ user_id: f.leader2 }]);
    expect(await auditLog(t, 'audit', id)).toEqual([{ action: 'create', user_id: f.auditor }]);
    const logged = JSON.parse((await rows<{ new_values: string }>(t, "select new_values from audit_log where entity = 'audit'"))[0].new_values);
    expect(logged).toMatchObject({ code: 'ĐGNB-2026-01', procedure_ids: [f.p1, f.p2], member_ids: [f.leader2] });
    const page = await qo.get(`/audits/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('ĐGNB-2026-01');
    expect(page.text).toContain('QT-A-01');
    expect(page.text).toContain('Chuyên gia leader2');
  });

  it('numbers codes gap-free per year and series: internal ĐGNB, external ĐGBN', async () => {
    const qo = await t.signIn('auditor');
    const post = (extra: Record<string, string | string[]>) => qo.post('/audits', auditForm(f, extra));
    expect((await post({})).status).toBe(303);
    // A refused form takes no number.
    expect((await post({ lead_auditor_id: String(t.users.quality_officer) })).status).toBe(422);
    expect((await post({ type: 'certification', external_body: 'QUACERT', lead_auditor_id: String(t.users.quality_officer) })).status).toBe(303);
    expect((await post({})).status).toBe(303);
    expect((await post({ planned_start: '2027-01-05', planned_end: '2027-01-06' })).status).toBe(303);
    expect((await post({ type: 'surveillance' })).status).toBe(303);
    expect(await rows(t, 'select code from audits order by id')).toEqual([
      { code: 'ĐGNB-2026-01' },
      { code: 'ĐGBN-2026-01' },
      { code: 'ĐGNB-2026-02' },
      { code: 'ĐGNB-2027-01' },
      { code: 'ĐGBN-2026-02' },
    ]);
  });

  it('refuses bad input with 422 next to the field, and writes nothing', async () => {
    const qo = await t.signIn('auditor');
    const cases: [Record<string, string | string[]>, string][] = [
      [{ planned_end: '2026-11-30' }, 'Ngày kết thúc phải sau ngày bắt đầu.'],
      [{ planned_start: '2026-02-30' }, 'Ngày không hợp lệ'],
      [{ procedure_ids: [], clauses: [] }, 'Chọn ít nhất một quy trình hoặc một điều khoản.'],
      [{ clauses: ['8.9'] }, 'Có số điều khoản không thuộc ISO 9001:2015.'],
      [{ lead_auditor_id: String(t.users.staff) }, 'Trưởng đoàn phải là người dùng có thể ký báo cáo'],
      [{ procedure_ids: ['999'] }, 'Lựa chọn không hợp lệ.'],
      [{ surprise: 'x' }, 'Biểu mẫu có trường không được phép'],
      [{ title: 'x'.repeat(301) }, 'Tối đa 300 ký tự.'],
    ];
    for (const [extra, message] of cases) {
      const res = await qo.post('/audits', auditForm(f, extra));
      expect(res.status, JSON.stringify(extra)).toBe(422);
      expect(res.text, JSON.stringify(extra)).toContain(message);
    }
    expect(await rows(t, 'select count(*) as n from audits')).toEqual([{ n: 0 }]);
    expect(await rows(t, "select count(*) as n from audit_log where entity = 'audit'")).toEqual([{ n: 0 }]);
  });
});

describe('independence of auditors (9.2.2 c)', () => {
  it('refuses a lead auditor whose own unit owns a procedure in scope, and says why next to the field', async () => {
    const qo = await t.signIn('quality_officer');
    const res = await qo.post('/audits', auditForm(f, { lead_auditor_id: String(t.users.quality_officer) }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Người dùng quality_officer không độc lập: đơn vị LĐTBXH của người này chủ trì quy trình QT-A-01');
    expect(res.text).toMatch(/id="e-lead_auditor_id">[^<]*không độc lập/);
    expect(await rows(t, 'select count(*) as n from audits')).toEqual([{ n: 0 }]);
  });

  it('refuses a team member from the owning unit', async () => {
    const qo = await t.signIn('auditor');
    const res = await qo.post('/audits', auditForm(f, { member_ids: [String(f.leader2), String(t.users.leader)] }));
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="e-member_ids">[^<]*Người dùng leader không độc lập/);
    expect(await rows(t, 'select count(*) as n from audits')).toEqual([{ n: 0 }]);
  });

  it('refuses an auditor who authored a document revision of a procedure in scope, whatever their unit', async () => {
    await addAuthoredRevision(t, f.p4, f.auditor, 'QT-HT-01/TL');
    const qo = await t.signIn('auditor');
    const refused = await qo.post('/audits', auditForm(f, { procedure_ids: [String(f.p1), String(f.p4)] }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Chuyên gia auditor không độc lập: người này đã soạn thảo tài liệu QT-HT-01/TL (lần 1) của quy trình QT-HT-01');
    expect(await rows(t, 'select count(*) as n from audits')).toEqual([{ n: 0 }]);
    // The same auditor may audit procedures they did not write and their unit does not own.
    expect((await qo.post('/audits', auditForm(f, { procedure_ids: [String(f.p1)] }))).status).toBe(303);
  });

  it('accepts an auditor from another unit, and lets the same user audit procedures of other units', async () => {
    const qo = await t.signIn('quality_officer');
    expect((await qo.post('/audits', auditForm(f, { lead_auditor_id: String(t.users.quality_officer), procedure_ids: [String(f.p3)] }))).status).toBe(303);
  });

  it('does not apply to external audits, whose auditors are the certification body', async () => {
    const qo = await t.signIn('quality_officer');
    const res = await qo.post('/audits', auditForm(f, { type: 'certification', external_body: 'QUACERT', lead_auditor_id: String(t.users.quality_officer) }));
    expect(res.status).toBe(303);
  });

  it('checks again when the scope changes, and the edit form lists who is not independent and why', async () => {
    const qo = await t.signIn('auditor');
    const id = idFromLocation(
      (await qo.post('/audits', auditForm(f, { procedure_ids: [String(f.p3)], lead_auditor_id: String(t.users.quality_officer) }))).headers.location,
    );
    const edit = await qo.get(`/audits/${id}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.text).toContain('Chuyên gia auditor</strong> — đơn vị VP chủ trì quy trình QT-B-01');
    const res = await qo.post(`/audits/${id}`, editForm(f, 1, { procedure_ids: [String(f.p1)], lead_auditor_id: String(t.users.quality_officer) }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('đơn vị LĐTBXH của người này chủ trì quy trình QT-A-01');
    expect(await rows(t, 'select procedure_id from audit_procedures where audit_id = ?', id)).toEqual([{ procedure_id: f.p3 }]);
  });
});

describe('the life of an audit', () => {
  it('edits, starts and cancels with audit-log entries; refuses stale versions and changes after cancelling', async () => {
    const qo = await t.signIn('auditor');
    const id = idFromLocation((await qo.post('/audits', auditForm(f))).headers.location);
    const edited = await qo.post(`/audits/${id}`, editForm(f, 1, { title: 'Đánh giá sửa lại', clauses: ['9.1.2'] }));
    expect(edited.status).toBe(303);
    expect(await rows(t, 'select title, version from audits')).toEqual([{ title: 'Đánh giá sửa lại', version: 2 }]);
    expect((await qo.post(`/audits/${id}`, editForm(f, 1))).status).toBe(409);

    expect((await qo.post(`/audits/${id}/start`, { actual_start: '2026-11-27', version: '2' })).status).toBe(422);
    const started = await qo.post(`/audits/${id}/start`, { actual_start: '2026-11-25', version: '2' });
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe(`/audits/${id}/checklist`);
    expect(await rows(t, 'select status, actual_start from audits')).toEqual([{ status: 'in_progress', actual_start: '2026-11-25' }]);
    expect((await qo.post(`/audits/${id}/start`, { actual_start: '2026-11-25', version: '3' })).status).toBe(409);

    expect((await qo.post(`/audits/${id}/cancel`, { reason: '', version: '3' })).status).toBe(422);
    expect((await qo.post(`/audits/${id}/cancel`, { reason: 'Trùng lịch tiếp dân', version: '3' })).status).toBe(303);
    expect(await rows(t, 'select status, cancel_reason from audits')).toEqual([{ status: 'cancelled', cancel_reason: 'Trùng lịch tiếp dân' }]);
    expect((await qo.post(`/audits/${id}`, editForm(f, 4))).status).toBe(409);
    expect((await qo.post(`/audits/${id}/cancel`, { reason: 'lần nữa', version: '4' })).status).toBe(409);

    expect((await auditLog(t, 'audit', id)).map((e) => e.action)).toEqual(['create', 'update', 'start', 'cancel']);
    expect(await rows(t, "select reason from audit_log where entity = 'audit' and action = 'cancel'")).toEqual([{ reason: 'Trùng lịch tiếp dân' }]);
    const page = await qo.get(`/audits/${id}`);
    expect(page.text).toContain('Cuộc đánh giá đã bị hủy. Lý do: Trùng lịch tiếp dân');
  });

  it('lists audits with filters and shows an empty state that says what to do', async () => {
    const qo = await t.signIn('auditor');
    const empty = await qo.get('/audits');
    expect(empty.text).toContain('Chưa có cuộc đánh giá nào. Hãy lập chương trình đánh giá năm');
    await qo.post('/audits', auditForm(f));
    await qo.post('/audits', auditForm(f, { type: 'certification', planned_start: '2027-02-01', planned_end: '2027-02-01' }));
    const all = await qo.get('/audits');
    expect(all.text).toContain('ĐGNB-2026-01');
    expect(all.text).toContain('ĐGBN-2027-01');
    const filtered = await qo.get('/audits?year=2027');
    expect(filtered.text).not.toContain('ĐGNB-2026-01');
    expect(filtered.text).toContain('ĐGBN-2027-01');
    const byType = await qo.get('/audits?type=internal&status=planned');
    expect(byType.text).toContain('ĐGNB-2026-01');
    expect(byType.text).not.toContain('ĐGBN-2027-01');
  });

  it('keeps an inactive lead auditor out of the picker and refuses one', async () => {
    const gone = await addUser(t, 'gone', 'quality_officer', t.units.other);
    await run(t, 'update users set active = 0 where id = ?', gone);
    const qo = await t.signIn('auditor');
    const form = await qo.get('/audits/new');
    expect(form.text).not.toContain('Chuyên gia gone');
    // Clauses the organisation declared not applicable are marked as such.
    expect(form.text).toContain('8.3 — Thiết kế và phát triển sản phẩm và dịch vụ (Không áp dụng)');
    expect((await qo.post('/audits', auditForm(f, { lead_auditor_id: String(gone) }))).status).toBe(422);
  });
});
