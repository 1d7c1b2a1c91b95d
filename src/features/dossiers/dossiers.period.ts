import { isFormDate } from '../../core/calendar/date-schema';

/** A reporting period: inclusive local dates. */
export interface Period {
  from: string;
  to: string;
}

export type PeriodProblem = 'missing' | 'malformed' | 'inverted';

export type PeriodResult = ({ ok: true } & Period) | { ok: false; problem: PeriodProblem; message: string };

/**
 * `from` and `to` of a query string, as REPORTING.md requires: both present, YYYY-MM-DD dates that exist (within the
 * app's date range, core/calendar/date-schema.ts), from <= to.
 */
export function parsePeriod(from: unknown, to: unknown): PeriodResult {
  if (from === undefined || from === '' || to === undefined || to === '') {
    return { ok: false, problem: 'missing', message: 'from and to are required, as YYYY-MM-DD dates' };
  }
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isFormDate(value))
      return {
        ok: false,
        problem: 'malformed',
        message: `${name} must be a date written YYYY-MM-DD that exists, from 1900-01-01 to 2100-12-31, got ${JSON.stringify(String(value).slice(0, 40))}`,
      };
  }
  if ((from as string) > (to as string)) return { ok: false, problem: 'inverted', message: `from (${String(from)}) is after to (${String(to)})` };
  return { ok: true, from: from as string, to: to as string };
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The usual periods around `today` (a local date): this month, quarter and year, the last 12 months, last year. */
export function periodPresets(today: string): ({ key: string } & Period)[] {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const q = Math.floor((m - 1) / 3) * 3 + 1;
  const back = new Date(Date.UTC(y, m - 1, Number(today.slice(8, 10))));
  back.setUTCFullYear(y - 1);
  back.setUTCDate(back.getUTCDate() + 1);
  return [
    { key: 'this_month', from: `${y}-${pad(m)}-01`, to: today },
    { key: 'this_quarter', from: `${y}-${pad(q)}-01`, to: today },
    { key: 'this_year', from: `${y}-01-01`, to: today },
    { key: 'last_12_months', from: back.toISOString().slice(0, 10), to: today },
    { key: 'last_year', from: `${y - 1}-01-01`, to: `${y - 1}-12-31` },
    {
      key: 'last_month',
      from: `${m === 1 ? y - 1 : y}-${pad(m === 1 ? 12 : m - 1)}-01`,
      to: `${m === 1 ? y - 1 : y}-${pad(m === 1 ? 12 : m - 1)}-${pad(lastDay(m === 1 ? y - 1 : y, m === 1 ? 12 : m - 1))}`,
    },
  ];
}

/** The period of a page: the query's when valid, else this year to date (with the problem, to show it). */
export function pagePeriod(query: { from?: string; to?: string }, today: string): { period: Period; problem?: string } {
  if (query.from === undefined && query.to === undefined) return { period: { from: `${today.slice(0, 4)}-01-01`, to: today } };
  const parsed = parsePeriod(query.from, query.to);
  if (parsed.ok) return { period: { from: parsed.from, to: parsed.to } };
  return { period: { from: `${today.slice(0, 4)}-01-01`, to: today }, problem: `dossiers.period_${parsed.problem}` };
}

/** Monthly tables are shown for periods of at most this many months. */
export const MAX_SERIES_MONTHS = 120;

export function monthSpan(p: Period): number {
  return (Number(p.to.slice(0, 4)) - Number(p.from.slice(0, 4))) * 12 + Number(p.to.slice(5, 7)) - Number(p.from.slice(5, 7)) + 1;
}
