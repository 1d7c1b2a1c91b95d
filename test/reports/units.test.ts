import { describe, expect, it } from 'vitest';
import { barChart, columnChart } from '../../src/core/views/charts';
import { csvCell, safeFileName, toCsv } from '../../src/features/reports/reports.csv';
import { dateLineParts, letterheadOf, withNumber } from '../../src/features/organisation/organisation.print';
import { monthsOf, parsePeriod, presetOf, presetPeriods } from '../../src/features/reports/reports.periods';

describe('report periods', () => {
  it('accepts two real dates in order, inclusive of a one-day period', () => {
    expect(parsePeriod('2026-01-01', '2026-03-31')).toEqual({ period: { from: '2026-01-01', to: '2026-03-31' } });
    expect(parsePeriod('2026-02-28', '2026-02-28')).toEqual({ period: { from: '2026-02-28', to: '2026-02-28' } });
  });

  it('names the problem of a missing, repeated, malformed or inverted period', () => {
    expect(parsePeriod(undefined, '2026-01-01')).toEqual({ problem: { key: 'reports.period.missing', params: { name: 'from' } } });
    expect(parsePeriod('2026-01-01', '')).toEqual({ problem: { key: 'reports.period.missing', params: { name: 'to' } } });
    expect(parsePeriod(['2026-01-01', '2026-01-02'], '2026-03-01')).toMatchObject({ problem: { key: 'reports.period.repeated' } });
    expect(parsePeriod('2026-02-29', '2026-03-01')).toMatchObject({
      problem: { key: 'reports.period.malformed', params: { name: 'from', value: '2026-02-29' } },
    });
    expect(parsePeriod('01/02/2026', '2026-03-01')).toMatchObject({ problem: { key: 'reports.period.malformed' } });
    expect(parsePeriod('2026-03-02', '2026-03-01')).toEqual({ problem: { key: 'reports.period.inverted', params: { from: '2026-03-02', to: '2026-03-01' } } });
  });

  it('computes the presets from the local today, running periods ending today', () => {
    const at = (today: string) => Object.fromEntries(presetPeriods(today).map((p) => [p.id, `${p.from}..${p.to}`]));
    expect(at('2026-11-26')).toEqual({
      this_quarter: '2026-10-01..2026-11-26',
      last_quarter: '2026-07-01..2026-09-30',
      first_half: '2026-01-01..2026-06-30',
      second_half: '2026-07-01..2026-11-26',
      this_year: '2026-01-01..2026-11-26',
      last_year: '2025-01-01..2025-12-31',
    });
    expect(at('2026-02-10')).toEqual({
      this_quarter: '2026-01-01..2026-02-10',
      last_quarter: '2025-10-01..2025-12-31',
      first_half: '2026-01-01..2026-02-10',
      second_half: '2025-07-01..2025-12-31',
      this_year: '2026-01-01..2026-02-10',
      last_year: '2025-01-01..2025-12-31',
    });
    expect(presetOf({ from: '2025-01-01', to: '2025-12-31' }, '2026-02-10')).toBe('last_year');
    expect(presetOf({ from: '2025-01-02', to: '2025-12-31' }, '2026-02-10')).toBeUndefined();
  });

  it('lists the months a period touches', () => {
    expect(monthsOf({ from: '2025-11-15', to: '2026-02-01' })).toEqual(['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']);
  });
});

describe('letterhead', () => {
  it('takes the number and symbol entered once: "215/BC-LĐTBXH" is the number 215 with that symbol, never the symbol twice', () => {
    const org = {
      name: 'Phòng Lao động - Thương binh và Xã hội',
      parent_agency: 'UBND huyện Nghĩa Hưng',
      place_name: 'Nghĩa Hưng',
      report_number_suffix: 'LĐTBXH',
      signer_title: 'TRƯỞNG PHÒNG',
      signer_name: 'Phạm Văn Minh',
      recipients: '',
    };
    expect(letterheadOf(org, '2026-12-05', '215/BC-LĐTBXH')).toMatchObject({ numberText: '215', numberSuffix: 'BC-LĐTBXH' });
    expect(letterheadOf(org, '2026-12-05', ' 215 / BC-UBND ')).toMatchObject({ numberText: '215', numberSuffix: 'BC-UBND' });
    expect(letterheadOf(org, '2026-12-05', '215')).toMatchObject({ numberText: '215', numberSuffix: 'BC-LĐTBXH' });
    expect(letterheadOf(org, '2026-12-05', '215/')).toMatchObject({ numberText: '215', numberSuffix: 'BC-LĐTBXH' });
    expect(letterheadOf(org, '2026-12-05')).toMatchObject({ numberText: '', numberSuffix: 'BC-LĐTBXH' });
    // a letterhead frozen with the whole number typed (a report issued before) reads the same way
    expect(withNumber({ numberText: '215/BC-LĐTBXH', numberSuffix: 'BC-LĐTBXH' })).toEqual({ numberText: '215', numberSuffix: 'BC-LĐTBXH' });
  });

  it('writes days 1–9 and months 1–2 with a leading zero, other months without (Nghị định 30/2020)', () => {
    expect(dateLineParts('2026-03-05')).toEqual({ day: '05', month: '3', year: '2026' });
    expect(dateLineParts('2026-02-15')).toEqual({ day: '15', month: '02', year: '2026' });
    expect(dateLineParts('2026-01-09')).toEqual({ day: '09', month: '01', year: '2026' });
    expect(dateLineParts('2026-12-10')).toEqual({ day: '10', month: '12', year: '2026' });
    expect(dateLineParts('2026-10-01')).toEqual({ day: '01', month: '10', year: '2026' });
  });

  it('takes agency, place, number suffix, signer and recipients from the settings', () => {
    const lh = letterheadOf(
      {
        name: 'Phòng Nội vụ',
        parent_agency: 'UBND huyện Hải Hậu',
        place_name: 'Hải Hậu',
        report_number_suffix: 'PNV',
        signer_title: 'KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG',
        signer_name: 'Ngô Thị Hoa',
        recipients: '- UBND huyện (để b/c);\n\n Lưu: VT ',
      },
      '2026-03-05',
      '12',
    );
    expect(lh).toMatchObject({
      parentAgency: 'UBND huyện Hải Hậu',
      office: 'Phòng Nội vụ',
      place: 'Hải Hậu',
      numberSuffix: 'BC-PNV',
      numberText: '12',
      day: '05',
      month: '3',
      signerTitle: 'KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG',
      signerName: 'Ngô Thị Hoa',
      recipients: ['UBND huyện (để b/c)', 'Lưu: VT'],
    });
  });
});

describe('CSV', () => {
  it('quotes separators, quotes and line breaks, and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(0.75)).toBe('0.75');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
  });

  it('starts with a BOM and ends lines with CRLF', () => {
    expect(
      toCsv([
        ['a', 1],
        ['Tổng', 2],
      ]),
    ).toBe('\uFEFFa,1\r\nTổng,2\r\n');
    expect(safeFileName('bao-cao-QT-ĐỊA/01 "x".csv')).toBe('bao-cao-QT-DIA_01_x_.csv');
  });
});

describe('SVG charts', () => {
  it('computes column geometry on the scale, with a pattern, a value label and a data table per bar', () => {
    const chart = columnChart({
      id: 'c1',
      title: 'T',
      desc: 'D',
      data: [
        { label: '01/2026', value: 1, valueText: '100 %' },
        { label: '02/2026', value: 0.5, valueText: '50 %', pattern: 'hatch' },
        { label: '03/2026', value: null, valueText: '—' },
      ],
      max: 1,
      ticks: [
        { value: 0, text: '0 %' },
        { value: 1, text: '100 %' },
      ],
      target: { value: 0.9, text: 'Mục tiêu' },
      table: { caption: 'Số liệu', headers: ['Tháng', 'Tỷ lệ'] },
    });
    const [full, half, none] = chart.bars;
    expect(full.height).toBe(190);
    expect(half.height).toBe(95);
    expect(half.y).toBe(full.y + 95);
    expect(half.fill).toBe('url(#c1-hatch)');
    expect(full.fill).toBe('#0b5394');
    expect(none.hasBar).toBe(false);
    expect(chart.target!.y).toBe(34 + 19); // plot top + 10 % of its 190 height
    expect(full.valueY).toBe(full.y - 4);
    expect(chart.table.rows).toEqual([
      ['01/2026', '100 %'],
      ['02/2026', '50 %'],
      ['03/2026', '—'],
    ]);
    expect(chart.defs.patterns.map((p) => p.id)).toEqual(['c1-hatch', 'c1-dots', 'c1-cross']);
  });

  it('scales horizontal bars to the largest value', () => {
    const chart = barChart({
      id: 'b',
      title: 'T',
      desc: 'D',
      data: [
        { label: 'Nặng', value: 2, valueText: '2', pattern: 'hatch' },
        { label: 'Nhẹ', value: 4, valueText: '4' },
        { label: 'Không', value: 0, valueText: '0' },
      ],
      table: { caption: 'c', headers: ['a', 'b'] },
    });
    expect(chart.bars[1].width).toBe(2 * chart.bars[0].width);
    expect(chart.bars[2].hasBar).toBe(false);
  });
});
