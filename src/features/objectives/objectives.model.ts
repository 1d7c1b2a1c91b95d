import type { Comparison, Frequency, Indicator } from './objectives.tables';

/**
 * The pure rules of the quality objectives: the measurement periods of a year, how a value compares with its target
 * and the status of an objective. No database, no clock (today is given).
 */
export interface MeasurementPeriod {
  /** M01…M12, Q1…Q4, H1, H2, Y: stored with a reading. */
  key: string;
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const span = (year: number, key: string, firstMonth: number, lastMonth: number): MeasurementPeriod => ({
  key,
  from: `${year}-${pad(firstMonth)}-01`,
  to: `${year}-${pad(lastMonth)}-${pad(lastDay(year, lastMonth))}`,
});

/** Every measurement period of the year at this frequency, in order. */
export function periodsOf(year: number, frequency: Frequency): MeasurementPeriod[] {
  switch (frequency) {
    case 'monthly':
      return Array.from({ length: 12 }, (_, i) => span(year, `M${pad(i + 1)}`, i + 1, i + 1));
    case 'quarterly':
      return [1, 2, 3, 4].map((q) => span(year, `Q${q}`, q * 3 - 2, q * 3));
    case 'half_yearly':
      return [span(year, 'H1', 1, 6), span(year, 'H2', 7, 12)];
    case 'yearly':
      return [span(year, 'Y', 1, 12)];
  }
}

export const ALL_PERIOD_KEYS = [
  ...periodsOf(2000, 'monthly'),
  ...periodsOf(2000, 'quarterly'),
  ...periodsOf(2000, 'half_yearly'),
  ...periodsOf(2000, 'yearly'),
].map((p) => p.key);

/** The year to date: 1 January to the end of the year, or to today while the year is not over; undefined before it starts. */
export function yearToDate(year: number, today: string): MeasurementPeriod | undefined {
  const from = `${year}-01-01`;
  if (today < from) return undefined;
  const end = `${year}-12-31`;
  return { key: 'YTD', from, to: today < end ? today : end };
}

/** The date a period's figures are computed as of: its end, or today while it is not over (REPORTING.md). */
export const asOfOf = (p: { to: string }, today: string): string => (today < p.to ? today : p.to);

/** A ratio of counts, or null when the denominator is 0 ("no data": never shown as 0 % or 100 %). */
export interface Ratio {
  numerator: number;
  denominator: number;
}

/** The value of a ratio in per cent, or null when its denominator is 0. */
export const percentOf = (r: Ratio): number | null => (r.denominator === 0 ? null : (r.numerator * 100) / r.denominator);

/**
 * Whether a value meets the target. A ratio is compared by its counts (numerator × 100 against target × denominator),
 * so 19 of 20 meets 95 % exactly, without rounding.
 */
export function meetsTarget(comparison: Comparison, target: number, value: number | null, ratio?: Ratio): boolean | null {
  if (value === null) return null;
  if (ratio && ratio.denominator > 0) {
    const left = ratio.numerator * 100;
    const right = target * ratio.denominator;
    return comparison === 'gte' ? left >= right - 1e-9 : left <= right + 1e-9;
  }
  return comparison === 'gte' ? value >= target : value <= target;
}

export const OBJECTIVE_STATUSES = ['met', 'on_track', 'not_met', 'no_data'] as const;
export type ObjectiveStatus = (typeof OBJECTIVE_STATUSES)[number];

/**
 * An objective's status from its value for the year (the year to date): no data without a value; once the year is
 * over, met or not met; while it runs, on track when the value so far meets the target, else not met (so far).
 */
export function statusOf(meets: boolean | null, yearOver: boolean): ObjectiveStatus {
  if (meets === null) return 'no_data';
  if (yearOver) return meets ? 'met' : 'not_met';
  return meets ? 'on_track' : 'not_met';
}

export const isComputed = (indicator: Indicator): boolean => indicator !== 'manual';
