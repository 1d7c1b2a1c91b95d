import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors, textOf } from '../support/html';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * The authorised signers and the recipients per kind of document in the settings (issue 25): validation next to the
 * field, administrators alone, an audit-log entry with each change, deactivation with a reason instead of deletion,
 * and each organisation's own.
 */
let t: TestApp;
let admin: SignedIn;
let quality: SignedIn;
let leader: SignedIn;
let other: OtherOrganisation;
let otherAdmin: SignedIn;
let deputyUser: number;

const SIGNERS = '/admin/organisation/signers';
const signer = (id: number) =>
  one<{
    organisation_id: number;
    user_id: number | null;
    full_name: string;
    position_title: string;
    way: string;
    active: number;
    deactivate_reason: string | null;
    version: number;
  }>(t, 'select organisation_id, user_id, full_name, position_title, way, active, deactivate_reason, version from organisation_signers where id = ?', id);
const lastId = async () => (await one<{ id: number }>(t, 'select max(id) as id from organisation_signers'))!.id;
const count = async () => Number((await one<{ n: number }>(t, 'select count(*) as n from organisation_signers'))!.n);
const settings = async (extra: Record<string, string> = {}) => ({
  name: 'Phòng Lao động - Thương binh và Xã hội',
  parent_agency: 'UBND huyện Nghĩa Hưng',
  place_name: 'Nghĩa Hưng',
  report_number_suffix: 'LĐTBXH',
  signer_title: 'TRƯỞNG PHÒNG',
  signer_name: 'Phạm Văn Minh',
  time_zone: 'Asia/Ho_Chi_Minh',
  recipients: 'Lưu: VT',
  revision_signers: '3',
  annual_period: 'calendar',
  version: String((await one<{ version: number }>(t, 'select version from organisation where id = 1'))!.version),
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
  quality = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  await run(t, "update users set full_name = 'Ngô Thị Hoa', position_title = 'Phó Trưởng phòng' where id = ?", t.users.staff);
  deputyUser = t.users.staff;
  other = await addOrganisation(t, 'KHCN');
  otherAdmin = await t.signIn(other.usernames.admin);
});
afterAll(async () => t?.close());

describe('adding a signer', () => {
  it('refuses bad input next to each field (422) and stores nothing', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ full_name: 'Trần Văn Tư', position_title: '', way: 'kt' }, ['position_title']],
      [{ full_name: '', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt' }, ['full_name']],
      [{ full_name: 'Trần Văn Tư', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'thay' }, ['way']],
      [{ user_id: String(other.users.leader), full_name: 'Trần Văn Tư', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt' }, ['user_id']],
      [{ user_id: 'abc', full_name: 'Trần Văn Tư', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt' }, ['user_id']],
      [{ full_name: 'x'.repeat(101), position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt' }, ['full_name']],
    ];
    for (const [body, fields] of cases) {
      const res = await admin.post(SIGNERS, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(fieldsWithErrors(res.text), JSON.stringify(body)).toEqual(fields);
    }
    const missing = await admin.post(SIGNERS, { full_name: 'Trần Văn Tư', way: 'tl' });
    expect(textOf(missing.text)).toContain('Nhập chức vụ của người ký (ví dụ: PHÓ TRƯỞNG PHÒNG).');
    expect((await admin.post(SIGNERS, { full_name: 'Trần Văn Tư', position_title: 'PHÓ', way: 'kt', active: '0' })).status).toBe(422);
    expect(await count()).toBe(0);
  });

  it('is for administrators only', async () => {
    for (const who of [quality, leader]) {
      expect((await who.get(SIGNERS)).status).toBe(403);
      expect((await who.post(SIGNERS, { full_name: 'Trần Văn Tư', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt' })).status).toBe(403);
    }
    expect(await count()).toBe(0);
  });

  it('prefills the name and position from the linked user, stores it with its audit entry and lists its block', async () => {
    expect((await admin.post(SIGNERS, { user_id: String(deputyUser), full_name: '', position_title: '', way: 'kt' })).status).toBe(303);
    const id = await lastId();
    expect(await signer(id)).toMatchObject({
      organisation_id: 1,
      user_id: deputyUser,
      full_name: 'Ngô Thị Hoa',
      position_title: 'Phó Trưởng phòng',
      way: 'kt',
      active: 1,
    });
    const [entry] = await rows<{ action: string; user_id: number; new_values: string }>(
      t,
      "select action, user_id, new_values from audit_log where entity = 'organisation_signer' and entity_id = ?",
      String(id),
    );
    expect(entry.action).toBe('create');
    expect(entry.user_id).toBe(t.users.admin);
    expect(JSON.parse(entry.new_values)).toEqual({ user_id: deputyUser, full_name: 'Ngô Thị Hoa', position_title: 'Phó Trưởng phòng', way: 'kt' });
    const page = textOf((await admin.get(SIGNERS)).text);
    expect(page).toContain('KT. TRƯỞNG PHÒNG PHÓ TRƯỞNG PHÒNG Ngô Thị Hoa');
    // one active entry per user
    const again = await admin.post(SIGNERS, { user_id: String(deputyUser), full_name: 'Ngô Thị Hoa', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'tl' });
    expect(again.status).toBe(422);
    expect(fieldsWithErrors(again.text)).toEqual(['user_id']);
    expect(again.text).toContain('Người dùng này đã có trong danh sách người ký.');
  });

  it('corrects a signer with its audit entry; a stale version is a conflict', async () => {
    const id = await lastId();
    const s = (await signer(id))!;
    const body = { user_id: String(deputyUser), full_name: 'Ngô Thị Hoa', position_title: 'PHÓ TRƯỞNG PHÒNG', way: 'kt', version: String(s.version) };
    expect((await admin.post(`${SIGNERS}/${id}`, body)).status).toBe(303);
    expect(await signer(id)).toMatchObject({ position_title: 'PHÓ TRƯỞNG PHÒNG', version: s.version + 1 });
    expect((await admin.post(`${SIGNERS}/${id}`, body)).status).toBe(409);
    const [entry] = await rows<{ old_values: string; new_values: string }>(
      t,
      "select old_values, new_values from audit_log where entity = 'organisation_signer' and action = 'update' and entity_id = ?",
      String(id),
    );
    expect(JSON.parse(entry.old_values)).toMatchObject({ position_title: 'Phó Trưởng phòng' });
    expect(JSON.parse(entry.new_values)).toMatchObject({ position_title: 'PHÓ TRƯỞNG PHÒNG' });
  });
});

describe('deactivating a signer', () => {
  it('needs a reason, keeps the row with it and logs it; a signer is never deleted', async () => {
    expect((await admin.post(SIGNERS, { full_name: 'Trần Văn Tư', position_title: 'CHÁNH VĂN PHÒNG', way: 'tl' })).status).toBe(303);
    const id = await lastId();
    const noReason = await admin.post(`${SIGNERS}/${id}/deactivate`, { deactivate_reason: '  ', version: '1' });
    expect(noReason.status).toBe(422);
    expect(fieldsWithErrors(noReason.text)).toEqual(['deactivate_reason']);
    expect((await leader.post(`${SIGNERS}/${id}/deactivate`, { deactivate_reason: 'Chuyển công tác', version: '1' })).status).toBe(403);
    expect((await signer(id))!.active).toBe(1);
    expect((await admin.post(`${SIGNERS}/${id}/deactivate`, { deactivate_reason: 'Chuyển công tác', version: '1' })).status).toBe(303);
    expect(await signer(id)).toMatchObject({ active: 0, deactivate_reason: 'Chuyển công tác' });
    const [entry] = await rows<{ action: string; reason: string }>(
      t,
      "select action, reason from audit_log where entity = 'organisation_signer' and entity_id = ? and action = 'deactivate'",
      String(id),
    );
    expect(entry).toEqual({ action: 'deactivate', reason: 'Chuyển công tác' });
    // a deactivated signer is neither edited nor deactivated again
    expect((await admin.post(`${SIGNERS}/${id}/deactivate`, { deactivate_reason: 'Lần nữa', version: '2' })).status).toBe(404);
    expect((await admin.post(`${SIGNERS}/${id}`, { full_name: 'X', position_title: 'Y', way: 'tl', version: '2' })).status).toBe(404);
    expect(textOf((await admin.get(SIGNERS)).text)).toContain('Chuyển công tác');
    await expect(run(t, 'delete from organisation_signers where id = ?', id)).rejects.toThrow(/never deleted/);
  });
});

describe('each organisation’s own signers', () => {
  it('another organisation neither lists, opens nor changes ours', async () => {
    const id = await lastId();
    const list = await otherAdmin.get(SIGNERS);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('Ngô Thị Hoa');
    expect((await otherAdmin.get(`${SIGNERS}/${id - 1}`)).status).toBe(404);
    expect((await otherAdmin.post(`${SIGNERS}/${id - 1}/deactivate`, { deactivate_reason: 'x', version: '2' })).status).toBe(404);
    // the other organisation's own signer is its own
    expect((await otherAdmin.post(SIGNERS, { full_name: 'Lê Thị Phó', position_title: 'PHÓ GIÁM ĐỐC', way: 'kt' })).status).toBe(303);
    expect((await signer(await lastId()))!.organisation_id).toBe(other.id);
    expect((await admin.get(SIGNERS)).text).not.toContain('Lê Thị Phó');
  });
});

describe('recipients per kind of document', () => {
  it('are stored per kind with an audit entry, shown again, and each organisation keeps its own', async () => {
    const page = await admin.get('/admin/organisation');
    expect(page.text).toContain('Báo cáo năm về HTQLCL');
    expect(page.text).toContain('name="recipients_apology"');
    const annual = 'UBND huyện Nghĩa Hưng (để báo cáo);\nSở Khoa học và Công nghệ;\nLưu: VT, ISO.';
    expect((await admin.post('/admin/organisation', await settings({ recipients_annual: annual, recipients_compliance: '' }))).status).toBe(303);
    expect(await rows(t, 'select organisation_id, kind, recipients from organisation_recipients order by kind')).toEqual([
      { organisation_id: 1, kind: 'annual', recipients: annual },
    ]);
    const [entry] = await rows<{ new_values: string; old_values: string }>(
      t,
      "select old_values, new_values from audit_log where entity = 'organisation_recipients'",
    );
    expect(JSON.parse(entry.old_values)).toEqual({ recipients_annual: '' });
    expect(JSON.parse(entry.new_values)).toEqual({ recipients_annual: annual });
    expect((await admin.get('/admin/organisation')).text).toContain('Sở Khoa học và Công nghệ;');
    // a form without the kinds (older than them) leaves them as they are
    expect((await admin.post('/admin/organisation', await settings())).status).toBe(303);
    expect(await rows(t, 'select kind from organisation_recipients')).toEqual([{ kind: 'annual' }]);
    expect((await otherAdmin.get('/admin/organisation')).text).not.toContain('Sở Khoa học và Công nghệ');
  });

  it('refuses a list too long next to its field, changing nothing', async () => {
    const res = await admin.post('/admin/organisation', await settings({ recipients_risks: 'x'.repeat(2001) }));
    expect(res.status).toBe(422);
    expect(fieldsWithErrors(res.text)).toEqual(['recipients_risks']);
    expect(await rows(t, "select kind from organisation_recipients where kind = 'risks'")).toEqual([]);
    expect((await quality.post('/admin/organisation', await settings({ recipients_risks: 'Lưu: VT' }))).status).toBe(403);
  });
});
