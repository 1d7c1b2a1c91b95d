import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { computeAnnualFigures } from '../../src/features/reports/reports.annual.figures';
import { buildScenario, dossier, run } from './fixtures';
import { record } from '../../src/core/audit-log/audit-log';

/**
 * The annual QMS report for 2026 on the fixtures (today 2026-11-26, so the figures run 2026-01-01..2026-11-26):
 * - procedures 3: full 1, partial 1, none 1;
 * - documents: TL-QT-03 first effective 2026-01-01 (issued), TL-QT-01 revision 2 on 2026-02-15 (revised); 2 in force;
 * - audits: 2026-02-10 (internal) with minor 1, observation 1, ofi 1 (the withdrawn finding and the cancelled audit not);
 * - nonconformities: raised NC2, NC3, NC4, NC5, NC7 = 5; closed NC1 (02-01), NC3 (03-01) = 2; open at 11-26 NC2, NC3
 *   (reopened), NC5, NC7 = 4; overdue actions: due 03-01 open and due 03-31 open = 2;
 * - dossiers (all procedures): carried over D1, D10 = 2; new D3–D9 + D11 = 8 (online 3, direct 4, postal 1); resolved 7
 *   (early D1, D8, D9, D11 = 4; on time D3, D5 = 2; late D4 = 1); pending D6, D7, D10 = 3, all overdue at 11-26; rate 6/7.
 */
let t: TestApp;
let quality: SignedIn;
let leader: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
  quality = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
});
afterAll(async () => t.close());

const report = async () => (await rows<Record<string, unknown>>(t, 'select * from annual_reports where year = 2026'))[0];
const auditEntries = async (action: string) =>
  await rows<{ action: string; entity: string; entity_id: string; user_id: number }>(
    t,
    `select action, entity, entity_id, user_id from audit_log where entity = 'annual_report' and action = ?`,
    action,
  );
const narrativeBody = (extra: Record<string, string> = {}) => ({
  narrative_procedures: 'Áp dụng 3 quy trình.',
  narrative_documents: '',
  narrative_audits: 'Đã đánh giá nội bộ.',
  narrative_nonconformities: '',
  narrative_dossiers: 'Tỷ lệ đúng hạn cao.',
  narrative_conclusion: 'Hệ thống vận hành hiệu lực.\nKiến nghị: tiếp tục duy trì.',
  number_text: '15',
  ...extra,
});

describe('annual figures', () => {
  it('counts the year exactly as hand-computed', async () => {
    const f = await computeAnnualFigures(t.ctx.db, 2026, '2026-11-26', 'Asia/Ho_Chi_Minh');
    expect(f.period).toEqual({ from: '2026-01-01', to: '2026-11-26' });
    expect(f.procedures).toEqual({ total: 3, full: 1, partial: 1, none: 1, internal: 0 });
    expect(f.documents).toEqual({ issued: 1, revised: 1, withdrawn: 0, effectiveAtEnd: 2 });
    expect(f.audits).toEqual({ held: 1, internal: 1, external: 0, majorNc: 0, minorNc: 1, observation: 1, ofi: 1 });
    expect(f.nonconformities).toEqual({
      raised: 5,
      closed: 2,
      openAtEnd: 4,
      overdueActions: 2,
      awaitingTriage: 0, // NC6 was rejected: counted nowhere
      overdueCorrectiveActions: 2, // both overdue actions are corrective
      overdueOtherActions: 0,
    });
    expect(f.dossiers).toEqual({
      carriedOver: 2,
      newlyReceived: 8,
      newlyReceivedOnline: 3,
      newlyReceivedDirect: 4,
      newlyReceivedPostal: 1,
      received: 10,
      resolved: 7,
      early: 4,
      onTime: 2,
      late: 1,
      pending: 3,
      pendingOnTrack: 0,
      pendingOverdue: 3,
      onTimeRate: 6 / 7,
    });
    expect(f.monthly).toHaveLength(11);
    expect(f.monthly[0]).toEqual({ month: '2026-01', resolved: 4, early: 2, onTime: 1, late: 1, onTimeRate: 0.75 });
  });

  it('shows those figures on the printable page while no draft exists', async () => {
    const res = await quality.get('/reports/annual/2026');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-figure="procedures.total">3<');
    expect(res.text).toContain('data-figure="nonconformities.raised">5<');
    expect(res.text).toContain('data-figure="dossiers.onTimeRate">85,71\u00a0%<');
    expect(res.text).toContain('Bắt đầu soạn');
  });
});

describe('annual report lifecycle', () => {
  it('creates the draft with its narratives and writes the audit entry', async () => {
    const res = await quality.post('/reports/annual/2026', narrativeBody());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/reports/annual/2026');
    const row = await report();
    expect(row).toMatchObject({ status: 'draft', number_text: '15', version: 1, figures_json: null });
    expect(JSON.parse(String(row.narratives)).conclusion).toBe('Hệ thống vận hành hiệu lực.\nKiến nghị: tiếp tục duy trì.');
    expect(await auditEntries('create')).toEqual([{ action: 'create', entity: 'annual_report', entity_id: String(row.id), user_id: t.users.quality_officer }]);
    const page = (await quality.get('/reports/annual/2026')).text;
    expect(page).toContain('<p class="narrative">Hệ thống vận hành hiệu lực.\nKiến nghị: tiếp tục duy trì.</p>');
    expect(page).toContain('<div class="number">Số: 15/BC-LĐTBXH</div>');
  });

  it('refuses a second draft of the same year without its version (409), and a stale version (409), writing nothing', async () => {
    expect((await quality.post('/reports/annual/2026', narrativeBody())).status).toBe(409);
    const stale = await quality.post('/reports/annual/2026', narrativeBody({ version: '7', narrative_documents: 'x' }));
    expect(stale.status).toBe(409);
    expect(await report()).toMatchObject({ version: 1 });
  });

  it('validates the form: too long, unknown field → 422 with the values kept', async () => {
    const long = await quality.post('/reports/annual/2026', narrativeBody({ version: '1', narrative_documents: 'x'.repeat(4001) }));
    expect(long.status).toBe(422);
    expect(long.text).toContain('Tối đa 4000 ký tự.');
    expect(long.text).toContain('Đã đánh giá nội bộ.');
    expect((await quality.post('/reports/annual/2026', { ...narrativeBody({ version: '1' }), hacker: '1' })).status).toBe(422);
    expect(await report()).toMatchObject({ version: 1 });
  });

  it('saves edits with the current version and records old and new values', async () => {
    const res = await leader.post('/reports/annual/2026', narrativeBody({ version: '1', narrative_documents: 'Ban hành 1, sửa đổi 1.' }));
    expect(res.status).toBe(303);
    expect(await report()).toMatchObject({ version: 2 });
    const entry = await rows<{ old_values: string; new_values: string }>(
      t,
      `select old_values, new_values from audit_log where entity = 'annual_report' and action = 'update'`,
    );
    expect(entry).toHaveLength(1);
    expect(JSON.parse(entry[0].old_values).narratives.documents).toBe('');
    expect(JSON.parse(entry[0].new_values).narratives.documents).toBe('Ban hành 1, sửa đổi 1.');
  });

  it('lets only a leader issue it: others get 403, a wrong password 422 and nothing signed', async () => {
    expect((await quality.post('/reports/annual/2026/issue', { password: TEST_PASSWORD, version: '2' })).status).toBe(403);
    const wrong = await leader.post('/reports/annual/2026/issue', { password: 'not the password', version: '2' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Mật khẩu không đúng; báo cáo chưa được ký.');
    expect(await report()).toMatchObject({ status: 'draft', version: 2 });
    expect(await rows(t, `select id from e_signatures where entity = 'annual_report'`)).toEqual([]);
  });

  it('issues with the leader e-signature, freezing figures, narratives and letterhead', async () => {
    const res = await leader.post('/reports/annual/2026/issue', { password: TEST_PASSWORD, version: '2' });
    expect(res.status).toBe(303);
    const row = await report();
    expect(row).toMatchObject({ status: 'issued', as_of: '2026-11-26', issued_by: t.users.leader, issued_at: '2026-11-26T02:00:00.000Z', version: 3 });
    const figures = JSON.parse(String(row.figures_json));
    expect(figures.dossiers.received).toBe(10);
    expect(figures.nonconformities).toEqual({
      raised: 5,
      closed: 2,
      openAtEnd: 4,
      overdueActions: 2,
      awaitingTriage: 0, // NC6 was rejected: counted nowhere
      overdueCorrectiveActions: 2, // both overdue actions are corrective
      overdueOtherActions: 0,
    });
    expect(JSON.parse(String(row.letterhead_json))).toMatchObject({
      place: 'Nghĩa Hưng',
      numberText: '15',
      signerName: 'Phạm Văn Minh',
      day: '26',
      month: '11',
    });
    const sig = await rows<{ id: number; meaning: string; user_id: number; content_sha256: string }>(
      t,
      `select id, meaning, user_id, content_sha256 from e_signatures where entity = 'annual_report' and entity_id = ?`,
      row.id,
    );
    expect(sig).toEqual([{ id: row.signature_id, meaning: 'issue', user_id: t.users.leader, content_sha256: row.content_sha256 }]);
    expect(await auditEntries('issue')).toHaveLength(1);
    expect(await auditEntries('sign:issue')).toHaveLength(1);
    const page = (await leader.get('/reports/annual/2026')).text;
    expect(page).toContain('data-status="issued"');
    expect(page).toContain('Đã ký điện tử: Người dùng leader, 26/11/2026 09:00');
    expect(page).not.toContain('report-draft-mark');
  });

  it('can never change once issued: the service refuses (409) and the database trigger refuses too', async () => {
    const before = await report();
    expect((await quality.post('/reports/annual/2026', narrativeBody({ version: '3' }))).status).toBe(409);
    expect((await quality.get('/reports/annual/2026/edit')).status).toBe(409);
    expect((await leader.post('/reports/annual/2026/issue', { password: TEST_PASSWORD, version: '3' })).status).toBe(409);
    await expect(run(t, `update annual_reports set narratives = '{}' where year = 2026`)).rejects.toThrow(/an issued annual report cannot change/);
    await expect(run(t, `update annual_reports set status = 'draft' where year = 2026`)).rejects.toThrow(/an issued annual report cannot change/);
    await expect(run(t, `delete from annual_reports where year = 2026`)).rejects.toThrow(/never deleted/);
    expect(await report()).toEqual(before);
  });

  it('keeps printing the frozen figures and letterhead after the data and the settings change', async () => {
    const p = (await rows<{ id: number }>(t, `select id from procedures where code = 'QT-TEST-03'`))[0].id;
    await dossier(t, p, 'D-LATE', { received: '2026-06-01', due: '2026-06-10', returned: '2026-06-09' });
    await run(t, `update organisation set place_name = 'Hải Hậu', signer_name = 'Người khác'`);
    // What the settings page writes with it: the audit entry.
    await record(t.ctx.db, { userId: t.users.admin, action: 'update', entity: 'organisation', entityId: 1, reason: 'test' }, t.clock.now());
    const page = (await leader.get('/reports/annual/2026')).text;
    expect(page).toContain('data-figure="dossiers.received">10<');
    expect(page).toContain('Nghĩa Hưng, ngày 26 tháng 11 năm 2026');
    expect(page).toContain('<p class="signer-name">Phạm Văn Minh</p>');
    // A draft year follows the live data.
    expect((await leader.get('/reports/annual/2025')).text).toContain('Hải Hậu, ngày 26 tháng 11 năm 2026');
  });

  it('lists the reports and refuses years out of range', async () => {
    const list = await quality.get('/reports/annual');
    expect(list.status).toBe(200);
    expect(list.text).toContain('data-year="2026"');
    expect(list.text).toContain('Đã ban hành');
    expect(list.text).toContain('href="/reports/annual/2025"');
    for (const y of ['1999', '2027', 'abcd', '20260']) expect((await quality.get(`/reports/annual/${y}`)).status, y).toBe(404);
    const staff = await t.signIn('staff');
    expect((await staff.get('/reports/annual/2026')).status).toBe(403);
  });
});
