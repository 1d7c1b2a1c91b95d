import type { Request, Response } from 'express';
import { BadRequest } from '../../core/http/errors';
import { failField, type FormView } from '../../core/http/forms';
import { queryText } from '../../core/http/params';
import { QUALITY, type Role } from '../../core/http/roles';
import { todayOf } from '../../core/http/today';
import type { Lang } from '../../core/i18n';
import type { ObjectiveRow } from './objectives.queries';
import { ObjectiveFieldError } from './objectives.service';
import { indicatorText, targetText } from './objectives.view';

/** Small helpers the objectives' route files share. */
export const canManage = (role: Role | undefined) => role !== undefined && (QUALITY as readonly string[]).includes(role);

/** `?year=YYYY` (2000–2100), else this year; anything else is a 400. */
export function yearOf(req: Request, res: Response): number {
  const raw = queryText(req, 'year', 10);
  if (raw === undefined) return Number(todayOf(res).slice(0, 4));
  if (!/^\d{4}$/.test(raw) || Number(raw) < 2000 || Number(raw) > 2100) throw new BadRequest('objectives.bad_year');
  return Number(raw);
}

/** Runs a service call; a rule broken about one field becomes a 422 with the message next to that field. */
export async function withFieldErrors<T>(body: unknown, view: FormView, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ObjectiveFieldError) failField(err.field, err.key, (body ?? {}) as Record<string, unknown>, view, err.params);
    throw err;
  }
}

/** One objective as its rows show it (list, print view, exports): its texts in the page's language. */
export function objectiveLine(o: ObjectiveRow, lang: Lang) {
  return { ...o, indicatorText: indicatorText(o, lang), targetText: targetText(o, lang) };
}
