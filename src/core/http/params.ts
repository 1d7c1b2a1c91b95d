import type { Request } from 'express';
import { dateProblem } from '../calendar/date-schema';
import { NotFound, type FieldError } from './errors';

/** A positive integer route parameter, or 404. */
export function idParam(req: Request, name = 'id'): number {
  const raw = req.params[name];
  if (typeof raw !== 'string' || !/^[1-9]\d{0,15}$/.test(raw)) throw new NotFound();
  const id = Number(raw);
  if (!Number.isSafeInteger(id)) throw new NotFound();
  return id;
}

/** A single query-string value (repeated or absent → undefined), trimmed and bounded. */
export function queryText(req: Request, name: string, max = 200): string | undefined {
  const raw = req.query[name];
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  return value === '' ? undefined : value.slice(0, max);
}

/**
 * An optional date filter of a query string (`?from=2026-01-01`): absent or blank → no value; otherwise a date under
 * the app's one date rule (core/calendar/date-schema.ts), or the error to show next to the filter's field (a page
 * answers 400 with it). `raw` is what was typed, bounded, to put back in the field.
 */
export function queryDate(req: Request, name: string): { value?: string; raw?: string; error?: FieldError } {
  const given = req.query[name];
  if (given === undefined) return {};
  if (typeof given !== 'string') return { error: { key: 'validation.repeated_field' } };
  const raw = given.trim().slice(0, 40);
  if (raw === '') return {};
  const problem = dateProblem(raw);
  return problem ? { raw, error: { key: problem } } : { value: raw, raw };
}

/**
 * The same local URL (a request's originalUrl) with one query parameter set, for the language switch on every page.
 * Plain string work, not `new URL` (a full parse on every page). Leading slashes and backslashes collapse to one
 * slash, so the link always stays on this site ("//host" and "/\\host" would be another site's address).
 */
export function withQueryParam(url: string, key: string, value: string): string {
  const at = url.indexOf('?');
  const path = `/${(at < 0 ? url : url.slice(0, at)).replace(/^[/\\]+/, '')}`;
  const params = new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
  params.set(key, value);
  return `${path}?${params.toString()}`;
}

/** The page number of a list (1-based). */
export function pageParam(req: Request): number {
  const raw = queryText(req, 'page', 9);
  const n = raw && /^\d+$/.test(raw) ? Number(raw) : 1;
  return n >= 1 ? n : 1;
}

export interface Pager {
  page: number;
  pages: number;
  total: number;
  prev?: number;
  next?: number;
  query: Record<string, string>;
}

export function pager(page: number, pageSize: number, total: number, query: Record<string, string | undefined>): Pager {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '' && k !== 'page') clean[k] = v;
  return { page, pages, total, prev: page > 1 ? page - 1 : undefined, next: page < pages ? page + 1 : undefined, query: clean };
}
