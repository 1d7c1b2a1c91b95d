import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRID_ALL_UP_TO, statusGrid } from '../../src/features/dashboard/dashboard.view';
import { createTestApp, type TestApp } from '../support/app';
import { procedure } from '../reports/fixtures';

type Status = 'non_compliant' | 'attention' | 'compliant';
const rows = (n: number, status: (i: number) => Status) =>
  Array.from({ length: n }, (_, i) => ({ code: `QT-${String(n - i).padStart(4, '0')}`, status: status(i) }));

describe("the leader's procedure tiles", () => {
  it('shows every procedure of an office, non-compliant first, then attention, then compliant, each by code', () => {
    const { shown, hidden } = statusGrid(rows(5, (i) => (['compliant', 'attention', 'non_compliant', 'compliant', 'attention'] as const)[i]));
    expect(shown.map((r) => `${r.status} ${r.code}`)).toEqual([
      'non_compliant QT-0003',
      'attention QT-0001',
      'attention QT-0004',
      'compliant QT-0002',
      'compliant QT-0005',
    ]);
    expect(hidden).toBe(0);
    expect(statusGrid(rows(GRID_ALL_UP_TO, () => 'compliant')).shown).toHaveLength(GRID_ALL_UP_TO);
  });

  it('shows only those needing attention beyond that, at most the same number, and counts the rest', () => {
    const many = statusGrid(rows(2000, (i) => (i % 250 === 0 ? 'non_compliant' : i % 100 === 1 ? 'attention' : 'compliant')));
    expect(many.shown.map((r) => r.status)).toEqual([...Array(8).fill('non_compliant'), ...Array(20).fill('attention')]);
    expect(many.hidden).toBe(2000 - 28);
    const worse = statusGrid(rows(GRID_ALL_UP_TO + 1, () => 'non_compliant'));
    expect(worse.shown).toHaveLength(GRID_ALL_UP_TO);
    expect(worse.hidden).toBe(1);
  });
});

describe("the leader's home page at province scale", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    for (let i = 1; i <= GRID_ALL_UP_TO + 1; i++) await procedure(t, `QT-P-${String(i).padStart(3, '0')}`);
  });
  afterAll(async () => t.close());

  it('shows 60 tiles and says how many it leaves to the summary report', async () => {
    const html = (await (await t.signIn('leader')).get('/')).text;
    expect((html.match(/data-status="non_compliant"/g) ?? []).length).toBe(GRID_ALL_UP_TO);
    expect(html).toContain('data-hidden="1"');
    expect(html).toContain('1 quy trình khác không hiển thị ở đây (được tính trong biểu đồ); xem bảng tổng hợp chi tiết.');
  });
});
