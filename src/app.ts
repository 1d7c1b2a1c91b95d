import { maybeOrganisationOf, scopedDb } from './core/db/scope';
import { fileRoom, setLockWait } from './core/db/dialect/storage';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AppContext } from './core/context';
import {
  BadRequest,
  HttpError,
  isDatabaseBusy,
  isDiskFull,
  isRollbackWithoutTransaction,
  NotFound,
  ServiceUnavailable,
  TooManyRequests,
  ValidationError,
} from './core/http/errors';
import { csrfProtection, withoutCsrfToken } from './core/http/csrf';
import { sessionMiddleware, takeFlash, type Flash } from './core/http/session';
import type { Policy } from './core/http/routes';
import { isLang } from './core/i18n';
import { createViewEngine } from './core/views/engine';
import { navFor } from './core/views/nav';
import { parseCookies } from './core/http/cookies';
import { withQueryParam } from './core/http/params';
import { apiRouter, featureRoutes } from './features';
import { ROOT } from './core/paths';
import { countUsers, findOrganisation } from './features/organisation/organisation.queries';
import { countUnread } from './features/notifications/notifications.inbox.queries';
import { todayLocal } from './core/calendar';
import { holdsNul } from './core/http/nul';

export const VIEWS_DIR = join(ROOT, 'views');
/** The woff2/woff files of Tinos (SIL OFL), the metric-compatible stand-in for Times New Roman in the prints. */
const TINOS_FILES = join(dirname(createRequire(import.meta.url).resolve('@fontsource/tinos/package.json')), 'files');
const LANG_COOKIE = 'qms_lang';

export interface CreatedApp extends express.Express {
  locals: express.Express['locals'] & { policies: Policy[]; api: ReturnType<typeof apiRouter> };
}

/**
 * How long the server's connection waits for the write lock (ms). better-sqlite3 waits synchronously, so the wait
 * blocks every other request: while a long writer holds the lock (a CLI import of a million dossiers, the web import's
 * worker), a write fails after this short wait with 503 and Retry-After instead of freezing the pages for 10 s each.
 * Reads never wait: in WAL mode they read the last committed state beside the writer.
 */
export const WEB_BUSY_TIMEOUT_MS = 100;
/** Retry-After (seconds) of the 503 a write gets while another writer holds the lock. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs the session middleware so that a page is never refused because the session's own bookkeeping (the once-a-minute
 * "last seen" stamp, the sweep of old sessions) could not take the write lock: for GET and HEAD, a busy database
 * skips that write — once more from the start (the sweep is then not due), then without it — and the page is served.
 */
function sessionsSurviveBusyDatabase(middleware: RequestHandler): RequestHandler {
  return (req, res, next) => {
    let attempts = 0;
    const run = () => {
      attempts++;
      const done = (err?: unknown) => {
        if (err && SAFE_METHODS.has(req.method) && isDatabaseBusy(err)) return attempts < 2 ? run() : next();
        next(err);
      };
      Promise.resolve()
        .then(() => middleware(req, res, done))
        .catch(done);
    };
    run();
  };
}

export function createApp(ctx: AppContext): CreatedApp {
  // Each request works for its user's organisation (the session middleware): a handle that already works for one
  // would make every request work for that one.
  if (maybeOrganisationOf(ctx.db) !== undefined) throw new Error('createApp: give the handle without an organisation (core/db/scope.ts)');
  setLockWait(ctx.db, WEB_BUSY_TIMEOUT_MS);
  const app = express() as CreatedApp;
  const views = createViewEngine(VIEWS_DIR, ctx.config.nodeEnv !== 'development');
  app.engine('hbs', views.expressEngine);
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Pages are sent with Cache-Control: no-store, so a weak ETag (a hash of every response body) serves no one.
  app.set('etag', false);
  // Behind a reverse proxy, the client's address is the one the trusted proxy forwards (rate limits count per client).
  if (ctx.config.trustProxy !== undefined) app.set('trust proxy', ctx.config.trustProxy);

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          connectSrc: ["'self'"],
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: ctx.config.production,
      xFrameOptions: { action: 'deny' },
    }),
  );
  app.use('/static', express.static(join(VIEWS_DIR, 'public'), { dotfiles: 'deny', index: false, maxAge: '1h', fallthrough: true }));
  // The prints' typeface where the machine lacks Times New Roman (views/public/app.css, "QMS Serif"): Tinos's files.
  app.use('/static/fonts', express.static(TINOS_FILES, { dotfiles: 'deny', index: false, maxAge: '30d', immutable: true, fallthrough: true }));

  // The JSON API for other systems: bearer tokens, no session, no CSRF, its own errors (features/api).
  const api = apiRouter(ctx);
  app.locals.api = api;
  app.use('/api/v1', api.router);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const asked = req.query.lang;
    const cookie = parseCookies(req.headers.cookie)[LANG_COOKIE];
    if (isLang(asked)) {
      req.lang = asked;
      res.cookie(LANG_COOKIE, asked, { httpOnly: true, sameSite: 'lax', secure: ctx.config.production, maxAge: 365 * 86_400_000 });
    } else req.lang = isLang(cookie) ? cookie : 'vi';
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 2000 }));
  // Express 5 leaves req.body undefined when no parser matched (another content type): handlers always get an object.
  // A NUL character in a query or form value is refused (400) on both engines: no text of the app holds one, and
  // PostgreSQL's text type cannot store it.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    req.body ??= {};
    if (holdsNul(req.query) || holdsNul(req.body)) throw new BadRequest();
    next();
  });
  app.use(sessionsSurviveBusyDatabase(sessionMiddleware(ctx)));
  app.use(csrfProtection());

  let setupDone = false;
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    // Read with the session when the request has a session cookie (one statement for both), else here.
    // Without a session (the sign-in and setup pages): the first organisation's settings, as the session's statement
    // reads them for a session without a user.
    const org = req.organisation !== undefined ? req.organisation : await findOrganisation(scopedDb(ctx.db, 1));
    res.locals.lang = req.lang;
    res.locals.timeZone = org?.time_zone ?? ctx.config.timeZone;
    res.locals.today = todayLocal(ctx.clock.now(), String(res.locals.timeZone));
    res.locals.org = org;
    res.locals.user = req.user;
    // The header's unread count (issue 26): one indexed count of the person's own notifications.
    if (req.user) res.locals.inboxUnread = await countUnread(ctx.db, req.user.id);
    res.locals.csrfToken = req.sessionRow?.csrf_token;
    res.locals.nav = navFor(req.user?.role, req.path, {
      oversees: req.user?.oversees === true || req.user?.role === 'inspector',
      succeeds: req.user?.succeeds === true,
    });
    // Working in another organisation than the user's own (?org=CODE): a banner names it, with the way back.
    res.locals.readOnly = req.readOnly === true;
    if (req.viewing) res.locals.viewing = { code: req.viewing.code, name: org?.name ?? req.viewing.code, backUrl: '/?org=' };
    else res.locals.readOnlyOrganisation = req.readOnly === true && req.user?.role !== 'inspector';
    res.locals.currentPath = req.path;
    const url = withoutCsrfToken(req.originalUrl);
    res.locals.currentUrl = url;
    res.locals.otherLang = req.lang === 'vi' ? 'en' : 'vi';
    res.locals.langSwitchUrl = withQueryParam(url, 'lang', res.locals.otherLang as string);
    res.locals.flash = req.method === 'GET' ? await flashOf(ctx, req) : undefined;
    if (!setupDone) {
      setupDone = (await countUsers(ctx.db)) > 0;
      if (!setupDone && req.path !== '/setup') return res.redirect(303, '/setup');
    }
    next();
  });

  // A NUL byte in the path names no record (no stored code holds one, and PostgreSQL text cannot): not found, on both engines.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.path.includes('%00')) throw new NotFound();
    next();
  });

  const policies: Policy[] = [];
  for (const routes of featureRoutes) {
    const table = routes(ctx);
    policies.push(...table.policies);
    app.use(table.router);
  }
  app.locals.policies = policies;

  app.use(() => {
    throw new NotFound();
  });
  app.use(errorHandler(ctx));
  return app;
}

/** The flash message of a page; while another writer holds the lock it is shown without being cleared (shown again later). */
async function flashOf(ctx: AppContext, req: Request): Promise<Flash | undefined> {
  try {
    return await takeFlash(ctx, req);
  } catch (err) {
    if (!isDatabaseBusy(err) || !req.sessionRow?.flash) return undefined;
    try {
      return JSON.parse(req.sessionRow.flash) as Flash;
    } catch {
      return undefined;
    }
  }
}

const MB = 1024 * 1024;
/** Below this much free space (or within this many pages of max_page_count) a failed write is taken for a full disk. */
const NEARLY_FULL_BYTES = 64 * MB;

/**
 * After SQLite rolled a transaction back by itself, what is left of the error says nothing of the cause: look at the
 * disk. Free space on the database's file system, and the database's own size limit (PRAGMA max_page_count).
 */
function storageLooksFull(ctx: AppContext): { full: boolean; detail: string } {
  const parts: string[] = [];
  let full = false;
  if (ctx.config.databasePath !== ':memory:') {
    try {
      const fs = statfsSync(dirname(ctx.config.databasePath));
      const free = fs.bavail * fs.bsize;
      parts.push(`${Math.floor(free / MB)} MB free on the database's disk`);
      if (free < NEARLY_FULL_BYTES) full = true;
    } catch {
      // no file-system figures: judge by the database alone
    }
  }
  try {
    const room = fileRoom(ctx.db);
    const { pages, max, pageSize } = room ?? { pages: 0, max: Infinity, pageSize: 1 };
    if (room && (max - pages) * pageSize < NEARLY_FULL_BYTES) {
      full = true;
      parts.push(`the database holds ${pages} of at most ${max} pages`);
    }
  } catch {
    // the connection cannot answer either: nothing more to say
  }
  return { full, detail: parts.join('; ') };
}

/** A URL for the log: never the CSRF token, whatever the query string carries. */
const loggedUrl = (req: Request) => withoutCsrfToken(req.originalUrl);

function errorHandler(ctx: AppContext): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    res.locals.lang ??= req.lang ?? 'vi';
    res.locals.timeZone ??= ctx.config.timeZone;
    const wantsJson = req.path.endsWith('.json');
    if (err instanceof ValidationError) {
      res.status(422).render(err.view, { ...err.locals, values: err.values, errors: err.fieldErrors });
      return;
    }
    let http = toHttpError(err);
    let reference: string | undefined;
    let note = '';
    if (!http && isDatabaseBusy(err)) {
      // Another writer holds the lock (a large import): nothing was written; the user is asked to send it again.
      http = new ServiceUnavailable('error.busy', BUSY_RETRY_AFTER_SECONDS);
    }
    if (!http && (isDiskFull(err) || isRollbackWithoutTransaction(err))) {
      const storage = storageLooksFull(ctx);
      if (isDiskFull(err) || storage.full) {
        reference = randomBytes(6).toString('hex');
        const cause = isDiskFull(err) ? String((err as { code?: unknown }).code ?? 'SQLITE_FULL') : 'SQLite rolled the transaction back';
        console.error(`[${reference}] ${req.method} ${loggedUrl(req)}: disk full (${cause}${storage.detail ? `; ${storage.detail}` : ''}); nothing was saved`);
        http = new ServiceUnavailable('error.disk_full');
      } else {
        note = ` — SQLite rolled the transaction back by itself (an I/O error or out of memory; not a full disk: ${storage.detail || 'no figures'})`;
      }
    }
    if (http) {
      if (http instanceof TooManyRequests) res.set('Retry-After', String(http.retryAfterSeconds));
      if (http instanceof ServiceUnavailable && http.retryAfterSeconds !== null) res.set('Retry-After', String(http.retryAfterSeconds));
      if (wantsJson) {
        res.status(http.status).json({ error: http.messageKey, params: http.params });
        return;
      }
      res.status(http.status).render('errors/error', { status: http.status, messageKey: http.messageKey, params: http.params, reference });
      return;
    }
    reference = randomBytes(6).toString('hex');
    console.error(`[${reference}] ${req.method} ${loggedUrl(req)}${note}`, err);
    if (wantsJson) {
      res.status(500).json({ error: 'error.server', reference });
      return;
    }
    res.status(500).render('errors/error', { status: 500, messageKey: 'error.server', reference });
  };
}

/** Body-parser and upload errors carry a status; turn those into our HttpErrors. */
function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: number; type?: string; code?: string; name?: string; storageErrors?: unknown };
  if (e.name === 'MulterError') return e.code === 'LIMIT_FILE_SIZE' ? new HttpError(413, 'error.too_large') : new HttpError(400, 'error.bad_upload');
  // A multipart body busboy cannot parse ("Malformed part header", "Unexpected end of form") reaches us through
  // multer as a plain Error carrying storageErrors; it is the client's fault. Disk errors carry a code: still 500.
  if (Array.isArray(e.storageErrors) && e.code === undefined) return new HttpError(400, 'error.bad_upload');
  // busboy refuses the header before reading anything ("Multipart: Boundary not found", "Unsupported content type").
  if (err instanceof Error && e.code === undefined && /^(Multipart: |Unsupported content type)/.test(err.message))
    return new HttpError(400, 'error.bad_multipart');
  if (e.type === 'entity.too.large' || e.type === 'parameters.too.many') return new HttpError(413, 'error.too_large');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new HttpError(e.status, 'error.bad_request');
  return undefined;
}
