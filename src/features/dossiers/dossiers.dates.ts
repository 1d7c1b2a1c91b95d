import { instantOfWallClock, zoneOffsetMs } from '../../core/calendar/zone';
import { MAX_YEAR, MIN_YEAR } from '../../core/calendar/parse';

/**
 * A fast path for the date forms that fill a million-row export: 'YYYY-MM-DD', 'YYYY-MM-DDTHH:mm[:ss][Z|±HH:MM]',
 * 'dd/MM/yyyy', 'dd/MM/yyyy HH:mm[:ss]' (two-digit fields; without an offset, local time). It reads digits by char code and
 * gives the same instant and local date as parseDateOrDateTime (a property test checks it). Anything else — another
 * form, an offset, a date or time that does not exist — returns null: the caller then uses parseDateOrDateTime,
 * which also words the error.
 */
const DAY_MS = 86_400_000;
const ZERO = 48;

export interface FastDate {
  /** Local day number (days since 1970-01-01). */
  day: number;
  /** UTC epoch ms when a time was given, else NaN. */
  ms: number;
}

function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const daysIn = (y: number, m: number) =>
  m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;

export function fastParseLocal(text: string, timeZone: string): FastDate | null {
  const n = text.length;
  let y: number, m: number, d: number;
  if (n >= 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    // YYYY-MM-DD[THH:mm[:ss]]
    y = digits(text, 0, 4);
    m = digits(text, 5, 2);
    d = digits(text, 8, 2);
    if (n > 10 && text.charCodeAt(10) !== 84) return null; // 'T'
  } else if (n >= 10 && text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47) {
    // dd/MM/yyyy[ HH:mm[:ss]]
    d = digits(text, 0, 2);
    m = digits(text, 3, 2);
    y = digits(text, 6, 4);
    if (n > 10 && text.charCodeAt(10) !== 32) return null; // one space
  } else return null;
  const timeAt = 11;
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
  const day = Date.UTC(y, m - 1, d) / DAY_MS;
  if (n === 10) return { day, ms: NaN };
  if (text.charCodeAt(timeAt + 2) !== 58) return null; // HH:mm
  const h = digits(text, timeAt, 2);
  const mi = digits(text, timeAt + 3, 2);
  let s = 0;
  let end = timeAt + 5;
  if (n > end && text.charCodeAt(end) === 58) {
    s = digits(text, end + 1, 2);
    end += 3;
  }
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return null;
  const wall = day * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000;
  let ms: number;
  if (n === end) ms = instantOfWallClock(wall, timeZone);
  else {
    const iso = text.charCodeAt(10) === 84;
    if (!iso) return null;
    const sign = text.charCodeAt(end);
    if (sign === 90 && n === end + 1)
      ms = wall; // 'Z'
    else if ((sign === 43 || sign === 45) && n === end + 6 && text.charCodeAt(end + 3) === 58) {
      const oh = digits(text, end + 1, 2);
      const om = digits(text, end + 4, 2);
      if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 14 * 60) return null;
      ms = wall - (sign === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
    } else return null;
  }
  return { day: Math.floor((ms + zoneOffsetMs(timeZone, ms)) / DAY_MS), ms };
}
