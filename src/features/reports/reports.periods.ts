import { isIsoDate } from '../../core/calendar';
import { isFormDate } from '../../core/calendar/date-schema';

/**
 * Report periods: `from` and `to` as inclusive YYYY-MM-DD local dates, and the presets of the period
 * picker, computed from the organisation's local today. A preset that is still running ends today,
 * so that nothing in the future is counted as overdue.
 */
export interface Period {
  from: string;
  to: string;
}

export const PRESETS = ['this_quarter', 'last_quarter', 'first_half', 'second_half', 'this_year', 'last_year'] as const;
export type PresetId = (typeof PRESETS)[number];

export interface PresetPeriod extends Period {
  id: PresetId;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const capped = (p: Period, today: string): Period => ({ from: p.from, to: p.to > today ? today : p.to });

export function presetPeriods(today: string): PresetPeriod[] {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const q = Math.floor((m - 1) / 3); // 0..3
  const quarter = (year: number, qi: number): Period => ({ from: ymd(year, qi * 3 + 1, 1), to: ymd(year, qi * 3 + 3, lastDayOf(year, qi * 3 + 3)) });
  const lastQ = q === 0 ? quarter(y - 1, 3) : quarter(y, q - 1);
  // The most recent half that has begun: the second half of last year until 1 July.
  const secondHalfYear = m >= 7 ? y : y - 1;
  return [
    { id: 'this_quarter', ...capped(quarter(y, q), today) },
    { id: 'last_quarter', ...lastQ },
    { id: 'first_half', ...capped({ from: ymd(y, 1, 1), to: ymd(y, 6, 30) }, today) },
    { id: 'second_half', ...capped({ from: ymd(secondHalfYear, 7, 1), to: ymd(secondHalfYear, 12, 31) }, today) },
    { id: 'this_year', ...capped({ from: ymd(y, 1, 1), to: ymd(y, 12, 31) }, today) },
    { id: 'last_year', from: ymd(y - 1, 1, 1), to: ymd(y - 1, 12, 31) },
  ];
}

/** The preset whose dates these are, if any (to mark it as current in the picker). */
export function presetOf(period: Period, today: string): PresetId | undefined {
  return presetPeriods(today).find((p) => p.from === period.from && p.to === period.to)?.id;
}

export type PeriodProblem = { key: string; params: Record<string, string> };

/** Checks the `from` and `to` query values: both present, real YYYY-MM-DD dates within the app's range, `from` not after `to`. */
export function parsePeriod(from: unknown, to: unknown): { period: Period } | { problem: PeriodProblem } {
  const given: [string, unknown][] = [
    ['from', from],
    ['to', to],
  ];
  for (const [name, value] of given) {
    if (value === undefined || value === '') return { problem: { key: 'reports.period.missing', params: { name } } };
    if (typeof value !== 'string') return { problem: { key: 'reports.period.repeated', params: { name } } };
    if (!isIsoDate(value)) return { problem: { key: 'reports.period.malformed', params: { name, value: String(value).slice(0, 40) } } };
    if (!isFormDate(value)) return { problem: { key: 'validation.date_out_of_range', params: { name, value } } };
  }
  const period = { from: from as string, to: to as string };
  if (period.from > period.to) return { problem: { key: 'reports.period.inverted', params: period } };
  return { period };
}

/** The first days of the months that the period touches, in order ('2026-01-01', '2026-02-01', …). */
export function monthsOf(period: Period): string[] {
  const out: string[] = [];
  let y = Number(period.from.slice(0, 4));
  let m = Number(period.from.slice(5, 7));
  const endKey = period.to.slice(0, 7);
  for (;;) {
    const key = `${String(y).padStart(4, '0')}-${pad(m)}`;
    if (key > endKey) break;
    out.push(`${key}-01`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** The year's period, ended today when the year is still running. */
export function yearPeriod(year: number, today: string): Period {
  return capped({ from: ymd(year, 1, 1), to: ymd(year, 12, 31) }, today);
}

/**
 * The annual report's period for a reporting year: the calendar year, or ('dec15', the state reporting regime)
 * 15 December of the year before to 14 December of the year; ended today while it runs.
 */
export function annualPeriod(year: number, today: string, kind: 'calendar' | 'dec15'): Period {
  return kind === 'dec15' ? capped({ from: ymd(year - 1, 12, 15), to: ymd(year, 12, 14) }, today) : yearPeriod(year, today);
}

/**
 * The date a period's figures are computed as of (REPORTING.md, "A period that is not over"): its last day, or today
 * while the period is not over (`to` after today). Every figure reads this date where the rules say `to`.
 */
export function asOfDate(period: Period, today: string): string {
  return period.to > today ? today : period.to;
}
