import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CodeTable } from '../../src/features/dossiers/dossiers.codes';
import { csvCell, csvLine } from '../../src/features/dossiers/dossiers.csv';
import { monthSpan, pagePeriod, parsePeriod, periodPresets } from '../../src/features/dossiers/dossiers.period';
import { monthsBetween, sumFigures, emptyFigures } from '../../src/features/dossiers/dossiers.figures';

describe('parsePeriod', () => {
  it('accepts inclusive YYYY-MM-DD dates that exist, in order', () => {
    expect(parsePeriod('2026-01-01', '2026-12-31')).toEqual({ ok: true, from: '2026-01-01', to: '2026-12-31' });
    expect(parsePeriod('2026-03-05', '2026-03-05')).toMatchObject({ ok: true });
  });
  it('names what is wrong', () => {
    expect(parsePeriod(undefined, '2026-01-01')).toMatchObject({ ok: false, problem: 'missing' });
    expect(parsePeriod('2026-01-01', '')).toMatchObject({ ok: false, problem: 'missing' });
    expect(parsePeriod('2026-1-1', '2026-01-02')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parsePeriod('2026-02-29', '2026-03-01')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parsePeriod(['2026-01-01', '2026-01-02'], '2026-03-01')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parsePeriod('2026-03-02', '2026-03-01')).toMatchObject({ ok: false, problem: 'inverted', message: 'from (2026-03-02) is after to (2026-03-01)' });
  });
  it('falls back to the year to date on pages', () => {
    expect(pagePeriod({}, '2026-11-26')).toEqual({ period: { from: '2026-01-01', to: '2026-11-26' } });
    expect(pagePeriod({ from: '2026-12-01', to: '2026-11-01' }, '2026-11-26')).toEqual({
      period: { from: '2026-01-01', to: '2026-11-26' },
      problem: 'dossiers.period_inverted',
    });
  });
  it('offers the usual periods', () => {
    expect(Object.fromEntries(periodPresets('2026-01-15').map((p) => [p.key, `${p.from}..${p.to}`]))).toEqual({
      this_month: '2026-01-01..2026-01-15',
      last_month: '2025-12-01..2025-12-31',
      this_quarter: '2026-01-01..2026-01-15',
      this_year: '2026-01-01..2026-01-15',
      last_12_months: '2025-01-16..2026-01-15',
      last_year: '2025-01-01..2025-12-31',
    });
    expect(periodPresets('2024-03-31').find((p) => p.key === 'last_month')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthSpan({ from: '2025-11-27', to: '2026-11-26' })).toBe(13);
    expect(monthsBetween('2025-11-27', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

describe('CSV cells', () => {
  it('quotes when needed and never lets a spreadsheet run a formula', () => {
    expect(csvCell('HS-001')).toBe('HS-001');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const danger of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(danger).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});

describe('CodeTable', () => {
  it('finds every code it holds, in insertion order, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 12 }), { maxLength: 300 }),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 50 }),
        (codes, others) => {
          const table = new CodeTable(4);
          codes.forEach((c, i) => expect(table.add(c)).toBe(i));
          codes.forEach((c, i) => {
            expect(table.find(c)).toBe(i);
            expect(table.codeAt(i)).toBe(c);
          });
          for (const o of others) expect(table.find(o)).toBe(codes.indexOf(o));
          expect(table.length).toBe(codes.length);
        },
      ),
    );
  });
});

describe('sumFigures', () => {
  it('adds counts and recomputes the rate', () => {
    const a = { ...emptyFigures(), resolved: 4, early: 1, onTime: 2, late: 1, received: 4 };
    const b = { ...emptyFigures(), resolved: 2, early: 2, received: 3, pending: 1, pendingOverdue: 1 };
    expect(sumFigures([a, b])).toMatchObject({ resolved: 6, early: 3, onTime: 2, late: 1, received: 7, pending: 1, pendingOverdue: 1, onTimeRate: 5 / 6 });
    expect(sumFigures([]).onTimeRate).toBeNull();
  });
});
