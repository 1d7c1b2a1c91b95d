import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { z, ZodIssue, ZodObject, ZodRawShape, ZodTypeAny } from 'zod';
import type { AppContext } from '../../core/context';
import { runInOrganisation } from '../../core/db/scope';
import { todayLocal } from '../../core/calendar';
import { translate, type Lang } from '../../core/i18n';
import { holdsNul } from '../../core/http/nul';
import { ApiProblem, langOfHeader, type ProblemItem, type ProblemSlug } from './api.problems';
import type { ApiScope } from './api.tables';
import { hashToken, isExpired, looksLikeToken, scopesOf } from './api.tokens.model';
import { findTokenByHash, insertTokenUse } from './api.tokens.queries';
import { problemResponses } from './api.schemas';

/** What the API knows of the caller once its token is accepted. */
export interface ApiCaller {
  tokenId: number;
  tokenName: string;
  organisationId: number;
  scopes: ApiScope[];
  timeZone: string;
  /** The organisation's local date today. */
  today: string;
  /** A merged organisation's data stays as it was: its tokens read, never write. */
  readOnly: boolean;
  lang: Lang;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares Request in the global Express namespace
  namespace Express {
    interface Request {
      apiCaller?: ApiCaller;
      /** The request's row of its token's use log, being written; every answer waits for it. */
      apiUseLogged?: Promise<void>;
    }
  }
}

/** The window of the rate limit: a sliding minute. */
export const RATE_WINDOW_SECONDS = 60;
/** The largest body the API reads (a batch of 5,000 dossiers is about 2 MB). */
export const API_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** The caller's language, from Accept-Language (set first, for every API answer including 401). */
export function apiLang(req: Request): Lang {
  return langOfHeader(req.headers['accept-language']);
}

/** 401 with the header RFC 6750 asks for. */
const unauthorized = (slug: ProblemSlug, error: 'invalid_request' | 'invalid_token') =>
  new ApiProblem(slug, {}, [], { 'WWW-Authenticate': `Bearer realm="qms-tracker", error="${error}"` });

/**
 * Accepts `Authorization: Bearer <token>` (no cookie, no CSRF: the API is for other systems): the token must exist,
 * not be revoked and not be past its expiry date. Then every request is logged (api_token_uses) and counted by the
 * token's rate limit: at most `rate_limit` requests in any 60 seconds, told in the RateLimit-Policy and RateLimit
 * headers (draft-ietf-httpapi-ratelimit-headers); beyond it 429 with Retry-After, logged as refused and not counted.
 * The rest of the request works for the token's organisation.
 */
export function authenticate(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const lang = apiLang(req);
    const header = req.headers.authorization;
    if (!header) throw unauthorized('unauthorized', 'invalid_request');
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match || !looksLikeToken(match[1])) throw unauthorized('unauthorized', 'invalid_token');
    const now = ctx.clock.now();
    const since = new Date(now.getTime() - RATE_WINDOW_SECONDS * 1000);
    const token = await findTokenByHash(ctx.db, hashToken(match[1]), since.toISOString());
    if (!token) throw unauthorized('unauthorized', 'invalid_token');
    if (token.revoked_at !== null) throw unauthorized('token_revoked', 'invalid_token');
    const today = todayLocal(now, token.time_zone);
    if (isExpired(token.expires_on, today)) throw unauthorized('token_expired', 'invalid_token');

    const recent = { count: token.recent_count, oldest: token.recent_oldest };
    const limited = recent.count >= token.rate_limit;
    // The use is logged by its own statement on another pooled connection while the request goes on; every answer
    // (the operation's, or a problem: api.routes.ts) waits for it, so no request is answered unlogged.
    const logged = insertTokenUse(ctx.db, {
      organisation_id: token.organisation_id,
      token_id: token.id,
      at: now.toISOString(),
      method: req.method,
      path: req.originalUrl.slice(0, 500),
      limited,
    });
    logged.catch(() => undefined); // awaited before the answer; this keeps a failure meanwhile from being "unhandled"
    req.apiUseLogged = logged;
    // Seconds until the oldest counted request leaves the window (a whole minute when none is counted yet).
    const reset = recent.oldest ? Math.max(1, Math.ceil((Date.parse(recent.oldest) + RATE_WINDOW_SECONDS * 1000 - now.getTime()) / 1000)) : RATE_WINDOW_SECONDS;
    const remaining = limited ? 0 : token.rate_limit - recent.count - 1;
    res.set('RateLimit-Policy', `"per-token";q=${token.rate_limit};w=${RATE_WINDOW_SECONDS}`);
    res.set('RateLimit', `"per-token";r=${remaining};t=${reset}`);
    if (limited) throw new ApiProblem('rate_limited', { limit: token.rate_limit, seconds: reset }, [], { 'Retry-After': String(reset) });

    req.apiCaller = {
      tokenId: token.id,
      tokenName: token.name,
      organisationId: token.organisation_id,
      scopes: scopesOf(token.scopes),
      timeZone: token.time_zone,
      today,
      readOnly: token.organisation_status === 'read_only',
      lang,
    };
    runInOrganisation(token.organisation_id, next);
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Validation: zod issues as problem items, in the caller's language.

function wordsOf(issue: ZodIssue): { code: string; key: string; params?: Record<string, string | number> } {
  switch (issue.code) {
    case 'unrecognized_keys':
      return { code: 'unknown_field', key: 'validation.unknown_field', params: { fields: issue.keys.join(', ') } };
    case 'invalid_type':
      if (issue.received === 'undefined') return { code: 'required', key: 'validation.required' };
      return { code: 'invalid_type', key: 'api.validation.type', params: { expected: issue.expected } };
    case 'invalid_enum_value':
      return { code: 'invalid_choice', key: 'api.validation.choice', params: { options: issue.options.join(', ') } };
    case 'invalid_literal':
      return { code: 'invalid_choice', key: 'api.validation.choice', params: { options: String(issue.expected) } };
    case 'too_big':
      if (issue.type === 'string') return { code: 'too_long', key: 'validation.too_long', params: { n: Number(issue.maximum) } };
      if (issue.type === 'array') return { code: 'too_many_items', key: 'api.validation.too_many', params: { n: Number(issue.maximum) } };
      return { code: 'too_big', key: 'validation.max', params: { n: Number(issue.maximum) } };
    case 'too_small':
      if (issue.type === 'string' && Number(issue.minimum) === 1) return { code: 'required', key: 'validation.required' };
      if (issue.type === 'string') return { code: 'too_short', key: 'api.validation.too_short', params: { n: Number(issue.minimum) } };
      if (issue.type === 'array') return { code: 'too_few_items', key: 'api.validation.too_few', params: { n: Number(issue.minimum) } };
      return { code: 'too_small', key: 'validation.min', params: { n: Number(issue.minimum) } };
    default: {
      // Our schemas write their message as `key|n` (core/http/forms.ts's convention).
      const [key, n] = issue.message.split('|');
      if (key && (key.startsWith('validation.') || key.startsWith('api.'))) {
        return { code: key.slice(key.lastIndexOf('.') + 1), key, params: n === undefined ? undefined : { n } };
      }
      return { code: 'invalid', key: 'validation.invalid' };
    }
  }
}

const pointerOf = (path: readonly (string | number)[]) => path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** The issues of a failed parse, as problem items: a pointer into the body, or the name of a path or query parameter. */
export function issuesToItems(issues: readonly ZodIssue[], where: 'body' | 'query' | 'params', lang: Lang): ProblemItem[] {
  return issues.slice(0, 1000).map((issue) => {
    const words = wordsOf(issue);
    const detail = translate(lang, words.key, words.params);
    if (where === 'body') {
      const index = where === 'body' && issue.path[0] === 'items' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
      return index === undefined
        ? { pointer: pointerOf(issue.path), code: words.code, detail }
        : { pointer: pointerOf(issue.path), index, code: words.code, detail };
    }
    const parameter = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : String(issue.path[0] ?? '');
    return { parameter, code: words.code, detail };
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The route table: one operation = an Express route + its OpenAPI path, from the same zod schemas.

type AnyObject = ZodObject<ZodRawShape>;

export interface ApiOperation<P extends AnyObject, Q extends AnyObject, B extends ZodTypeAny, R extends ZodTypeAny> {
  method: 'get' | 'put' | 'post';
  /** OpenAPI form, below /api/v1: `/dossiers/{code}`, `/dossiers:batch`. */
  path: string;
  operationId: string;
  scope: ApiScope;
  /** English (the OpenAPI document's language); the readable page words it from `api.op.<operationId>`. */
  summary: string;
  description?: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** The success answer's body; `statuses` the success codes it comes with (200 by default). */
  response: R;
  statuses?: number[];
  /** The problems this operation may answer besides 401, 429 and 5xx (e.g. 404, 409, 422). */
  problems?: number[];
  /** Writes: refused (403) for a merged organisation's token. */
  writes?: boolean;
  handle: (input: {
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    caller: ApiCaller;
    ctx: AppContext;
    req: Request;
    res: Response;
  }) => Promise<{ status?: number; body: z.input<R>; headers?: Record<string, string> }>;
}

/** What the tests compare the OpenAPI document with: every operation the router answers. */
export interface ApiRouteEntry {
  method: 'get' | 'put' | 'post';
  path: string;
  operationId: string;
  scope: ApiScope;
  response: ZodTypeAny;
}

/** `/dossiers/{code}` → `/dossiers/:code`; a literal colon (`/dossiers:batch`) escaped for Express 5's paths. */
export const expressPath = (openApiPath: string): string => openApiPath.replace(/:/g, '\\:').replace(/\{(\w+)\}/g, ':$1');

const EMPTY_SHAPE = {};

export class ApiRouteTable {
  readonly routes: ApiRouteEntry[] = [];

  constructor(
    private readonly router: Router,
    private readonly registry: OpenAPIRegistry,
    private readonly ctx: AppContext,
    private readonly emptyQuery: AnyObject,
  ) {}

  add<P extends AnyObject, Q extends AnyObject, B extends ZodTypeAny, R extends ZodTypeAny>(op: ApiOperation<P, Q, B, R>): this {
    const statuses = op.statuses ?? [200];
    this.routes.push({ method: op.method, path: op.path, operationId: op.operationId, scope: op.scope, response: op.response });
    const responses: Record<string, ResponseConfig> = {};
    for (const status of statuses) responses[String(status)] = { description: op.summary, content: { 'application/json': { schema: op.response } } };
    Object.assign(responses, problemResponses([401, 403, ...(op.problems ?? []), 429, 500, 503]));
    this.registry.registerPath({
      method: op.method,
      path: `/api/v1${op.path}`,
      operationId: op.operationId,
      summary: op.summary,
      description: op.description,
      tags: op.tags,
      security: [{ bearer: [op.scope] }],
      request: {
        params: op.params,
        query: op.query,
        body: op.body ? { required: true, content: { 'application/json': { schema: op.body } } } : undefined,
      },
      responses,
    });

    const ctx = this.ctx;
    const emptyQuery = this.emptyQuery;
    const handlers: express.RequestHandler[] = [];
    if (op.body) handlers.push(jsonBody);
    handlers.push(async (req: Request, res: Response) => {
      const caller = req.apiCaller!;
      if (!caller.scopes.includes(op.scope)) throw new ApiProblem('insufficient_scope', { scope: op.scope }, [], {}, { required_scope: op.scope });
      if (op.writes && caller.readOnly) throw new ApiProblem('read_only');
      const lang = caller.lang;
      // A NUL character names no record (no stored code holds one, and PostgreSQL's text cannot): not found, on both engines.
      if (holdsNul(req.params)) throw new ApiProblem('not_found');
      const params = (op.params ?? emptyQuery).safeParse(req.params ?? EMPTY_SHAPE);
      if (!params.success) throw new ApiProblem('not_found');
      if (holdsNul(req.query)) throw new ApiProblem('malformed_request');
      const query = (op.query ?? emptyQuery).safeParse(req.query ?? EMPTY_SHAPE);
      if (!query.success) throw new ApiProblem('validation', {}, issuesToItems(query.error.issues, 'query', lang));
      let body: unknown = undefined;
      if (op.body) {
        if (deeperThan(req.body, MAX_BODY_DEPTH) || holdsNul(req.body)) throw new ApiProblem('malformed_request');
        const parsed = op.body.safeParse(req.body);
        if (!parsed.success) throw new ApiProblem('validation', {}, issuesToItems(parsed.error.issues, 'body', lang));
        body = parsed.data;
      }
      const out = await op.handle({ params: params.data, query: query.data, body: body, caller, ctx, req, res });
      for (const [name, value] of Object.entries(out.headers ?? {})) res.set(name, value);
      await req.apiUseLogged;
      res
        .status(out.status ?? statuses[0])
        .set('Content-Language', lang)
        .json(out.body);
    });
    this.router[op.method](expressPath(op.path), ...handlers);
    return this;
  }
}

/** Deeper than any body of the API: refused before a recursive walk (holdsNul, zod) runs out of stack on it. */
const MAX_BODY_DEPTH = 32;

/** Whether JSON nests arrays and objects more than `max` levels deep (walked without recursion). */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

const parseJson = express.json({ limit: API_BODY_LIMIT_BYTES, strict: false, type: () => true });

/** A JSON body: refused (415) when the request does not say it sends JSON, before anything is read. */
function jsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!req.is(['application/json', 'application/*+json'])) throw new ApiProblem('unsupported_media_type');
  parseJson(req, res, next);
}
