import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { actionVersion, auditFor, ncIn, ncRow, newAction, versionOf } from './helpers';
import { completeAction } from '../../src/features/nonconformities/nonconformities.actions.service';
import { advanceWhenActionsFinished } from '../../src/features/nonconformities/nonconformities.workflow';

/**
 * The gates of closure: no verification while an action is open; the verifier is a quality officer or a
 * leader who owns none of the actions; "effective" needs an evidence note.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let staff: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  admin = await t.signIn('admin');
  staff = await t.signIn('staff');
});
afterAll(async () => t.close());

describe('awaiting verification', () => {
  it('is not reached while any action is open', async () => {
    const nc = await ncIn(t, 'in_progress');
    const second = await newAction(t, nc.id, { ownerId: t.users.leader });
    await completeAction(t.ctx, nc.actionId!, Number(await actionVersion(t, nc.actionId!)), 'Xong', t.users.staff);
    expect((await ncRow(t, nc.id)).status).toBe('in_progress');
    const moved = await t.ctx.db.transaction().execute((trx) => advanceWhenActionsFinished(trx, nc.id, null, t.clock.now()));
    expect(moved).toBe(false);
    expect((await ncRow(t, nc.id)).status).toBe('in_progress');
    const page = await qo.get(`/nonconformities/${nc.id}`);
    expect(page.text).toContain('Còn 1 hành động chưa hoàn thành.');
    await completeAction(t.ctx, second, Number(await actionVersion(t, second)), 'Xong', t.users.leader);
    expect(await ncRow(t, nc.id)).toMatchObject({ status: 'awaiting_verification', verify_due_on: '2026-12-26' });
  });

  it('moves on when the last open action is cancelled and at least one is done', async () => {
    const nc = await ncIn(t, 'in_progress');
    const extra = await newAction(t, nc.id, { ownerId: t.users.leader });
    await completeAction(t.ctx, nc.actionId!, Number(await actionVersion(t, nc.actionId!)), 'Xong', t.users.staff);
    const res = await qo.post(`/actions/${extra}/cancel`, { version: await actionVersion(t, extra), reason: 'Không còn cần thiết' });
    expect(res.status).toBe(303);
    expect((await ncRow(t, nc.id)).status).toBe('awaiting_verification');
    expect((await auditFor(t, 'nonconformity', nc.id)).at(-1)).toMatchObject({ action: 'submit', user_id: t.users.quality_officer });
  });

  it('does not move on when every action was cancelled (nothing done to verify)', async () => {
    const nc = await ncIn(t, 'in_progress');
    const res = await qo.post(`/actions/${nc.actionId}/cancel`, { version: await actionVersion(t, nc.actionId!), reason: 'Sai đối tượng' });
    expect(res.status).toBe(303);
    expect((await ncRow(t, nc.id)).status).toBe('in_progress');
  });

  it('lists the NC in "awaiting verification" with its scheduled date, which a quality officer can change', async () => {
    const nc = await ncIn(t, 'awaiting_verification', { title: 'Chờ kiểm tra hiệu lực mẫu' });
    const list = await leader.get('/nonconformities/awaiting-verification');
    expect(list.status).toBe(200);
    expect(list.text).toContain(nc.code);
    expect(list.text).toContain('26/12/2026');
    const res = await qo.post(`/nonconformities/${nc.id}/schedule`, { version: await versionOf(t, nc.id), verify_due_on: '2027-01-15' });
    expect(res.status).toBe(303);
    expect((await ncRow(t, nc.id)).verify_due_on).toBe('2027-01-15');
    expect((await auditFor(t, 'nonconformity', nc.id)).at(-1)).toMatchObject({ action: 'schedule_verification' });
    expect((await staff.post(`/nonconformities/${nc.id}/schedule`, { version: await versionOf(t, nc.id), verify_due_on: '2027-01-20' })).status).toBe(403);
    expect((await qo.post(`/nonconformities/${nc.id}/schedule`, { version: await versionOf(t, nc.id), verify_due_on: '15/01/2027' })).status).toBe(422);
  });
});

describe('effectiveness verification', () => {
  it('refuses a verifier who owns one of the actions (403), and writes nothing', async () => {
    const nc = await ncIn(t, 'in_progress');
    const own = await newAction(t, nc.id, { ownerId: t.users.quality_officer, type: 'risk' });
    await completeAction(t.ctx, own, Number(await actionVersion(t, own)), 'Xong', t.users.quality_officer);
    await completeAction(t.ctx, nc.actionId!, Number(await actionVersion(t, nc.actionId!)), 'Xong', t.users.staff);
    expect((await ncRow(t, nc.id)).status).toBe('awaiting_verification');
    const before = await ncRow(t, nc.id);
    const page = await qo.get(`/nonconformities/${nc.id}`);
    expect(page.text).not.toContain(`href="/nonconformities/${nc.id}/verify"`);
    expect(page.text).toContain('không được tự kiểm tra hiệu lực');
    const res = await qo.post(`/nonconformities/${nc.id}/verify`, { version: await versionOf(t, nc.id), result: 'effective', note: 'Tự kiểm tra' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('không được tự kiểm tra hiệu lực');
    expect(await ncRow(t, nc.id)).toEqual(before);
    expect(await rows(t, 'select * from nc_verifications where nonconformity_id = ?', nc.id)).toEqual([]);
    // A leader who owns nothing may.
    expect(
      (await leader.post(`/nonconformities/${nc.id}/verify`, { version: await versionOf(t, nc.id), result: 'effective', note: 'Đã xem 10 hồ sơ' })).status,
    ).toBe(303);
    expect((await ncRow(t, nc.id)).status).toBe('closed');
  });

  it('is for quality officers and leaders only: staff and admin get 403', async () => {
    const nc = await ncIn(t, 'awaiting_verification');
    for (const who of [staff, admin]) {
      const res = await who.post(`/nonconformities/${nc.id}/verify`, { version: await versionOf(t, nc.id), result: 'effective', note: 'Đã xem' });
      expect(res.status).toBe(403);
    }
    expect((await ncRow(t, nc.id)).status).toBe('awaiting_verification');
  });

  it('needs an evidence note to close (422 with the message next to the field)', async () => {
    const nc = await ncIn(t, 'awaiting_verification');
    const res = await qo.post(`/nonconformities/${nc.id}/verify`, { version: await versionOf(t, nc.id), result: 'effective', note: '   ' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Vui lòng nhập trường này.');
    expect(res.text).toContain('aria-invalid="true"');
    expect((await ncRow(t, nc.id)).status).toBe('awaiting_verification');
    expect(await rows(t, 'select * from nc_verifications where nonconformity_id = ?', nc.id)).toEqual([]);
    expect((await auditFor(t, 'nonconformity', nc.id)).map((a) => a.action)).not.toContain('verify_effective');
  });

  it('records the evidence note and closes, and the close is in the audit log', async () => {
    const nc = await ncIn(t, 'awaiting_verification');
    const res = await qo.post(`/nonconformities/${nc.id}/verify`, {
      version: await versionOf(t, nc.id),
      result: 'effective',
      note: 'Bằng chứng: sổ theo dõi tháng 12',
    });
    expect(res.status).toBe(303);
    expect(await ncRow(t, nc.id)).toMatchObject({ status: 'closed', closed_on: '2026-11-26' });
    const entry = (await auditFor(t, 'nonconformity', nc.id)).at(-1)!;
    expect(entry.action).toBe('verify_effective');
    expect(JSON.parse(entry.new_values!)).toMatchObject({ note: 'Bằng chứng: sổ theo dõi tháng 12', status: 'closed', closed_on: '2026-11-26' });
  });
});

describe('actions and the workflow', () => {
  it('adds corrections (type) at any stage before verification, and the other types only while planning or in progress', async () => {
    const open = await ncIn(t, 'open');
    const corrective = await qo.post(`/nonconformities/${open.id}/actions`, {
      type: 'corrective',
      kind: 'general',
      description: 'Sửa quy trình',
      owner_id: String(t.users.staff),
      due_date: '2026-12-01',
    });
    expect(corrective.status).toBe(422);
    expect(corrective.text).toContain('chỉ thêm được khi sự không phù hợp đang lập kế hoạch');
    const correction = await qo.post(`/nonconformities/${open.id}/actions`, {
      type: 'correction',
      kind: 'general',
      description: 'Trả lại kết quả',
      owner_id: String(t.users.staff),
      due_date: '2026-11-27',
    });
    expect(correction.status).toBe(303);
    const waiting = await ncIn(t, 'awaiting_verification');
    const late = await qo.post(`/nonconformities/${waiting.id}/actions`, {
      type: 'correction',
      kind: 'general',
      description: 'Thêm',
      owner_id: String(t.users.staff),
      due_date: '2026-11-27',
    });
    expect(late.status).toBe(422);
    expect(await rows(t, 'select count(*) as n from nc_actions where nonconformity_id = ?', waiting.id)).toEqual([{ n: 1 }]);
  });
});
