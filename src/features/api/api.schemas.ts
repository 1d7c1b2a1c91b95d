import { extendZodWithOpenApi, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ApiProblem } from './api.problems';

/**
 * The API's shared schemas. zod-to-openapi adds `.openapi()` to zod's types (a method on the prototype, nothing
 * else changes), so that the OpenAPI document is generated from the very schemas that validate the requests.
 */
extendZodWithOpenApi(z);

export { z };

/** RFC 9457 problem details, as every API error is answered. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: 'URI of the kind of problem, relative to the API (its entry on /api/v1/docs)' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    required_scope: z.string().optional(),
    errors: z
      .array(
        z.object({
          pointer: z.string().optional().openapi({ description: 'JSON pointer into the request body' }),
          parameter: z.string().optional().openapi({ description: 'Name of the path or query parameter' }),
          index: z.number().int().optional().openapi({ description: 'Index of the item in a batch' }),
          code: z.string(),
          detail: z.string(),
        }),
      )
      .optional(),
  })
  .openapi('Problem');

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (JSON that does not parse)',
  401: 'No token, an unknown, revoked or expired token',
  403: 'The token lacks the scope, or its organisation is read-only',
  404: 'Not found (or another organisation’s)',
  409: 'Conflicts with what is stored',
  413: 'Body too large, or too many items',
  415: 'The body is not JSON',
  422: 'Invalid input; every wrong value listed in `errors`',
  429: 'Rate limit reached; see Retry-After and RateLimit',
  500: 'Server error (with a reference in the log)',
  503: 'Busy: the database is locked by a long import; try again after Retry-After',
};

export function problemResponses(statuses: readonly number[]): Record<string, ResponseConfig> {
  const out: Record<string, ResponseConfig> = {};
  for (const status of [...new Set(statuses)].sort()) {
    out[String(status)] = { description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem', content: { 'application/problem+json': { schema: ProblemSchema } } };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Cursor pagination: `limit` (1–500, 100 by default) and an opaque `cursor` (the last id of the previous page).

export const MAX_PAGE_LIMIT = 500;
export const DEFAULT_PAGE_LIMIT = 100;

export const pageQueryShape = {
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'api.validation.limit')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAGE_LIMIT))
    .optional()
    .openapi({ type: 'integer', description: `Items per page, 1–${MAX_PAGE_LIMIT} (${DEFAULT_PAGE_LIMIT} by default)` }),
  cursor: z.string().max(100).optional().openapi({ description: 'The `next_cursor` of the previous page' }),
};

const MAX_ID = 2147483647;

/** The cursor of the page after an item: opaque to the caller. */
export const encodeCursor = (lastId: number): string => Buffer.from(`i:${lastId}`, 'utf8').toString('base64url');

/** The id a cursor continues after; a cursor we did not make is a 422 on `cursor`. */
export function decodeCursor(cursor: string | undefined, detail: string): number {
  if (cursor === undefined) return 0;
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^i:(\d{1,10})$/.exec(text);
  // Ids are PostgreSQL integers: a larger one is no cursor of ours (and compared with an integer column, an error).
  if (!m || Number(m[1]) > MAX_ID) throw new ApiProblem('validation', {}, [{ parameter: 'cursor', code: 'invalid_cursor', detail }]);
  return Number(m[1]);
}

/** A page of items: `next_cursor` null on the last page. */
export const pageOf = <T extends z.ZodTypeAny>(item: T, name: string) => z.object({ data: z.array(item), next_cursor: z.string().nullable() }).openapi(name);

/** A calendar date `YYYY-MM-DD` in a query. */
export const queryDate = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.invalid_date')
    .openapi({ format: 'date', example: '2026-01-01' });
