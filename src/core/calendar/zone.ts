/** Conversions between UTC instants and local calendar dates / wall-clock times of an IANA time zone. */
import { tzOffset } from '@date-fns/tz';
import { DAY_MS, fromDayNumber, toDayNumber } from './dates';

const MINUTE_MS = 60_000;
/** An ISO instant that carries its offset: 2026-03-09T23:30:00Z, 2026-03-10T06:30+07:00, 2026-03-09T23:30:00.000Z. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function rawOffsetMs(timeZone: string, epochMs: number): number {
  const minutes = tzOffset(timeZone, new Date(epochMs));
  if (!Number.isFinite(minutes)) throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);
  return Math.round(minutes * MINUTE_MS);
}

/** Per zone: UTC day number → the offset, for days over which the offset does not change (tzOffset costs ~1.3 µs a call). */
const constantDays = new Map<string, Map<number, number>>();
const MAX_CACHED_DAYS = 50_000;

/** UTC offset of the zone at the instant, in ms (Asia/Ho_Chi_Minh → +25_200_000). Throws RangeError for an unknown zone. */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  if (!Number.isFinite(epochMs)) return rawOffsetMs(timeZone, epochMs);
  const day = Math.floor(epochMs / DAY_MS);
  let days = constantDays.get(timeZone);
  const cached = days?.get(day);
  if (cached !== undefined) return cached;
  // Offsets change at most a few times a year: when the first and last instants of the UTC day agree, the whole day does.
  const start = rawOffsetMs(timeZone, day * DAY_MS);
  if (start !== rawOffsetMs(timeZone, day * DAY_MS + DAY_MS - 1)) return rawOffsetMs(timeZone, epochMs);
  if (!days) constantDays.set(timeZone, (days = new Map()));
  if (days.size >= MAX_CACHED_DAYS) days.clear();
  days.set(day, start);
  return start;
}

/** The local YYYY-MM-DD of an instant given in epoch milliseconds. */
export function localDateOfMs(epochMs: number, timeZone: string): string {
  const wallMs = epochMs + zoneOffsetMs(timeZone, epochMs);
  return fromDayNumber(Math.floor(wallMs / DAY_MS));
}

/**
 * The local calendar date of a UTC instant: localDateOf('2026-03-09T23:30:00Z', 'Asia/Ho_Chi_Minh') → '2026-03-10'.
 * The instant must carry 'Z' or an offset (a bare local time would be read in the machine's zone); RangeError otherwise.
 */
export function localDateOf(utcIso: string, timeZone: string): string {
  const ms = ISO_INSTANT.test(utcIso) ? Date.parse(utcIso) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO instant with Z or offset: ${JSON.stringify(utcIso)}`);
  return localDateOfMs(ms, timeZone);
}

/** Today's local date in the zone at `now`. */
export function todayLocal(now: Date, timeZone: string): string {
  return localDateOfMs(now.getTime(), timeZone);
}

/**
 * The instant (epoch ms) at which the zone's wall clock shows `wallMs` (a wall-clock time encoded as if it were UTC).
 * Two passes settle offset changes; in a DST gap or overlap one of the plausible instants is returned
 * (irrelevant for Vietnam, which has no DST).
 */
export function instantOfWallClock(wallMs: number, timeZone: string): number {
  const first = wallMs - zoneOffsetMs(timeZone, wallMs);
  const second = wallMs - zoneOffsetMs(timeZone, first);
  return second;
}

/** The instant the zone's next local day begins (00:00 of tomorrow there), after `now`. */
export function nextLocalMidnight(now: Date, timeZone: string): Date {
  const tomorrow = toDayNumber(todayLocal(now, timeZone)) + 1;
  return new Date(instantOfWallClock(tomorrow * DAY_MS, timeZone));
}
