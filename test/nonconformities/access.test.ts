import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { insertUser } from '../../src/features/users/users.queries';
import { hashPassword } from '../../src/core/security/passwords';
import { TEST_PASSWORD } from '../support/app';
import { auditFor, ncIn, ncRow, newAction, newNc, versionOf } from './helpers';

/**
 * Anyone signed in reports a problem and sees their own reports and actions; staff never triage, close,
 * cancel or reopen; staff who neither reported, own an action nor are responsible see nothing of an NC.
 */
let t: TestApp;
let staff: SignedIn;
let other: SignedIn;
let leader: SignedIn;
let otherId: number;
beforeAll(async () => {
  t = await createTestApp();
  otherId = await insertUser(
    t.ctx.db,
    {
      username: 'motcua',
      full_name: 'Vũ Thị Mai',
      role: 'staff',
      unit_id: t.units.other,
      email: null,
      position_title: null,
      password_hash: await hashPassword(TEST_PASSWORD),
    },
    t.clock.now().toISOString(),
  );
  staff = await t.signIn('staff');
  other = await t.signIn('motcua');
  await t.signIn('quality_officer');
  leader = await t.signIn('leader');
});
afterAll(async () => t.close());

describe('reporting a problem', () => {
  it('is open to every role, and the reporter can read their report', async () => {
    for (const role of ['staff', 'leader', 'quality_officer', 'admin']) {
      const who = await t.signIn(role);
      expect((await who.get('/nonconformities/report')).status).toBe(200);
      const res = await who.post('/nonconformities/report', { title: `Vấn đề của ${role}`, description: 'Chi tiết', detected_on: '2026-11-26' });
      expect(res.status).toBe(303);
      const page = await who.get(res.headers.location);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`Vấn đề của ${role}`);
    }
    expect(await rows(t, "select count(*) as n from nonconformities where status = 'reported' and source = 'staff_report'")).toEqual([{ n: 4 }]);
  });

  it('re-renders with 422 and the values kept when a field is missing, too long, in the future, or unknown', async () => {
    const missing = await staff.post('/nonconformities/report', { title: '', description: 'Giữ lại nội dung này', detected_on: '2026-11-26' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Giữ lại nội dung này');
    expect((await staff.post('/nonconformities/report', { title: 'x'.repeat(301), description: 'a', detected_on: '2026-11-26' })).status).toBe(422);
    const future = await staff.post('/nonconformities/report', { title: 'Tương lai', description: 'a', detected_on: '2026-11-27' });
    expect(future.status).toBe(422);
    expect(future.text).toContain('Ngày không được sau ngày hôm nay.');
    expect((await staff.post('/nonconformities/report', { title: 'a', description: 'a', detected_on: '2026-11-26', status: 'closed' })).status).toBe(422);
    expect((await staff.post('/nonconformities/report', { title: 'a', description: 'a', detected_on: '2026-11-26', procedure_id: '999' })).status).toBe(422);
    expect((await staff.post('/nonconformities/report', { title: 'a', description: 'a', detected_on: '2026-02-30' })).status).toBe(422);
  });
});

describe('what staff may see', () => {
  it('shows an NC to its reporter, its responsible person and its action owners, and 403 to other staff', async () => {
    const reported = await newNc(t, { reportedBy: t.users.staff, status: 'reported' });
    const responsible = await newNc(t, { responsibleUserId: t.users.staff });
    const owned = await ncIn(t, 'action_plan', { responsibleUserId: null });
    const unrelated = await newNc(t, {});
    for (const nc of [reported, responsible, owned]) expect((await staff.get(`/nonconformities/${nc.id}`)).status).toBe(200);
    for (const nc of [reported, responsible, owned, unrelated]) expect((await other.get(`/nonconformities/${nc.id}`)).status).toBe(403);
    expect((await staff.get(`/nonconformities/${unrelated.id}`)).status).toBe(403);
    expect((await other.get(`/actions/${owned.actionId}`)).status).toBe(403);
    expect((await other.get(`/nonconformities/${owned.id}/print`)).status).toBe(403);
    expect((await staff.get('/nonconformities')).status).toBe(403);
    expect((await staff.get('/nonconformities/export.csv')).status).toBe(403);
    expect((await staff.get('/actions')).status).toBe(403);
    expect((await leader.get(`/nonconformities/${unrelated.id}`)).status).toBe(200);
  });

  it('lists their own actions and reports in "Việc của tôi", and not other people’s', async () => {
    const mine = await ncIn(t, 'action_plan', { title: 'NC có việc của tôi' });
    const notMine = await ncIn(t, 'action_plan', { title: 'NC của người khác', responsibleUserId: null });
    await newAction(t, notMine.id, { ownerId: otherId });
    const page = await staff.get('/actions/mine');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`/actions/${mine.actionId}`);
    expect(page.text).toContain('NC có việc của tôi');
    const otherPage = await other.get('/actions/mine');
    expect(otherPage.text).not.toContain(`/actions/${mine.actionId}"`);
    expect(otherPage.text).toContain('NC của người khác');
  });
});

describe('what staff may not do', () => {
  it('cannot triage, cancel, reopen, edit or verify, even on their own report (403, nothing written)', async () => {
    const report = await newNc(t, { reportedBy: t.users.staff, status: 'reported' });
    const closed = await ncIn(t, 'closed');
    const waiting = await ncIn(t, 'awaiting_verification');
    const attempts: [number, string, Record<string, string>][] = [
      [report.id, 'accept', { severity: 'minor' }],
      [report.id, 'reject', { reason: 'x' }],
      [report.id, 'cancel', { reason: 'x' }],
      [closed.id, 'reopen', { reason: 'x' }],
      [waiting.id, 'verify', { result: 'effective', note: 'x' }],
      [waiting.id, 'schedule', { verify_due_on: '2027-01-01' }],
      [report.id, '', { title: 'Sửa', description: 'Sửa', source: 'other', severity: 'minor', detected_on: '2026-11-26' }],
    ];
    for (const [id, step, body] of attempts) {
      const before = await ncRow(t, id);
      const path = step ? `/nonconformities/${id}/${step}` : `/nonconformities/${id}`;
      const res = await staff.post(path, { version: String(before.version), ...body });
      expect(res.status, path).toBe(403);
      expect(await ncRow(t, id), path).toEqual(before);
    }
    for (const path of [
      `/nonconformities/${report.id}/triage`,
      `/nonconformities/${report.id}/edit`,
      `/nonconformities/${report.id}/cancel`,
      `/nonconformities/${closed.id}/reopen`,
      '/nonconformities/new',
    ]) {
      expect((await staff.get(path)).status, path).toBe(403);
    }
  });

  it('cannot work an NC they are not responsible for, but the responsible staff member can analyse it', async () => {
    const nc = await newNc(t, { responsibleUserId: t.users.staff });
    const body = {
      version: await versionOf(t, nc.id),
      why_1: 'Tại sao?',
      answer_1: 'Vì thiếu hướng dẫn',
      cause_category: 'document',
      root_cause: 'Quy trình chưa nêu bước chuyển',
    };
    expect((await other.post(`/nonconformities/${nc.id}/analysis`, body)).status).toBe(403);
    expect((await other.post(`/nonconformities/${nc.id}/corrections`, { description: 'x', done_by: String(otherId), done_on: '2026-11-26' })).status).toBe(403);
    expect((await staff.post(`/nonconformities/${nc.id}/analysis`, body)).status).toBe(303);
    expect((await ncRow(t, nc.id)).status).toBe('analysed');
    expect((await auditFor(t, 'nonconformity', nc.id)).at(-1)).toMatchObject({ action: 'analyse', user_id: t.users.staff });
  });

  it('lets an action owner record progress and complete their action, but not someone else’s, and not cancel it', async () => {
    const nc = await ncIn(t, 'in_progress', { responsibleUserId: null });
    const a = nc.actionId!;
    expect((await other.post(`/actions/${a}/notes`, { note: 'Không phải việc của tôi' })).status).toBe(403);
    expect((await staff.post(`/actions/${a}/notes`, { note: 'Đã làm được một nửa' })).status).toBe(303);
    expect((await staff.post(`/actions/${a}/cancel`, { version: '1', reason: 'x' })).status).toBe(403);
    expect((await staff.post(`/actions/${a}`, { version: '1', description: 'Sửa', owner_id: String(t.users.staff), due_date: '2026-12-30' })).status).toBe(403);
    const ver = String((await rows<{ version: number }>(t, 'select version from nc_actions where id = ?', a))[0].version);
    expect((await staff.post(`/actions/${a}/complete`, { version: ver, completion_note: 'Đã xong' })).status).toBe(303);
    expect(await rows(t, 'select status, completed_by from nc_actions where id = ?', a)).toEqual([{ status: 'done', completed_by: t.users.staff }]);
    expect((await auditFor(t, 'nc_action', a)).map((e) => e.action)).toEqual(['create', 'add_note', 'complete']);
  });
});
