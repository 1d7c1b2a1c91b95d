import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countProcedures, insertProcedure, listProcedurePage, listProcedures, type ProcedureFilter } from '../../src/features/procedures/procedures.queries';
import { createTestApp, run, type TestApp } from '../support/app';

/**
 * The register page's statement (listProcedurePage): its rows are the plain list's, with the columns the page shows,
 * and its total (a window count over the matches) is the count of every procedure the filter matches, on every page,
 * past the last page too (counted then: no row carries it).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const at = t.clock.now().toISOString();
  for (let i = 1; i <= 23; i++) {
    await insertProcedure(
      t.ctx.db,
      {
        code: `QT-R-${String(i).padStart(2, '0')}`,
        title: i % 3 === 0 ? `Đăng ký kết hôn ${i}` : `Trợ cấp xã hội ${i}`,
        field: i % 2 === 0 ? 'Hộ tịch' : 'Bảo trợ xã hội',
        national_code: i % 4 === 0 ? `1.00${i}` : null,
        processing_days: i % 5 === 0 ? null : i,
        online_level: i % 2 === 0 ? 'full' : 'partial',
        unit_id: i % 2 === 0 ? t.units.main : null,
        on_time_target: 1,
        kind: i % 7 === 0 ? 'internal' : 'administrative',
      },
      at,
    );
  }
  await run(t, "update procedures set status = 'retired', retired_reason = 'x', retired_at = ? where code in ('QT-R-05', 'QT-R-06')", at);
});
afterAll(async () => t.close());

const SHOWN = ['id', 'code', 'title', 'field', 'national_code', 'processing_days', 'online_level', 'kind', 'status', 'unit_code'] as const;
const pick = (r: Record<string, unknown>) => Object.fromEntries(SHOWN.map((k) => [k, r[k]]));

const FILTERS: ProcedureFilter[] = [
  {},
  { status: 'active' },
  { status: 'retired' },
  { q: 'dang ky' },
  { q: 'ĐĂNG KÝ', status: 'active' },
  { q: 'tro cap', field: 'Bảo trợ xã hội' },
  { kind: 'internal' },
  { q: 'không có' },
];

describe('the procedures register page', () => {
  it.each(FILTERS)('pages of 5 and their total equal the plain list and count (%j)', async (filter) => {
    const total = await countProcedures(t.ctx.db, filter);
    for (let offset = 0; offset <= total + 10; offset += 5) {
      const page = await listProcedurePage(t.ctx.db, filter, 5, offset);
      const plain = await listProcedures(t.ctx.db, filter, 5, offset);
      expect({ offset, rows: page.rows.map(pick), total: page.total }).toEqual({ offset, rows: plain.map(pick), total });
    }
  });

  it('shows the total and the rows of a search, and a page past the last one says how many there are', async () => {
    const staff = await t.signIn('staff');
    const found = await staff.get('/procedures?q=dang%20ky');
    expect(found.status).toBe(200);
    expect(found.text).toContain('<td><a href="/procedures/');
    expect(found.text).toContain('<code>QT-R-03</code>');
    expect(found.text).toContain('Đăng ký kết hôn 21');
    expect(found.text).not.toContain('Trợ cấp xã hội 1<');
    const count = await countProcedures(t.ctx.db, { q: 'dang ky', status: 'active' });
    expect(count).toBe(6);
    expect(found.text).toMatch(/<p class="count">[^<]*6[^<]*<\/p>/);
    const past = await staff.get('/procedures?q=dang%20ky&page=3');
    expect(past.status).toBe(200);
    expect(past.text).toMatch(/<p class="count">[^<]*6[^<]*<\/p>/);
  });
});
