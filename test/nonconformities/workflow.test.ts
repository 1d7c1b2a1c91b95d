import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { actionVersion, auditFor, ncIn, ncRow, STATES, versionOf, type State } from './helpers';

/**
 * The workflow over HTTP: the whole life of a staff report up to closure and reopening, then every step
 * tried from every state — allowed ones move the NC (status history + audit entry), forbidden ones answer
 * 409 and write nothing.
 */
let t: TestApp;
let qo: SignedIn;
let staff: SignedIn;
let leader: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
  leader = await t.signIn('leader');
});
afterAll(async () => t.close());

/** Moves the clock (sessions time out, so everyone signs in again). */
async function travel(iso: string): Promise<void> {
  t.clock.set(iso);
  qo = await t.signIn('quality_officer');
  staff = await t.signIn('staff');
  leader = await t.signIn('leader');
}

const history = async (id: number) =>
  await rows<{ from_status: string | null; to_status: string; changed_on: string; changed_by: number | null; reason: string | null }>(
    t,
    'select from_status, to_status, changed_on, changed_by, reason from nc_status_history where nonconformity_id = ? order by id',
    id,
  );

describe('the life of a staff report', () => {
  it('goes reported → open → analysed → action plan → in progress → awaiting verification → closed → reopened, each step recorded', async () => {
    const report = await staff.post('/nonconformities/report', { title: 'Trả kết quả chậm', description: 'Người dân phải chờ.', detected_on: '2026-11-25' });
    expect(report.status).toBe(303);
    const id = Number(/\/nonconformities\/(\d+)$/.exec(report.headers.location)![1]);
    expect(await ncRow(t, id)).toMatchObject({ status: 'reported', source: 'staff_report', reported_by: t.users.staff, code: 'NC-2026-001', opened_on: null });

    let res = await qo.post(`/nonconformities/${id}/accept`, {
      version: await versionOf(t, id),
      severity: 'major',
      responsible_unit_id: String(t.units.main),
      responsible_user_id: String(t.users.staff),
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/nonconformities/${id}`);
    expect(await ncRow(t, id)).toMatchObject({ status: 'open', severity: 'major', responsible_user_id: t.users.staff, opened_on: '2026-11-26' });

    // The responsible person (a staff member) works the NC: correction, analysis, plan, actions.
    res = await staff.post(`/nonconformities/${id}/corrections`, {
      description: 'Gọi điện xin lỗi và trả kết quả ngay',
      done_by: String(t.users.staff),
      done_on: '2026-11-26',
    });
    expect(res.status).toBe(303);
    res = await staff.post(`/nonconformities/${id}/analysis`, {
      version: await versionOf(t, id),
      why_1: 'Vì sao trả chậm?',
      answer_1: 'Hồ sơ chưa được chuyển trên phần mềm',
      why_2: 'Vì sao chưa chuyển?',
      answer_2: 'Cán bộ chưa biết thao tác chuyển bước',
      cause_category: 'people',
      root_cause: 'Cán bộ mới chưa được hướng dẫn sử dụng phần mềm',
    });
    expect(res.status).toBe(303);
    expect(await ncRow(t, id)).toMatchObject({ status: 'analysed', cause_category: 'people', analysed_on: '2026-11-26' });
    expect(JSON.parse(String((await ncRow(t, id)).whys))).toEqual([
      { why: 'Vì sao trả chậm?', answer: 'Hồ sơ chưa được chuyển trên phần mềm' },
      { why: 'Vì sao chưa chuyển?', answer: 'Cán bộ chưa biết thao tác chuyển bước' },
    ]);
    res = await staff.post(`/nonconformities/${id}/plan`, { version: await versionOf(t, id) });
    expect(res.status).toBe(303);
    res = await staff.post(`/nonconformities/${id}/actions`, {
      type: 'corrective',
      kind: 'general',
      description: 'Hướng dẫn thao tác phần mềm',
      owner_id: String(t.users.staff),
      due_date: '2026-12-10',
    });
    expect(res.status).toBe(303);
    const actionId = (await rows<{ id: number }>(t, 'select id from nc_actions where nonconformity_id = ?', id))[0].id;
    res = await staff.post(`/nonconformities/${id}/start`, { version: await versionOf(t, id) });
    expect(res.status).toBe(303);
    expect((await ncRow(t, id)).status).toBe('in_progress');

    await travel('2026-12-01T03:00:00Z');
    res = await staff.post(`/actions/${actionId}/complete`, { version: await actionVersion(t, actionId), completion_note: 'Đã hướng dẫn 3 cán bộ' });
    expect(res.status).toBe(303);
    // The last open action done: the NC moves on by itself, verification scheduled 30 days later.
    expect(await ncRow(t, id)).toMatchObject({ status: 'awaiting_verification', verify_due_on: '2026-12-31' });

    await travel('2026-12-31T03:00:00Z');
    res = await leader.post(`/nonconformities/${id}/verify`, {
      version: await versionOf(t, id),
      result: 'effective',
      note: 'Kiểm tra 30 hồ sơ tháng 12: đều đúng hạn',
    });
    expect(res.status).toBe(303);
    expect(await ncRow(t, id)).toMatchObject({ status: 'closed', closed_on: '2026-12-31' });
    expect(await rows(t, 'select result, note, verified_by, verified_on from nc_verifications where nonconformity_id = ?', id)).toEqual([
      { result: 'effective', note: 'Kiểm tra 30 hồ sơ tháng 12: đều đúng hạn', verified_by: t.users.leader, verified_on: '2026-12-31' },
    ]);

    await travel('2027-01-10T03:00:00Z');
    res = await qo.post(`/nonconformities/${id}/reopen`, { version: await versionOf(t, id), reason: 'Lại có hồ sơ trả chậm cùng lý do' });
    expect(res.status).toBe(303);
    expect(await ncRow(t, id)).toMatchObject({ status: 'action_plan', closed_on: null, reopen_count: 1, status_reason: 'Lại có hồ sơ trả chậm cùng lý do' });

    expect((await history(id)).map((h) => [h.from_status, h.to_status, h.changed_on])).toEqual([
      [null, 'reported', '2026-11-26'],
      ['reported', 'open', '2026-11-26'],
      ['open', 'analysed', '2026-11-26'],
      ['analysed', 'action_plan', '2026-11-26'],
      ['action_plan', 'in_progress', '2026-11-26'],
      ['in_progress', 'awaiting_verification', '2026-12-01'],
      ['awaiting_verification', 'closed', '2026-12-31'],
      ['closed', 'action_plan', '2027-01-10'],
    ]);
    expect((await auditFor(t, 'nonconformity', id)).map((a) => a.action)).toEqual([
      'create',
      'accept',
      'add_correction',
      'analyse',
      'plan',
      'start',
      'submit',
      'verify_effective',
      'reopen',
    ]);
    expect((await auditFor(t, 'nonconformity', id)).at(-1)).toMatchObject({ user_id: t.users.quality_officer, reason: 'Lại có hồ sơ trả chậm cùng lý do' });
    expect((await auditFor(t, 'nc_action', actionId)).map((a) => a.action)).toEqual(['create', 'complete']);

    const page = await staff.get(`/nonconformities/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Gọi điện xin lỗi và trả kết quả ngay');
    expect(page.text).toContain('Cán bộ mới chưa được hướng dẫn sử dụng phần mềm');
    expect(page.text).toContain('Đã mở lại 1 lần.');
    await travel('2026-11-26T02:00:00Z');
  });

  it('rejects a report as unfounded with its reason, shown to the reporter', async () => {
    const report = await staff.post('/nonconformities/report', { title: 'Máy in hỏng', description: 'Không in được.', detected_on: '2026-11-26' });
    const id = Number(report.headers.location.split('/').pop());
    const missing = await qo.post(`/nonconformities/${id}/reject`, { version: await versionOf(t, id), reason: '' });
    expect(missing.status).toBe(422);
    expect((await ncRow(t, id)).status).toBe('reported');
    const res = await qo.post(`/nonconformities/${id}/reject`, {
      version: await versionOf(t, id),
      reason: 'Đã được bộ phận CNTT sửa, không phải sự không phù hợp',
    });
    expect(res.status).toBe(303);
    expect(await ncRow(t, id)).toMatchObject({ status: 'rejected', status_reason: 'Đã được bộ phận CNTT sửa, không phải sự không phù hợp' });
    expect((await auditFor(t, 'nonconformity', id)).map((a) => [a.action, a.reason])).toEqual([
      ['create', null],
      ['reject', 'Đã được bộ phận CNTT sửa, không phải sự không phù hợp'],
    ]);
    const page = await staff.get(`/nonconformities/${id}`);
    expect(page.text).toContain('Không chấp nhận (không có cơ sở): Đã được bộ phận CNTT sửa, không phải sự không phù hợp');
  });

  it('cancels with a reason and cancels the open actions with it', async () => {
    const nc = await ncIn(t, 'in_progress');
    const res = await qo.post(`/nonconformities/${nc.id}/cancel`, { version: await versionOf(t, nc.id), reason: 'Trùng với NC khác' });
    expect(res.status).toBe(303);
    expect(await ncRow(t, nc.id)).toMatchObject({ status: 'cancelled', cancelled_on: '2026-11-26', status_reason: 'Trùng với NC khác' });
    expect(await rows(t, 'select status, cancel_reason, cancelled_on from nc_actions where id = ?', nc.actionId)).toEqual([
      { status: 'cancelled', cancel_reason: 'Trùng với NC khác', cancelled_on: '2026-11-26' },
    ]);
    expect((await auditFor(t, 'nc_action', nc.actionId!)).map((a) => [a.action, a.reason])).toEqual([
      ['create', null],
      ['cancel', 'Trùng với NC khác'],
    ]);
    const noReason = await qo.post(`/nonconformities/${(await ncIn(t, 'open')).id}/cancel`, { version: '1', reason: '  ' });
    expect(noReason.status).toBe(422);
  });

  it('sends an NC judged not effective back to the action plan, where a new action is needed to start again', async () => {
    const nc = await ncIn(t, 'awaiting_verification');
    const res = await leader.post(`/nonconformities/${nc.id}/verify`, {
      version: await versionOf(t, nc.id),
      result: 'not_effective',
      note: 'Vẫn còn 2 hồ sơ trễ hạn trong tháng',
    });
    expect(res.status).toBe(303);
    expect(await ncRow(t, nc.id)).toMatchObject({ status: 'action_plan', closed_on: null, verify_due_on: null });
    const again = await qo.post(`/nonconformities/${nc.id}/start`, { version: await versionOf(t, nc.id) });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Cần có ít nhất một hành động chưa thực hiện để bắt đầu.');
    const add = await qo.post(`/nonconformities/${nc.id}/actions`, {
      type: 'risk',
      kind: 'general',
      description: 'Cài đặt nhắc hạn tự động',
      owner_id: String(t.users.admin),
      due_date: '2026-12-20',
    });
    expect(add.status).toBe(303);
    expect((await qo.post(`/nonconformities/${nc.id}/start`, { version: await versionOf(t, nc.id) })).status).toBe(303);
    expect((await ncRow(t, nc.id)).status).toBe('in_progress');
    expect((await auditFor(t, 'nonconformity', nc.id)).map((a) => a.action).slice(-2)).toEqual(['verify_not_effective', 'start']);
  });
});

/** Every step from every state: which ones may run. */
const STEPS: { step: string; path: string; body: Record<string, string>; from: State[]; by: 'qo' | 'leader' }[] = [
  { step: 'accept', path: 'accept', body: { severity: 'minor' }, from: ['reported'], by: 'qo' },
  { step: 'reject', path: 'reject', body: { reason: 'Không có cơ sở' }, from: ['reported'], by: 'qo' },
  {
    step: 'analyse',
    path: 'analysis',
    body: { why_1: 'Tại sao?', answer_1: 'Vì thế', cause_category: 'method', root_cause: 'Cách làm chưa hợp lý' },
    from: ['open', 'analysed', 'action_plan'],
    by: 'qo',
  },
  { step: 'plan', path: 'plan', body: {}, from: ['analysed'], by: 'qo' },
  { step: 'start', path: 'start', body: {}, from: ['action_plan'], by: 'qo' },
  { step: 'verify', path: 'verify', body: { result: 'effective', note: 'Đã kiểm tra hồ sơ' }, from: ['awaiting_verification'], by: 'leader' },
  {
    step: 'cancel',
    path: 'cancel',
    body: { reason: 'Ghi nhầm' },
    from: ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'],
    by: 'qo',
  },
  { step: 'reopen', path: 'reopen', body: { reason: 'Tái diễn' }, from: ['closed'], by: 'qo' },
];

describe('every step from every state', () => {
  for (const s of STEPS) {
    it(`${s.step}: allowed only from ${s.from.join(', ')}; 409 and nothing written otherwise`, async () => {
      for (const state of STATES) {
        const nc = await ncIn(t, state);
        const before = await ncRow(t, nc.id);
        const audits = (await auditFor(t, 'nonconformity', nc.id)).length;
        const historyRows = (await history(nc.id)).length;
        const who = s.by === 'qo' ? qo : leader;
        const res = await who.post(`/nonconformities/${nc.id}/${s.path}`, { version: String(before.version), ...s.body });
        const label = `${s.step} from ${state} → ${res.status}`;
        if (s.from.includes(state)) {
          expect(res.status, label).toBe(303);
          expect((await auditFor(t, 'nonconformity', nc.id)).length, label).toBe(audits + 1);
          expect(Number((await ncRow(t, nc.id)).version), label).toBe(Number(before.version) + 1);
        } else {
          expect(res.status, label).toBe(409);
          expect(await ncRow(t, nc.id), label).toEqual(before);
          expect((await auditFor(t, 'nonconformity', nc.id)).length, label).toBe(audits);
          expect((await history(nc.id)).length, label).toBe(historyRows);
        }
      }
    });
  }
});
