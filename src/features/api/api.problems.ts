import type { Response } from 'express';
import { translate, type Lang } from '../../core/i18n';

/**
 * Errors of the JSON API as RFC 9457 problem details (`application/problem+json`), worded in the caller's language
 * (Accept-Language). Each kind of problem has a slug: its `type` is the URI of its entry on the API's page
 * (`/api/v1/docs#problem-<slug>`, relative, resolved against the request), its title and detail come from the
 * catalog (`api.problem.<slug>.title` / `.detail`). Item errors (a field of the body, an item of a batch) are listed
 * in `errors`, each with a JSON pointer into the request.
 */
export const PROBLEM_SLUGS = [
  'malformed_request',
  'unauthorized',
  'token_expired',
  'token_revoked',
  'insufficient_scope',
  'read_only',
  'not_found',
  'conflict',
  'payload_too_large',
  'too_many_items',
  'unsupported_media_type',
  'validation',
  'rate_limited',
  'busy',
  'server_error',
] as const;
export type ProblemSlug = (typeof PROBLEM_SLUGS)[number];

const STATUS: Record<ProblemSlug, number> = {
  malformed_request: 400,
  unauthorized: 401,
  token_expired: 401,
  token_revoked: 401,
  insufficient_scope: 403,
  read_only: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_items: 413,
  unsupported_media_type: 415,
  validation: 422,
  rate_limited: 429,
  busy: 503,
  server_error: 500,
};

export const statusOf = (slug: ProblemSlug): number => STATUS[slug];

/**
 * One wrong value: where it is — `pointer`, a JSON pointer into the body (`/items/3/received_at`), or `parameter`, the
 * name of a path or query parameter — with a code and words.
 */
export interface ProblemItem {
  pointer?: string;
  parameter?: string;
  /** Index of the item in a batch. */
  index?: number;
  code: string;
  detail: string;
}

/** Thrown by the API's handlers; the API's error handler sends it. `params` fill the detail's `{name}`s. */
export class ApiProblem extends Error {
  constructor(
    readonly slug: ProblemSlug,
    readonly params: Record<string, string | number> = {},
    readonly items: ProblemItem[] = [],
    readonly headers: Record<string, string> = {},
    /** Extra members of the problem object (e.g. `required_scope`). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(slug);
  }
}

export const problemType = (slug: ProblemSlug): string => `/api/v1/docs#problem-${slug}`;

export function problemBody(problem: ApiProblem, lang: Lang, instance: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: problemType(problem.slug),
    title: translate(lang, `api.problem.${problem.slug}.title`),
    status: statusOf(problem.slug),
    detail: translate(lang, `api.problem.${problem.slug}.detail`, problem.params),
    instance,
    ...problem.extensions,
  };
  if (problem.items.length > 0) body.errors = problem.items;
  return body;
}

export function sendProblem(res: Response, problem: ApiProblem, lang: Lang, instance: string): void {
  for (const [name, value] of Object.entries(problem.headers)) res.set(name, value);
  res
    .status(statusOf(problem.slug))
    .set('Content-Language', lang)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(problem, lang, instance)));
}

/**
 * The caller's language from Accept-Language (RFC 9110 §12.5.4): the highest-weighted of `vi` and `en` (a tag counts
 * by its primary subtag: `en-US` is English), Vietnamese when neither is asked for.
 */
export function langOfHeader(header: string | undefined): Lang {
  if (!header) return 'vi';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.slice(0, 500).split(',')) {
    const [tag, ...params] = part.trim().split(';');
    const primary = tag?.trim().toLowerCase().split('-')[0];
    if (primary !== 'vi' && primary !== 'en') continue;
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? 'vi';
}
