import type { Response } from 'express';

/**
 * The organisation's local date and time zone for this request, set once by the app when the request starts
 * (res.locals.today, res.locals.timeZone): every handler and view of one request sees the same "today", even when
 * the request runs across local midnight.
 */
export function todayOf(res: Response): string {
  const today: unknown = res.locals.today;
  if (typeof today !== 'string') throw new Error('res.locals.today is set by the app before any route runs');
  return today;
}

export function timeZoneOf(res: Response): string {
  const zone: unknown = res.locals.timeZone;
  if (typeof zone !== 'string') throw new Error('res.locals.timeZone is set by the app before any route runs');
  return zone;
}
