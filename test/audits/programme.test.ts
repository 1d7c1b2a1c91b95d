import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAudit, startAudit } from '../../src/features/audits/audits.service';
import { createTestApp, rows, run, TEST_PASSWORD, type TestApp } from '../support/app';
import { auditLog, fixture, idFromLocation, type Fixture } from './support';

/** The yearly programme: planned audits, approval by a leader with an e-signature, the coverage matrix. */
let t: TestApp;
let f: Fixture;
beforeEach(async () => {
  t = await createTestApp();
  f = await fixture(t);
});
afterEach(async () => t.close());

const item = (f: Fixture, extra: Record<string, string | string[]> = {}) => ({
  title: 'Đánh giá quy trình A',
  month: '3',
  audit_type: 'internal',
  procedure_ids: [String(f.p1)],
  clauses: ['8.5', '7.5'],
  ...extra,
});

/** An audit of the procedures, conducted (first day of fieldwork) on `start`; external, so any procedures go together. */
async function conducted(procedureIds: number[], start: string): Promise<number> {
  const { id } = await createAudit(
    t.ctx,
    {
      type: 'surveillance',
      title: `Đánh giá ${start}`,
      objectives: '',
      criteria_other: '',
      external_body: null,
      auditee_unit_id: null,
      lead_auditor_id: f.auditor,
      planned_start: start,
      planned_end: start,
      actual_start: null,
      actual_end: null,
      scope: { procedureIds, unitIds: [], clauses: [], memberIds: [] },
    },
    {},
    f.auditor,
  );
  await startAudit(t.ctx, id, start, 1, f.auditor);
  return id;
}

describe('the audit programme', () => {
  it('is drawn up by a quality officer, approved by a leader with an electronic signature, then fixed', async () => {
    const qo = await t.signIn('quality_officer');
    expect((await qo.post('/audits/programmes', { year: '2026', objectives: 'Đánh giá mọi quy trình' })).status).toBe(303);
    expect((await qo.post('/audits/programmes/2026', { objectives: 'Đánh giá mọi quy trình ít nhất một lần', version: '1' })).status).toBe(303);
    expect((await qo.post('/audits/programmes/2026', { objectives: 'Cũ', version: '1' })).status).toBe(409);
    const dup = await qo.post('/audits/programmes', { year: '2026' });
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('Năm này đã có chương trình đánh giá.');
    const added = await qo.post('/audits/programmes/2026/items', item(f));
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe('/audits/programmes/2026');
    expect((await qo.post('/audits/programmes/2026/items', item(f, { month: '13' }))).status).toBe(422);
    expect((await qo.post('/audits/programmes/2026/items', item(f, { procedure_ids: [], clauses: [] }))).status).toBe(422);
    const [stored] = await rows<{ id: number; month: number; procedure_ids: string; clauses: string }>(
      t,
      'select id, month, procedure_ids, clauses from audit_programme_items',
    );
    expect(stored).toMatchObject({ month: 3, procedure_ids: `[${f.p1}]`, clauses: '["8.5","7.5"]' });

    // A quality officer cannot approve; a leader needs the right password.
    expect((await qo.post('/audits/programmes/2026/approve', { password: TEST_PASSWORD, version: '2' })).status).toBe(403);
    const leader = await t.signIn('leader');
    const wrong = await leader.post('/audits/programmes/2026/approve', { password: 'not my password', version: '2' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Mật khẩu không đúng; chưa ký.');
    expect(await rows(t, 'select count(*) as n from e_signatures')).toEqual([{ n: 0 }]);
    expect((await leader.post('/audits/programmes/2026/approve', { password: TEST_PASSWORD, version: '2' })).status).toBe(303);
    expect(await rows(t, 'select status, approved_by, objectives from audit_programmes')).toEqual([
      { status: 'approved', approved_by: t.users.leader, objectives: 'Đánh giá mọi quy trình ít nhất một lần' },
    ]);
    expect(await rows(t, 'select entity, meaning, user_id from e_signatures')).toEqual([
      { entity: 'audit_programme', meaning: 'approved', user_id: t.users.leader },
    ]);
    const page = await leader.get('/audits/programmes/2026');
    expect(page.text).toContain('Đã phê duyệt');
    expect(page.text).toContain('Người dùng leader phê duyệt lúc 26/11/2026 09:00.');

    // Approved: fixed until reopened with a reason, which asks for a new approval.
    expect((await qo.post(`/audits/programmes/2026/items/${stored.id}`, { ...item(f, { title: 'Đổi' }), version: '1' })).status).toBe(409);
    expect((await qo.post('/audits/programmes/2026/items', item(f))).status).toBe(409);
    expect((await qo.post('/audits/programmes/2026', { objectives: 'Sau phê duyệt', version: '3' })).status).toBe(409);
    expect((await qo.post('/audits/programmes/2026/reopen', { reason: '', version: '3' })).status).toBe(422);
    expect((await qo.post('/audits/programmes/2026/reopen', { reason: 'Bổ sung quy trình mới ban hành', version: '3' })).status).toBe(303);
    expect(await rows(t, 'select status, revision, approved_by from audit_programmes')).toEqual([{ status: 'draft', revision: 1, approved_by: null }]);
    expect((await qo.post(`/audits/programmes/2026/items/${stored.id}`, { ...item(f, { title: 'Đổi tên' }), version: '1' })).status).toBe(303);
    expect((await qo.post(`/audits/programmes/2026/items/${stored.id}/cancel`, { reason: 'Gộp với đợt khác', version: '2' })).status).toBe(303);
    expect(await rows(t, 'select title, status, cancel_reason from audit_programme_items')).toEqual([
      { title: 'Đổi tên', status: 'cancelled', cancel_reason: 'Gộp với đợt khác' },
    ]);
    // Nothing planned any more: nothing to approve.
    const empty = await leader.post('/audits/programmes/2026/approve', { password: TEST_PASSWORD, version: '4' });
    expect(empty.status).toBe(422);

    const programmeId = (await rows<{ id: number }>(t, 'select id from audit_programmes'))[0].id;
    expect((await auditLog(t, 'audit_programme', programmeId)).map((e) => e.action)).toEqual(['create', 'update', 'sign:approved', 'approve', 'reopen']);
    expect((await auditLog(t, 'audit_programme_item', stored.id)).map((e) => e.action)).toEqual(['create', 'update', 'cancel']);
  });

  it('plans an audit from an approved programme item, prefilled, and links it', async () => {
    const qo = await t.signIn('auditor');
    await qo.post('/audits/programmes', { year: '2026' });
    await qo.post('/audits/programmes/2026/items', item(f, { month: '12' }));
    const itemId = (await rows<{ id: number }>(t, 'select id from audit_programme_items'))[0].id;
    const body = {
      type: 'internal',
      programme_item_id: String(itemId),
      title: 'Theo chương trình',
      procedure_ids: [String(f.p1)],
      lead_auditor_id: String(f.auditor),
      planned_start: '2026-12-01',
      planned_end: '2026-12-01',
    };
    const early = await qo.post('/audits', body);
    expect(early.status).toBe(422);
    expect(early.text).toContain('Chương trình đánh giá chưa được phê duyệt.');
    const leader = await t.signIn('leader');
    await leader.post('/audits/programmes/2026/approve', { password: TEST_PASSWORD, version: '1' });
    const form = await qo.get(`/audits/new?item=${itemId}`);
    expect(form.text).toContain('value="2026-12-01"');
    expect(form.text).toContain('Theo chương trình đánh giá: “Đánh giá quy trình A”, tháng 12/2026.');
    const created = await qo.post('/audits', body);
    expect(created.status).toBe(303);
    expect(await rows(t, 'select programme_item_id from audits')).toEqual([{ programme_item_id: itemId }]);
    const page = await qo.get('/audits/programmes/2026');
    expect(page.text).toContain(`<a href="/audits/${idFromLocation(created.headers.location)}"><code>ĐGNB-2026-01</code></a>`);
  });
});

describe('the coverage matrix', () => {
  it('flags every active procedure not audited in the last 12 months and every applicable clause not covered', async () => {
    await conducted([f.p1], '2026-03-10'); // within the 12 months ending 26/11/2026
    await conducted([f.p2], '2025-11-26'); // exactly one year before: outside (the window starts 27/11/2025)
    const cancelled = await conducted([f.p3], '2026-05-05');
    await run(t, "update audits set status = 'cancelled', cancel_reason = 'x' where id = ?", cancelled);
    const qo = await t.signIn('quality_officer');
    await qo.post('/audits/programmes', { year: '2026' });
    await qo.post('/audits/programmes/2026/items', item(f, { procedure_ids: [String(f.p1), String(f.p2)], clauses: ['4', '5.1.1', '7.5', '8.5.1'] }));
    await qo.post('/audits/programmes/2026/items', item(f, { title: 'Xem xét của lãnh đạo', month: '11', procedure_ids: [], clauses: ['9.3', '10'] }));
    const leader = await t.signIn('leader');
    const res = await leader.get('/audits/programmes/2026/coverage');
    expect(res.status).toBe(200);
    const warned = [...res.text.matchAll(/<li data-procedure="([^"]+)">/g)].map((m) => m[1]);
    expect(warned).toEqual(['QT-A-02', 'QT-B-01', 'QT-HT-01']);
    expect(res.text).toContain('3 quy trình chưa được đánh giá trong 12 tháng qua:');
    expect(res.text).toContain('<code>QT-A-02</code> Quy trình QT-A-02 — lần đánh giá gần nhất 26/11/2025 · dự kiến tháng 3');
    expect(res.text).toContain('<code>QT-B-01</code> Quy trình QT-B-01 — chưa từng được đánh giá · chưa có trong chương trình');
    const uncovered = [...res.text.matchAll(/<li data-clause="([^"]+)">/g)].map((m) => m[1]);
    // 4.x all covered by "4"; 5.1 by 5.1.1; 7.5, 8.5, 9.3, 10.x covered; 8.3 is not applicable (org settings).
    expect(uncovered).toEqual(['5.2', '5.3', '6.1', '6.2', '6.3', '7.1', '7.2', '7.3', '7.4', '8.1', '8.2', '8.4', '8.6', '8.7', '9.1', '9.2']);
    expect(res.text).toContain('8.3 — Không áp dụng');
    const months = await leader.get('/audits/programmes/2026/coverage?view=months');
    expect(months.status).toBe(200);
    expect(months.text).toContain('Toàn hệ thống (không theo quy trình)');
  });

  it('shows no procedure warning once every procedure was audited recently', async () => {
    await conducted([f.p1, f.p2, f.p3, f.p4], '2025-11-27');
    const qo = await t.signIn('quality_officer');
    await qo.post('/audits/programmes', { year: '2026' });
    const res = await qo.get('/audits/programmes/2026/coverage');
    expect(res.text).toContain('Mọi quy trình đều đã được đánh giá trong 12 tháng qua.');
    expect(res.text).not.toContain('data-procedure=');
  });
});
