import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTraining } from '../../src/features/competence/competence.service';
import type { TrainingInput } from '../../src/features/competence/competence.service';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';
import { addUser, auditForm, fixture, idFromLocation, type Fixture } from '../audits/support';

/**
 * The auditors' matrix and competence at planning (ISO 9001 clauses 7.2 and 9.2.2). The test clock says 2026-11-26;
 * the audit is planned to start on 2026-12-01 over P1 and P2 (owned by unit "main") and clauses 8.5.1 and 7.5.3.
 * People, by hand:
 * - auditor (unit other): internal-auditor course valid to 2028-01-09, granted 7 and 8 → proposed;
 * - expert3 (unit other): course valid to 2027-01-10 (within 60 days: "expiring"), granted 7 and 8.5 → proposed;
 * - leader2 (unit other): course expired on 2026-06-30, granted 8 only → not proposed; warned twice as a member;
 * - expert5 (unit other): no course, no grant → not proposed; warned twice;
 * - the quality officer (unit main): valid course, granted 4–10, but not independent of P1/P2 → not proposed;
 * - expert4 (unit other): course held 2026-12-05, after the start, granted 4–10 → not proposed.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let f: Fixture;
let expert3: number;
let expert4: number;
let expert5: number;

const course = (userId: number, heldOn: string, expiresOn: string | null): TrainingInput => ({
  user_id: userId,
  kind: 'internal_auditor',
  title: 'Đào tạo chuyên gia đánh giá nội bộ',
  held_on: heldOn,
  issuer: 'Trung tâm Năng suất Việt Nam',
  hours: 24,
  certificate_no: '',
  expires_on: expiresOn,
});
const grant = (userId: number, clause: string, on = '2026-01-05') =>
  qo.post('/competence/auditors/grants', { user_id: String(userId), clause, granted_on: on });

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  f = await fixture(t);
  expert3 = await addUser(t, 'expert3', 'staff', t.units.other);
  expert4 = await addUser(t, 'expert4', 'staff', t.units.other);
  expert5 = await addUser(t, 'expert5', 'staff', t.units.other);
  const by = t.users.quality_officer;
  await createTraining(t.ctx, course(f.auditor, '2025-01-10', '2028-01-09'), by);
  await createTraining(t.ctx, course(expert3, '2024-01-11', '2027-01-10'), by);
  await createTraining(t.ctx, course(f.leader2, '2023-07-01', '2026-06-30'), by);
  await createTraining(t.ctx, course(t.users.quality_officer, '2025-05-05', null), by);
  await createTraining(t.ctx, course(expert4, '2026-12-05', null), by);
});
afterAll(async () => t?.close());

describe('the auditors matrix', () => {
  it('grants clauses with the audit log, refuses a second standing grant with 409 and a bad form with 422', async () => {
    for (const c of ['7', '8']) expect((await grant(f.auditor, c)).status).toBe(303);
    for (const c of ['7', '8.5']) expect((await grant(expert3, c)).status).toBe(303);
    expect((await grant(f.leader2, '8')).status).toBe(303);
    for (const c of ['4', '5', '6', '7', '8', '9', '10']) {
      expect((await grant(t.users.quality_officer, c)).status).toBe(303);
      expect((await grant(expert4, c)).status).toBe(303);
    }
    const again = await grant(f.auditor, '8');
    expect(again.status).toBe(409);
    expect(again.text).toContain('đã được phân công điều khoản 8');
    const bad = await qo.post('/competence/auditors/grants', { user_id: '', clause: '11.2', granted_on: '2026-12-31' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text).sort()).toEqual(['clause', 'user_id']);
    const future = await grant(f.auditor, '9', '2026-12-31');
    expect(future.status).toBe(422);
    expect(fieldsWithErrors(future.text)).toEqual(['granted_on']);
    expect((await leader.post('/competence/auditors/grants', { user_id: String(f.auditor), clause: '9', granted_on: '2026-01-05' })).status).toBe(403);
    const standing = await rows<{ clause: string }>(
      t,
      'select clause from auditor_competences where user_id = ? and revoked_on is null order by clause',
      f.auditor,
    );
    expect(standing.map((r) => r.clause)).toEqual(['7', '8']);
    expect((await one<{ n: number }>(t, "select count(*) as n from audit_log where entity = 'auditor_competence' and action = 'grant'"))!.n).toBe(19);
  });

  it('revokes with a reason (kept), after which the clause may be granted again', async () => {
    const g = (await one<{ id: number }>(t, "select id from auditor_competences where user_id = ? and clause = '10' and revoked_on is null", expert4))!;
    const noReason = await qo.post(`/competence/grants/${g.id}/revoke`, { revoke_reason: '' });
    expect(noReason.status).toBe(422);
    expect((await qo.post(`/competence/grants/${g.id}/revoke`, { revoke_reason: 'Chuyển công tác' })).status).toBe(303);
    expect(await one(t, 'select revoked_on, revoked_by, revoke_reason from auditor_competences where id = ?', g.id)).toEqual({
      revoked_on: '2026-11-26',
      revoked_by: t.users.quality_officer,
      revoke_reason: 'Chuyển công tác',
    });
    expect((await qo.post(`/competence/grants/${g.id}/revoke`, { revoke_reason: 'lần nữa' })).status).toBe(409);
    expect((await grant(expert4, '10')).status).toBe(303);
    expect((await qo.post('/competence/grants/999999/revoke', { revoke_reason: 'x' })).status).toBe(404);
  });

  it('shows each person, the clauses 4–10 granted and the qualification today', async () => {
    const page = await leader.get('/competence/auditors');
    expect(page.status).toBe(200);
    const row = (userId: number) => new RegExp(`<tr data-person="${userId}">([\\s\\S]*?)</tr>`).exec(page.text)?.[1] ?? '';
    const granted = (userId: number) => [...row(userId).matchAll(/data-clause="(\d+)" data-granted="1"/g)].map((m) => m[1]);
    expect(granted(f.auditor)).toEqual(['7', '8']);
    expect(granted(expert3)).toEqual(['7']);
    expect(row(expert3)).toContain('8.5');
    expect(row(expert3)).toMatch(/data-status="expiring">Sắp hết hạn \(ngày 10\/01\/2027\)/);
    expect(row(f.leader2)).toMatch(/data-status="expired">Đã hết hạn ngày 30\/06\/2026/);
    expect(row(f.auditor)).toMatch(/data-status="valid">/);
    expect(row(expert5)).toBe(''); // no course, no grant: not in the matrix
  });
});

describe('planning an audit', () => {
  it('proposes exactly the qualified, granted and independent people', async () => {
    const form = await qo.get('/audits/new');
    expect(form.status).toBe(200);
    // the new form starts today (2026-11-26) with no scope: every clause 4–10 is asked for
    const proposedOf = (html: string) => [...html.matchAll(/data-proposed="(\d+)"/g)].map((m) => Number(m[1]));
    expect(proposedOf(form.text)).toEqual([t.users.quality_officer]);
    // with the scope submitted (a 422 for a missing title re-renders the form with it)
    const res = await qo.post('/audits', auditForm(f, { title: '' }));
    expect(res.status).toBe(422);
    expect(proposedOf(res.text)).toEqual([f.auditor, expert3]);
    expect(res.text).toContain('Chuyên gia expert3');
    expect(res.text).toContain('chứng chỉ đến 10/01/2027');
  });

  it('warns, without refusing, on the form and on the audit page', async () => {
    const team = { member_ids: [String(f.leader2), String(expert5)] };
    const warningsOf = (html: string) => [...html.matchAll(/<li data-warning="(\w+)" data-user="(\d+)">([^<]*)<\/li>/g)].map((m) => [m[1], Number(m[2]), m[3]]);
    const expected = [
      ['expired', f.leader2, 'Chuyên gia leader2 (thành viên): chứng chỉ chuyên gia đánh giá đã hết hạn ngày 30/06/2026, trước ngày bắt đầu đánh giá.'],
      ['missing_clauses', f.leader2, 'Chuyên gia leader2 (thành viên) chưa được phân công đánh giá điều khoản 7.5.3.'],
      ['no_qualification', expert5, 'Chuyên gia expert5 (thành viên) chưa có chứng chỉ chuyên gia đánh giá nội bộ.'],
      ['missing_clauses', expert5, 'Chuyên gia expert5 (thành viên) chưa được phân công đánh giá điều khoản 7.5.3, 8.5.1.'],
    ];
    const again = await qo.post('/audits', auditForm(f, { ...team, title: '' }));
    expect(again.status).toBe(422);
    expect(warningsOf(again.text)).toEqual(expected);
    const created = await qo.post('/audits', auditForm(f, team));
    expect(created.status).toBe(303);
    const id = idFromLocation(created.headers.location);
    const page = await leader.get(`/audits/${id}`);
    expect(page.status).toBe(200);
    expect(warningsOf(page.text)).toEqual(expected);
    expect(warningsOf((await qo.get(`/audits/${id}/edit`)).text)).toEqual(expected);
    // the lead named: no course in force on the start
    const lead = await qo.post('/audits', auditForm(f, { lead_auditor_id: String(f.leader2), title: '' }));
    expect(warningsOf(lead.text).slice(0, 1)).toEqual([
      ['expired', f.leader2, 'Chuyên gia leader2 (trưởng đoàn): chứng chỉ chuyên gia đánh giá đã hết hạn ngày 30/06/2026, trước ngày bắt đầu đánh giá.'],
    ]);
    // a qualified, granted team: no warning
    const clean = await qo.post('/audits', auditForm(f, { member_ids: [String(expert3)] }));
    expect(clean.status).toBe(303);
    expect((await qo.get(created.headers.location.replace(String(id), String(idFromLocation(clean.headers.location))))).text).not.toContain(
      'data-section="competence-warnings"',
    );
  });
});
