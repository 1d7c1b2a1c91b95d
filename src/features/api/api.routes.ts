import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../core/context';
import { HttpError, isDatabaseBusy } from '../../core/http/errors';
import { translate } from '../../core/i18n';
import { apiLang, ApiRouteTable, authenticate, API_BODY_LIMIT_BYTES, type ApiRouteEntry } from './api.http';
import { apiDocument, newApiRegistry } from './api.openapi';
import { ApiProblem, sendProblem, type ProblemSlug } from './api.problems';
import { z } from './api.schemas';
import { addDossierOperations } from './api.dossiers.routes';
import { addRegisterOperations } from './api.registers.routes';
import { addReportOperations } from './api.reports.routes';
import { addDocsPage } from './api.docs.routes';

export const API_VERSION = '1.0.0';
/** Seconds a caller is asked to wait while a long import holds the database's write lock. */
const BUSY_RETRY_AFTER_SECONDS = 5;

export interface BuiltApi {
  /** Mounted at /api/v1 by createApp, before the session and CSRF layers (the API has neither). */
  router: Router;
  /** Every operation, as the router answers it (compared with the OpenAPI document by the tests). */
  routes: ApiRouteEntry[];
  document: () => Record<string, unknown>;
}

/**
 * The JSON API under /api/v1 (issue 28): the OpenAPI document and its page (public), then every operation behind the
 * bearer token (api.http.ts), a 404 for anything else, and errors as problem details.
 */
export function apiRouter(ctx: AppContext): BuiltApi {
  const router = express.Router();
  const registry = newApiRegistry();
  let built: Record<string, unknown> | undefined;
  const document = () => (built ??= apiDocument(registry, API_VERSION));

  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/openapi.json', (_req: Request, res: Response) => {
    res.json(document());
  });
  addDocsPage(router, ctx, document);

  router.use(authenticate(ctx));
  const table = new ApiRouteTable(router, registry, ctx, z.object({}).strict());
  addDossierOperations(table, ctx);
  addRegisterOperations(table, ctx);
  addReportOperations(table, ctx);

  router.use(() => {
    throw new ApiProblem('not_found');
  });
  router.use(apiErrors());
  return { router, routes: table.routes, document };
}

const BODY_PARSER_PROBLEMS: Record<string, ProblemSlug> = {
  'entity.too.large': 'payload_too_large',
  'entity.parse.failed': 'malformed_request',
  'entity.verify.failed': 'malformed_request',
  'request.aborted': 'malformed_request',
  'request.size.invalid': 'malformed_request',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
};

const HTTP_PROBLEMS: Record<number, ProblemSlug> = {
  400: 'malformed_request',
  403: 'insufficient_scope',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
};

/** Whatever went wrong, answered as a problem; an unexpected error is logged with a reference and answered 500. */
function apiErrors(): ErrorRequestHandler {
  return async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    // the request's use is logged before it is answered (authenticate); a log that could not be written is the error
    try {
      await req.apiUseLogged;
    } catch (logError) {
      err = logError;
    }
    const lang = req.apiCaller?.lang ?? apiLang(req);
    const instance = req.originalUrl.split('?')[0].slice(0, 500);
    let problem: ApiProblem;
    const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
    if (err instanceof ApiProblem) problem = err;
    // A path parameter that is not valid percent-encoding (`/dossiers/%ff`): Express's router fails to decode it.
    else if (err instanceof URIError) problem = new ApiProblem('malformed_request');
    else if (typeof type === 'string' && BODY_PARSER_PROBLEMS[type]) {
      problem = new ApiProblem(BODY_PARSER_PROBLEMS[type], { limit: `${API_BODY_LIMIT_BYTES / 1024 / 1024} MB` });
    } else if (err instanceof HttpError && HTTP_PROBLEMS[err.status]) {
      problem = new ApiProblem(HTTP_PROBLEMS[err.status], { reason: translate(lang, err.messageKey, err.params) });
    } else if (isDatabaseBusy(err)) {
      problem = new ApiProblem('busy', { seconds: BUSY_RETRY_AFTER_SECONDS }, [], { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) });
    } else {
      const reference = randomBytes(6).toString('hex');
      console.error(`[${reference}] ${req.method} ${instance} (API)`, err);
      problem = new ApiProblem('server_error', { reference }, [], {}, { reference });
    }
    sendProblem(res, problem, lang, instance);
  };
}
