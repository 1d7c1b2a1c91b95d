import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { ImportRowsError, formatRowError } from '../../src/core/import';
import { computeDueDate } from '../../src/core/calendar';
import { loadWorkCalendar } from '../../src/features/holidays/holidays.calendar';
import { importHolidaysFile } from '../../src/features/holidays/holidays.cli';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(async () => t.close());

const holidayRows = async () =>
  await rows<{ id: number; date: string; kind: string; name: string; cancelled: number; cancelled_reason: string | null; version: number }>(
    t,
    'select id, date, kind, name, cancelled, cancelled_reason, version from holidays order by id',
  );
const auditOf = async (action: string) =>
  await rows<{ user_id: number | null; entity_id: string; old_values: string | null; new_values: string | null; reason: string | null }>(
    t,
    "select user_id, entity_id, old_values, new_values, reason from audit_log where entity = 'holiday' and action = ? order by id",
    action,
  );

describe('admin pages', () => {
  it('are for admins only', async () => {
    for (const role of ['quality_officer', 'leader', 'staff'] as const) {
      const who = await t.signIn(role);
      expect((await who.get('/admin/holidays')).status).toBe(403);
      expect((await who.post('/admin/holidays', { date: '2026-09-02', kind: 'holiday', name: 'x' })).status).toBe(403);
    }
    expect(await holidayRows()).toEqual([]);
  });

  it('shows an empty year with what to do next', async () => {
    const page = await admin.get('/admin/holidays?year=2026');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Chưa khai báo ngày nghỉ lễ hay ngày làm bù nào cho năm 2026');
  });

  it('adds a holiday and a make-up Saturday, each with its audit entry', async () => {
    const a = await admin.post('/admin/holidays', { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh' });
    expect(a.status).toBe(303);
    expect(a.headers.location).toBe('/admin/holidays?year=2026');
    const b = await admin.post('/admin/holidays', { date: '2026-01-10', kind: 'workday', name: 'Làm bù cho 02/01' });
    expect(b.status).toBe(303);
    expect(await holidayRows()).toMatchObject([
      { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh', cancelled: 0 },
      { date: '2026-01-10', kind: 'workday', name: 'Làm bù cho 02/01', cancelled: 0 },
    ]);
    const created = await auditOf('create');
    expect(created).toHaveLength(2);
    expect(created[0].user_id).toBe(t.users.admin);
    expect(JSON.parse(created[0].new_values!)).toEqual({ date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh', dossiersMoved: 0 });
    const page = await admin.get('/admin/holidays?year=2026');
    expect(page.text).toContain('02/09/2026');
    expect(page.text).toContain('Thứ Tư');
    expect(page.text).toContain('Ngày làm bù');
  });

  it('refuses a second entry for the same date, a weekday make-up day, and bad input, with 422 and the values kept', async () => {
    const same = await admin.post('/admin/holidays', { date: '2026-09-02', kind: 'holiday', name: 'Trùng' });
    expect(same.status).toBe(422);
    expect(same.text).toContain('Ngày này đã được khai báo');
    expect(same.text).toContain('value="Trùng"');
    const weekday = await admin.post('/admin/holidays', { date: '2026-09-03', kind: 'workday', name: '' });
    expect(weekday.status).toBe(422);
    expect(weekday.text).toContain('Ngày làm bù phải là thứ Bảy hoặc Chủ nhật');
    expect((await admin.post('/admin/holidays', { date: '2026-02-30', kind: 'holiday' })).status).toBe(422);
    expect((await admin.post('/admin/holidays', { date: '2026-09-04', kind: 'vacation' })).status).toBe(422);
    expect((await admin.post('/admin/holidays', { date: '2026-09-04', kind: 'holiday', name: 'x'.repeat(201) })).status).toBe(422);
    expect((await admin.post('/admin/holidays', { date: '2026-09-04', kind: 'holiday', extra: '1' })).status).toBe(422);
    expect((await admin.post('/admin/holidays', { date: '2026-09-04', kind: 'holiday', version: '99' })).status).toBe(422);
    expect(await holidayRows()).toHaveLength(2);
  });

  it('edits with optimistic locking: a stale version is a 409 and changes nothing', async () => {
    const [h] = await holidayRows();
    const form = await admin.get(`/admin/holidays/${h.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="2026-09-02"');
    expect((await admin.get(`/admin/holidays/${h.id}/cancel`)).status).toBe(200);
    expect((await admin.get('/admin/holidays/999/edit')).status).toBe(404);
    const ok = await admin.post(`/admin/holidays/${h.id}`, { date: '2026-09-01', kind: 'holiday', name: 'Quốc khánh (liền kề)', version: String(h.version) });
    expect(ok.status).toBe(303);
    expect((await holidayRows())[0]).toMatchObject({ date: '2026-09-01', name: 'Quốc khánh (liền kề)', version: 2 });
    expect((await admin.post(`/admin/holidays/${h.id}`, { date: '2026-09-02', kind: 'holiday', name: 'Không có phiên bản' })).status).toBe(422);
    const stale = await admin.post(`/admin/holidays/${h.id}`, { date: '2026-09-02', kind: 'holiday', name: 'Cũ', version: '1' });
    expect(stale.status).toBe(409);
    expect((await holidayRows())[0]).toMatchObject({ date: '2026-09-01', version: 2 });
    const updated = await auditOf('update');
    expect(updated).toHaveLength(1);
    expect(JSON.parse(updated[0].old_values!)).toMatchObject({ date: '2026-09-02' });
  });

  it('cancels with a reason (kept and flagged, never deleted) and the calendar stops counting it', async () => {
    await admin.post('/admin/holidays', { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh' });
    const h = (await holidayRows()).find((x) => x.date === '2026-09-02')!;
    expect((await loadWorkCalendar(t.ctx.db)).isWorkingDay('2026-09-02')).toBe(false);
    const noReason = await admin.post(`/admin/holidays/${h.id}/cancel`, { version: String(h.version), reason: '' });
    expect(noReason.status).toBe(422);
    const res = await admin.post(`/admin/holidays/${h.id}/cancel`, { version: String(h.version), reason: 'Nhập nhầm ngày' });
    expect(res.status).toBe(303);
    expect((await holidayRows()).find((x) => x.id === h.id)).toMatchObject({ cancelled: 1, cancelled_reason: 'Nhập nhầm ngày' });
    expect(await auditOf('cancel')).toMatchObject([{ user_id: t.users.admin, entity_id: String(h.id), reason: 'Nhập nhầm ngày' }]);
    expect((await loadWorkCalendar(t.ctx.db)).isWorkingDay('2026-09-02')).toBe(true);
    expect((await admin.post(`/admin/holidays/${h.id}/cancel`, { version: String(h.version + 1), reason: 'again' })).status).toBe(409);
    const page = await admin.get('/admin/holidays?year=2026');
    expect(page.text).toContain('Đã hủy');
    expect(page.text).toContain('Nhập nhầm ngày');
    // the date can be declared again
    expect((await admin.post('/admin/holidays', { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh' })).status).toBe(303);
  });
});

describe('loadWorkCalendar', () => {
  it('builds the working-day calendar: holidays skipped, the make-up Saturday counted', async () => {
    const cal = await loadWorkCalendar(t.ctx.db);
    expect(cal.isWorkingDay('2026-01-10')).toBe(true); // make-up Saturday
    expect(cal.isWorkingDay('2026-01-17')).toBe(false); // ordinary Saturday
    expect(cal.isWorkingDay('2026-09-01')).toBe(false);
    // Fri 9 Jan + 1 working day = Sat 10 Jan (make-up); Mon 31 Aug + 2 = Fri 4 Sep (1 and 2 Sep are holidays)
    expect(computeDueDate('2026-01-09', 1, cal)).toBe('2026-01-10');
    expect(computeDueDate('2026-08-31', 2, cal)).toBe('2026-09-04');
  });
});

describe('import (CLI and upload)', () => {
  it('imports all or nothing, listing every wrong row', async () => {
    const path = join(t.dir, 'holidays.csv');
    writeFileSync(
      path,
      ['date;kind;name', '2025-13-01;holiday;x', '2025-01-01;vacation;y', '2025-04-30;holiday;a', '30/04/2025;nghỉ;b', '2025-05-02;workday;c'].join('\n'),
    );
    const before = await holidayRows();
    const err = await importHolidaysFile(t.ctx, path, 'holidays.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRowsError);
    expect((err as ImportRowsError).errors).toEqual([
      { row: 2, column: 'date', code: 'date_invalid_date', params: { value: '2025-13-01' } },
      { row: 3, column: 'kind', code: 'holiday_kind_invalid', params: { value: 'vacation' } },
      { row: 5, column: 'date', code: 'repeats_row', params: { other: 4 } },
      { row: 6, column: 'kind', code: 'workday_not_weekend' },
    ]);
    expect(formatRowError((err as ImportRowsError).errors[3], 'vi', (err as ImportRowsError).labels)).toBe(
      'Dòng 6, cột kind: ngày làm bù phải là thứ Bảy hoặc Chủ nhật',
    );
    expect(await holidayRows()).toEqual(before);
  });

  it('adds, updates by date, leaves the same alone; a re-import changes nothing', async () => {
    const path = join(t.dir, 'ngay-nghi.csv');
    const text = ['\uFEFFNgày,Loại,Tên', '01/01/2025,nghỉ,Tết Dương lịch', '2025-04-26,làm bù,Làm bù cho 02/5', '2026-09-01,holiday,Quốc khánh (liền kề)'].join(
      '\r\n',
    );
    writeFileSync(path, text);
    expect(await importHolidaysFile(t.ctx, path, 'ngay-nghi.csv')).toBe('ngay-nghi.csv: 3 rows — 2 added, 0 updated, 1 unchanged');
    const snapshot = await holidayRows();
    expect(await importHolidaysFile(t.ctx, path, 'ngay-nghi.csv')).toBe('ngay-nghi.csv: 3 rows — 0 added, 0 updated, 3 unchanged');
    expect(await holidayRows()).toEqual(snapshot);
    writeFileSync(path, 'date,kind,name\n2025-01-01,holiday,Tết Dương lịch 2025\n');
    expect(await importHolidaysFile(t.ctx, path, 'ngay-nghi.csv')).toBe('ngay-nghi.csv: 1 rows — 0 added, 1 updated, 0 unchanged');
    expect((await holidayRows()).find((h) => h.date === '2025-01-01')).toMatchObject({ kind: 'holiday', name: 'Tết Dương lịch 2025' });
    expect((await auditOf('import')).map((a) => a.reason)).toEqual(['ngay-nghi.csv', 'ngay-nghi.csv', 'ngay-nghi.csv']);
  });

  it('takes an uploaded file and shows the wrong rows on the page', async () => {
    const ok = await admin.agent
      .post(`/admin/holidays/import`)
      .field('_csrf', admin.csrf)
      .attach('file', Buffer.from('date,kind\n2025-09-01,holiday\n2025-09-02,holiday\n'), 'quoc-khanh.csv');
    expect(ok.status).toBe(303);
    expect((await holidayRows()).filter((h) => h.date.startsWith('2025-09'))).toHaveLength(2);
    expect((await auditOf('import')).filter((a) => a.reason === 'quoc-khanh.csv')).toMatchObject([{ user_id: t.users.admin }, { user_id: t.users.admin }]);
    const bad = await admin.agent
      .post(`/admin/holidays/import`)
      .field('_csrf', admin.csrf)
      .attach('file', Buffer.from('date,kind\n2025-02-30,holiday\n'), 'sai.csv');
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/(row|dòng) 2, (column|cột) date:/i); // the import errors are worded in the user's language
  });
});
