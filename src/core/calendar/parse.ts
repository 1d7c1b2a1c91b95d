/** Parsing of the date and date-time forms accepted by imports (see IMPORT-FORMATS.md). */
import { DAY_MS, dayNumberOf, fromDayNumber } from './dates';
import { instantOfWallClock, localDateOfMs } from './zone';

export type DateParseCode = 'empty' | 'invalid_format' | 'invalid_date' | 'invalid_time' | 'invalid_offset';

export type DateParseResult =
  | { ok: true; value: { /** local YYYY-MM-DD */ date: string; /** ISO UTC ('…Z') when a time was given, else null */ utc: string | null } }
  | { ok: false; code: DateParseCode; reason: string };

/** Years outside this range are treated as typing mistakes (0026, 20266 …), not as dates. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100; // the forms' last date too (date-schema.ts): one range for every date the app reads

// 2026-03-10 | 2026-03-10T08:15 | 2026-03-10T08:15:00 | …[.sss] | …Z | …+07:00
const ISO_FORM = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
// 10/03/2026 | 10/03/2026 08:15 | 10/03/2026 08:15:00 (day and month may have one digit)
const VN_FORM = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: +(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const fail = (code: DateParseCode, reason: string): DateParseResult => ({ ok: false, code, reason });

interface Parts {
  year: number;
  month: number;
  day: number;
  time: { hour: number; minute: number; second: number; ms: number } | null;
  /** 'Z', '+07:00', or null for local time */
  offset: string | null;
}

function splitParts(text: string): Parts | null {
  const iso = ISO_FORM.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, offset] = iso;
    return {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      time: h === undefined ? null : { hour: Number(h), minute: Number(mi), second: Number(s ?? 0), ms: Number((frac ?? '0').padEnd(3, '0').slice(0, 3)) },
      offset: offset ?? null,
    };
  }
  const vn = VN_FORM.exec(text);
  if (vn) {
    const [, d, mo, y, h, mi, s] = vn;
    return {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      time: h === undefined ? null : { hour: Number(h), minute: Number(mi), second: Number(s ?? 0), ms: 0 },
      offset: null,
    };
  }
  return null;
}

/** Offset like '+07:00' in ms, or null when out of range (beyond ±14:00 or minutes > 59). */
function offsetMs(offset: string): number | null {
  if (offset === 'Z') return 0;
  const sign = offset[0] === '-' ? -1 : 1;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return null;
  return sign * (hours * 60 + minutes) * 60_000;
}

/**
 * Parses a date or date-time in one of the accepted forms. A time without offset is wall-clock time in `timeZone`;
 * `date` is always the local date in `timeZone` (so '2026-03-09T23:30:00Z' in Asia/Ho_Chi_Minh → '2026-03-10').
 */
export function parseDateOrDateTime(text: string, timeZone: string): DateParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return fail('empty', 'no date given');
  const parts = splitParts(trimmed);
  if (!parts) return fail('invalid_format', 'not a date; use YYYY-MM-DD, dd/MM/yyyy or dd/MM/yyyy HH:mm');

  const { year, month, day, time } = parts;
  const dayNumber = dayNumberOf(year, month, day);
  if (dayNumber === null) return fail('invalid_date', 'this date does not exist');
  if (year < MIN_YEAR || year > MAX_YEAR) return fail('invalid_date', `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  if (!time) return { ok: true, value: { date: fromDayNumber(dayNumber), utc: null } };

  if (time.hour > 23 || time.minute > 59 || time.second > 59) return fail('invalid_time', 'this time does not exist');
  const wallMs = dayNumber * DAY_MS + ((time.hour * 60 + time.minute) * 60 + time.second) * 1000 + time.ms;
  let utcMs: number;
  if (parts.offset === null) {
    utcMs = instantOfWallClock(wallMs, timeZone);
  } else {
    const offset = offsetMs(parts.offset);
    if (offset === null) return fail('invalid_offset', 'the time-zone offset is out of range');
    utcMs = wallMs - offset;
  }
  return { ok: true, value: { date: localDateOfMs(utcMs, timeZone), utc: new Date(utcMs).toISOString() } };
}
