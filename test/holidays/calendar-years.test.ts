import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { cancelHoliday, createHoliday } from '../../src/features/holidays/holidays.service';
import { yearsOfRange, yearsWithoutCalendar } from '../../src/features/holidays/holidays.coverage';

/**
 * Issue 20 point 3: a calendar year without holidays is a warning, and the holidays page offers the next year's fixed
 * public holidays to confirm.
 *
 * Today is Thu 31/12/2026 (02:00Z = 09:00 local). 2026 has its holidays (02/09); 2027 has none. Procedure P2 takes
 * 2 working days. Dossier N1 received Wed 30/12/2026, pending: 31/12 (Thu) is day 1, 01/01/2027 (Fri, a working day
 * for lack of a 2027 calendar) is day 2 → due 01/01/2027, flagged. Once 2027's fixed holidays are confirmed:
 * 31/12 day 1, 01/01 holiday, 02/01 Sat, 03/01 Sun, 04/01 (Mon) day 2 → due 04/01/2027.
 * Dossier N2 (P2) received Mon 28/12/2026 with its due date 05/01/2027 given by the file: not computed, never moved.
 * Dossier N3 received Mon 21/12/2026: 22, 23 → due 23/12/2026, all in 2026: no warning.
 */
const CSV = `code,procedure_code,received_at,due_date,returned_at,outcome,channel
N1,P2,2026-12-30,,,,direct
N2,P2,2026-12-28,2027-01-05,,,direct
N3,P2,2026-12-21,,2026-12-23,returned,direct
`;

let t: TestApp;
let admin: SignedIn;
let quality: SignedIn;

const dossier = async (code: string) => (await rows<{ id: number; due_on: string }>(t, 'select id, due_on from dossiers where code = ?', code))[0];
const holidays2027 = async () =>
  await rows<{ date: string; kind: string; name: string }>(t, "select date, kind, name from holidays where date like '2027-%' and cancelled = 0 order by date");
const NO_CALENDAR = 'năm chưa có lịch ngày nghỉ lễ (2027)';

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-12-31T02:00:00Z');
  admin = await t.signIn('admin');
  quality = await t.signIn('quality_officer');
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1, national_code: null };
  await createProcedure(t.ctx, { ...base, code: 'P2', title: 'Thủ tục hai ngày', processing_days: 2 }, null);
  await createHoliday(t.ctx, { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh' }, null);
  expect(await importDossiers(t.ctx, { buffer: Buffer.from(CSV) }, { fileName: 'cuoi-nam.csv', actorId: null, via: 'cli' })).toMatchObject({ added: 3 });
});
afterAll(async () => t.close());

describe('yearsWithoutCalendar and yearsOfRange', () => {
  it('a year has a calendar when it has a non-cancelled holiday; a cancelled one or a make-up day alone does not count', async () => {
    const h2028 = await createHoliday(t.ctx, { date: '2028-01-01', kind: 'holiday', name: 'Tết Dương lịch' }, null);
    await cancelHoliday(t.ctx, h2028.id, 1, 'thử', t.users.admin);
    await createHoliday(t.ctx, { date: '2029-01-06', kind: 'workday', name: 'Làm bù thử' }, null);
    expect(await yearsWithoutCalendar(t.ctx.db, [2027, 2026, 2029, 2028, 2027])).toEqual([2027, 2028, 2029]);
    expect(await yearsWithoutCalendar(t.ctx.db, [2026])).toEqual([]);
    expect(await yearsWithoutCalendar(t.ctx.db, new Set<number>())).toEqual([]);
    expect(yearsOfRange('2026-12-30', '2027-01-04')).toEqual([2026, 2027]);
    expect(yearsOfRange('2026-01-01', '2026-12-31')).toEqual([2026]);
    expect(yearsOfRange('2027-01-01', '2026-12-31')).toEqual([]);
  });
});

describe('a due date in a year without a calendar', () => {
  it('is computed as if that year had no holiday, and flagged on the dossier page', async () => {
    expect((await dossier('N1')).due_on).toBe('2027-01-01');
    const page = await quality.get(`/dossiers/${(await dossier('N1')).id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('01/01/2027');
    expect(page.text).toContain(NO_CALENDAR);
  });

  it('is not flagged when the file gave it or when it stays within a year that has its calendar', async () => {
    expect((await quality.get(`/dossiers/${(await dossier('N2')).id}`)).text).not.toContain('chưa có lịch ngày nghỉ lễ');
    expect((await dossier('N3')).due_on).toBe('2026-12-23');
    expect((await quality.get(`/dossiers/${(await dossier('N3')).id}`)).text).not.toContain('chưa có lịch ngày nghỉ lễ');
  });

  it('is flagged on the dossiers list, as is a period that falls in a year without a calendar', async () => {
    const list = await quality.get('/dossiers?from=2026-12-01&to=2026-12-31');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Có hồ sơ có ngày hẹn trả trong năm chưa có lịch ngày nghỉ lễ (2027)');
    expect(list.text).not.toContain('Khoảng thời gian này có năm chưa có lịch');
    const past = await quality.get('/dossiers?from=2025-01-01&to=2025-12-31');
    expect(past.text).toContain('Khoảng thời gian này có năm chưa có lịch ngày nghỉ lễ (2025)');
    const en = await quality.get('/dossiers?from=2025-01-01&to=2025-12-31&lang=en');
    expect(en.text).toContain('This period includes a year whose public holidays are not declared (2025)');
    await quality.get('/dossiers?lang=vi');
  });
});

describe('the holidays page offers the next year’s fixed public holidays', () => {
  it('warns on a year without holidays and links to the offer of the next year', async () => {
    const page = await admin.get('/admin/holidays');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Năm 2027 còn 5 ngày nghỉ lễ cố định chưa khai báo.');
    expect(page.text).toContain('href="/admin/holidays/fixed?year=2027"');
    expect((await admin.get('/admin/holidays?year=2027')).text).toContain('Năm 2027 chưa có lịch ngày nghỉ lễ');
    expect((await admin.get('/admin/holidays?year=2026')).text).not.toContain('Năm 2026 chưa có lịch ngày nghỉ lễ');
  });

  it('is for admins only, for reading and for confirming', async () => {
    for (const who of [quality, await t.signIn('leader'), await t.signIn('staff')]) {
      expect((await who.get('/admin/holidays/fixed?year=2027')).status).toBe(403);
      expect((await who.post('/admin/holidays/fixed', { year: '2027', fixed: ['01-01'] })).status).toBe(403);
    }
    const noToken = await admin.agent.post('/admin/holidays/fixed').type('form').send({ year: '2027', fixed: '01-01' });
    expect(noToken.status).toBe(403);
    expect(await holidays2027()).toEqual([]);
  });

  it('lists the fixed dates with checkboxes, shows one already declared as such, and says lunar dates are entered by hand', async () => {
    await createHoliday(t.ctx, { date: '2027-04-30', kind: 'holiday', name: 'Ngày Chiến thắng' }, t.users.admin);
    const form = await admin.get('/admin/holidays/fixed?year=2027');
    expect(form.status).toBe(200);
    for (const v of ['01-01', '05-01', '09-02']) expect(form.text).toContain(`name="fixed" value="${v}" checked`);
    expect(form.text).not.toContain('value="04-30"');
    expect(form.text).toMatch(/data-date="2027-04-30" data-state="declared">✓ 30\/04\/2027 — Ngày Chiến thắng <span[^>]*>đã khai báo/);
    expect(form.text).toContain('name="adjacent" value="09-01"');
    expect(form.text).toContain('name="adjacent" value="09-03"');
    expect(form.text).toContain('01/01/2027 — Tết Dương lịch (Thứ Sáu)');
    expect(form.text).toContain('Tết Nguyên đán và Giỗ Tổ Hùng Vương theo âm lịch');
  });

  it('refuses a confirmation with nothing chosen or a date it does not offer, with 422 and nothing written', async () => {
    const none = await admin.post('/admin/holidays/fixed', { year: '2027' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Hãy chọn ít nhất một ngày.');
    expect((await admin.post('/admin/holidays/fixed', { year: '2027', fixed: ['12-25'] })).status).toBe(422);
    expect((await admin.post('/admin/holidays/fixed', { year: '2027', adjacent: '09-04' })).status).toBe(422);
    expect((await admin.post('/admin/holidays/fixed', { year: 'x', fixed: ['01-01'] })).status).toBe(422);
    expect((await admin.post('/admin/holidays/fixed', { year: '2027', fixed: ['01-01'], extra: '1' })).status).toBe(422);
    expect(await holidays2027()).toEqual([{ date: '2027-04-30', kind: 'holiday', name: 'Ngày Chiến thắng' }]);
  });

  it('writes the chosen dates in one transaction with their audit entries, never twice, and the due dates follow', async () => {
    const res = await admin.post('/admin/holidays/fixed', { year: '2027', fixed: ['01-01', '04-30', '05-01', '09-02'], adjacent: '09-03' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/holidays?year=2027');
    expect(await holidays2027()).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: 'Tết Dương lịch' },
      { date: '2027-04-30', kind: 'holiday', name: 'Ngày Chiến thắng' },
      { date: '2027-05-01', kind: 'holiday', name: 'Ngày Quốc tế Lao động' },
      { date: '2027-09-02', kind: 'holiday', name: 'Quốc khánh' },
      { date: '2027-09-03', kind: 'holiday', name: 'Quốc khánh (ngày liền kề)' },
    ]);
    const audit = (
      await rows<{ user_id: number; new_values: string }>(
        t,
        "select user_id, new_values from audit_log where entity = 'holiday' and action = 'create' and new_values like '%2027-0%' and user_id = ? order by id",
        t.users.admin,
      )
    ).map((r) => JSON.parse(r.new_values) as { date: string; dossiersMoved: number });
    expect(audit.map((a) => [a.date, a.dossiersMoved])).toEqual([
      ['2027-04-30', 0], // declared by hand before
      ['2027-01-01', 1], // N1
      ['2027-05-01', 0],
      ['2027-09-02', 0],
      ['2027-09-03', 0],
    ]);
    expect((await dossier('N1')).due_on).toBe('2027-01-04');
    expect((await dossier('N2')).due_on).toBe('2027-01-05');
    const page = await admin.get('/admin/holidays?year=2027');
    expect(page.text).toContain('Đã thêm 4 ngày nghỉ lễ (1 ngày đã có từ trước). 1 hồ sơ được tính lại ngày hẹn trả.');
    expect(page.text).not.toContain('Năm 2027 chưa có lịch ngày nghỉ lễ');
    expect(page.text).not.toContain('ngày nghỉ lễ cố định chưa khai báo');
    const show = await quality.get(`/dossiers/${(await dossier('N1')).id}`);
    expect(show.text).toContain('04/01/2027');
    expect(show.text).not.toContain('chưa có lịch ngày nghỉ lễ');
    expect((await quality.get('/dossiers?from=2026-12-01&to=2026-12-31')).text).not.toContain('chưa có lịch ngày nghỉ lễ');
    expect((await admin.get('/admin/holidays/fixed?year=2027')).text).toContain('Mọi ngày nghỉ lễ cố định của năm 2027 đã được khai báo.');
    // a second confirmation adds nothing
    expect((await admin.post('/admin/holidays/fixed', { year: '2027', fixed: ['01-01'] })).status).toBe(303);
    expect(await holidays2027()).toHaveLength(5);
  });
});
