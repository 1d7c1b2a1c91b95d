import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import type { AppContext } from '../../src/core/context';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { importHolidaysFile } from '../../src/features/holidays/holidays.cli';
import { loadWorkCalendar } from '../../src/features/holidays/holidays.calendar';
import { yearsWithoutCalendar } from '../../src/features/holidays/holidays.coverage';

/**
 * Organisations and the working-day calendar: everyone's days (organisation_id NULL, the country's calendar, from the
 * CLI's import without --org) count for every organisation; an organisation's own days (its admin's page, or the
 * CLI with --org) count for it alone, its own entry of a date in place of everyone's. Due dates computed for a
 * dossier follow its organisation's calendar.
 *
 * March 2026: Fri 6, Sat 7, Sun 8, Mon 9, Tue 10, Wed 11, Thu 12, Fri 13, Sat 14, Sun 15, Mon 16. A dossier D of a
 * 3-day procedure P3 received Fri 06 in each organisation: due 09, 10, 11 → Wed 11.
 */
let t: TestApp;
let b: OtherOrganisation;
let adminA: SignedIn;
let adminB: SignedIn;

const dueOf = async (organisation: number) =>
  (await one<{ due_on: string }>(t, "select due_on from dossiers where organisation_id = ? and code = 'D'", organisation))!.due_on;
const holidayRows = async () =>
  await rows<{ id: number; date: string; kind: string; organisation_id: number | null; cancelled: number }>(
    t,
    'select id, date, kind, organisation_id, cancelled from holidays order by id',
  );
const csv = (name: string, body: string) => {
  const path = join(t.dir, name);
  writeFileSync(path, `date,kind,name\n${body}`);
  return path;
};

async function seed(ctx: AppContext): Promise<void> {
  const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1, national_code: null };
  await createProcedure(ctx, { ...base, code: 'P3', title: 'Thủ tục 3 ngày', processing_days: 3 }, null);
  const file = 'code,procedure_code,received_at,due_date,returned_at,outcome,channel\nD,P3,2026-03-06,,,,direct\n';
  await importDossiers(ctx, { buffer: Buffer.from(file) }, { fileName: 'd.csv', actorId: null, via: 'cli' });
}

beforeAll(async () => {
  t = await createTestApp();
  b = await addOrganisation(t, 'SOB');
  adminA = await t.signIn('admin');
  adminB = await t.signIn(b.usernames.admin);
  await seed(t.ctx);
  await seed(b.ctx);
});
afterAll(async () => t.close());

describe("everyone's days and an organisation's own", () => {
  it('both organisations compute the same due date with the same code (D of P3: Wed 11)', async () => {
    expect(await dueOf(1)).toBe('2026-03-11');
    expect(await dueOf(b.id)).toBe('2026-03-11');
  });

  it("a day of everyone (the CLI's import without --org) counts for every organisation and moves both dossiers", async () => {
    const out = await importHolidaysFile(t.appCtx, csv('everyone.csv', '2026-03-10,holiday,Ngày chung\n2026-03-14,workday,Làm bù chung\n'), 'everyone.csv');
    expect(out).toBe('everyone.csv (everyone’s days): 2 rows — 2 added, 0 updated, 0 unchanged; due dates of 2 dossiers recomputed');
    expect(await holidayRows()).toMatchObject([
      { date: '2026-03-10', kind: 'holiday', organisation_id: null },
      { date: '2026-03-14', kind: 'workday', organisation_id: null },
    ]);
    expect(await dueOf(1)).toBe('2026-03-12');
    expect(await dueOf(b.id)).toBe('2026-03-12');
    for (const ctx of [t.ctx, b.ctx]) {
      const cal = await loadWorkCalendar(ctx.db);
      expect(cal.isWorkingDay('2026-03-10')).toBe(false);
      expect(cal.isWorkingDay('2026-03-14')).toBe(true);
    }
  });

  it("B's own day, added through B's admin's form, counts for B alone and moves B's dossier only", async () => {
    const res = await adminB.post('/admin/holidays', { date: '2026-03-09', kind: 'holiday', name: 'Ngày riêng của B' });
    expect(res.status).toBe(303);
    const own = (await holidayRows()).filter((h) => h.date === '2026-03-09');
    expect(own).toMatchObject([{ organisation_id: b.id, kind: 'holiday', cancelled: 0 }]);
    expect(await dueOf(b.id)).toBe('2026-03-13');
    expect(await dueOf(1)).toBe('2026-03-12');
    expect((await loadWorkCalendar(b.ctx.db)).isWorkingDay('2026-03-09')).toBe(false);
    expect((await loadWorkCalendar(t.ctx.db)).isWorkingDay('2026-03-09')).toBe(true);
    // The entry's audit record is B's.
    const audit = await one<{ organisation_id: number }>(
      t,
      "select organisation_id from audit_log where entity = 'holiday' and entity_id = ?",
      String(own[0].id),
    );
    expect(audit?.organisation_id).toBe(b.id);
  });

  it("an organisation's own entry of a date replaces everyone's entry of that date, for it alone", async () => {
    // Everyone works on Saturday 14/03; B declares it a day off for itself (a date everyone has is not "taken").
    expect((await adminB.post('/admin/holidays', { date: '2026-03-14', kind: 'holiday', name: 'B nghỉ' })).status).toBe(303);
    expect((await loadWorkCalendar(b.ctx.db)).isWorkingDay('2026-03-14')).toBe(false);
    expect((await loadWorkCalendar(t.ctx.db)).isWorkingDay('2026-03-14')).toBe(true);
    // B's page: everyone's 14/03 marked as replaced, B's own one editable.
    const page = await adminB.get('/admin/holidays?year=2026');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Thay bằng ngày riêng của đơn vị');
    expect(page.text).toContain('B nghỉ');
  });

  it("A's page lists everyone's days and A's own, marked, never B's; only A's own days have edit links", async () => {
    expect((await adminA.post('/admin/holidays', { date: '2026-03-16', kind: 'holiday', name: 'Ngày riêng của A' })).status).toBe(303);
    const page = await adminA.get('/admin/holidays?year=2026');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ngày chung');
    expect(page.text).toContain('Ngày riêng của A');
    expect(page.text).not.toContain('Ngày riêng của B');
    expect(page.text).not.toContain('B nghỉ');
    const all = await holidayRows();
    const everyone = all.find((h) => h.date === '2026-03-10')!;
    const ownA = all.find((h) => h.date === '2026-03-16')!;
    expect(ownA.organisation_id).toBe(1);
    expect(page.text).toContain(`/admin/holidays/${ownA.id}/edit`);
    expect(page.text).not.toContain(`/admin/holidays/${everyone.id}/edit`);
    expect(page.text.match(/data-whose="everyone"/g)).toHaveLength(2);
    expect(page.text.match(/data-whose="own"/g)).toHaveLength(1);
    expect(page.text).toContain('2 ngày nghỉ lễ, 1 ngày làm bù đang áp dụng');
  });

  it("A's admin gets 404 for B's days and for everyone's days, reading and posting, and nothing changes", async () => {
    const all = await holidayRows();
    const ofB = all.find((h) => h.organisation_id === b.id)!;
    const everyone = all.find((h) => h.organisation_id === null)!;
    for (const h of [ofB, everyone]) {
      expect((await adminA.get(`/admin/holidays/${h.id}/edit`)).status).toBe(404);
      expect((await adminA.get(`/admin/holidays/${h.id}/cancel`)).status).toBe(404);
      expect((await adminA.post(`/admin/holidays/${h.id}`, { date: h.date, kind: 'holiday', name: 'đổi', version: '1' })).status).toBe(404);
      expect((await adminA.post(`/admin/holidays/${h.id}/cancel`, { version: '1', reason: 'thử' })).status).toBe(404);
    }
    expect(await holidayRows()).toEqual(all);
  });

  it('both organisations may declare their own entry of the same date', async () => {
    expect((await adminA.post('/admin/holidays', { date: '2026-03-09', kind: 'holiday', name: 'A cũng nghỉ' })).status).toBe(303);
    const ninth = (await holidayRows()).filter((h) => h.date === '2026-03-09');
    expect(ninth.map((h) => h.organisation_id)).toEqual([b.id, 1]);
    // A second entry of the same owner is still refused.
    expect((await adminA.post('/admin/holidays', { date: '2026-03-09', kind: 'holiday', name: 'Trùng' })).status).toBe(422);
  });

  it("the CLI with --org (a handle scoped to the organisation) imports that organisation's own days", async () => {
    const out = await importHolidaysFile(b.ctx, csv('b.csv', '2027-01-01,holiday,Tết của B\n'), 'b.csv');
    expect(out).toBe('b.csv: 1 rows — 1 added, 0 updated, 0 unchanged');
    expect(await holidayRows()).toContainEqual(expect.objectContaining({ date: '2027-01-01', organisation_id: b.id }));
    // A year has a calendar for an organisation when its own days or everyone's hold a holiday.
    expect(await yearsWithoutCalendar(b.ctx.db, [2026, 2027, 2028])).toEqual([2028]);
    expect(await yearsWithoutCalendar(t.ctx.db, [2026, 2027, 2028])).toEqual([2027, 2028]);
    await importHolidaysFile(t.appCtx, csv('e2028.csv', '2028-01-01,holiday,Tết Dương lịch\n'), 'e2028.csv');
    expect(await yearsWithoutCalendar(t.ctx.db, [2027, 2028])).toEqual([2027]);
    expect(await yearsWithoutCalendar(b.ctx.db, [2027, 2028])).toEqual([]);
  });
});
