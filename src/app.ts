import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppContext } from './core/context';
import { HttpError, NotFound, TooManyRequests, ValidationError } from './core/http/errors';
import { csrfProtection } from './core/http/csrf';
import { sessionMiddleware, takeFlash } from './core/http/session';
import type { Policy } from './core/http/routes';
import { isLang } from './core/i18n';
import { createViewEngine } from './core/views/engine';
import { navFor } from './core/views/nav';
import { parseCookies } from './core/http/cookies';
import { withQueryParam } from './core/http/params';
import { featureRoutes } from './features';
import { ROOT } from './core/paths';
import { countUsers, findOrganisation } from './features/organisation/organisation.queries';
import { todayLocal } from './core/calendar';

export const VIEWS_DIR = join(ROOT, 'views');
const LANG_COOKIE = 'qms_lang';

export interface CreatedApp extends express.Express {
  locals: express.Express['locals'] & { policies: Policy[] };
}

export function createApp(ctx: AppContext): CreatedApp {
  const app = express() as CreatedApp;
  const views = createViewEngine(VIEWS_DIR, ctx.config.nodeEnv !== 'development');
  app.engine('hbs', views.expressEngine);
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Pages are sent with Cache-Control: no-store, so a weak ETag (a hash of every response body) serves no one.
  app.set('etag', false);

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
  app.use((req: Request, _res: Response, next: NextFunction) => {
    req.body ??= {};
    next();
  });
  app.use(sessionMiddleware(ctx));
  app.use(csrfProtection());

  let setupDone = false;
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const org = await findOrganisation(ctx.db);
    res.locals.lang = req.lang;
    res.locals.timeZone = org?.time_zone ?? ctx.config.timeZone;
    res.locals.today = todayLocal(ctx.clock.now(), String(res.locals.timeZone));
    res.locals.org = org;
    res.locals.user = req.user;
    res.locals.csrfToken = req.sessionRow?.csrf_token;
    res.locals.nav = navFor(req.user?.role, req.path);
    res.locals.currentPath = req.path;
    res.locals.currentUrl = req.originalUrl;
    res.locals.otherLang = req.lang === 'vi' ? 'en' : 'vi';
    res.locals.langSwitchUrl = withQueryParam(req.originalUrl, 'lang', res.locals.otherLang as string);
    res.locals.flash = req.method === 'GET' ? await takeFlash(ctx, req) : undefined;
    if (!setupDone) {
      setupDone = (await countUsers(ctx.db)) > 0;
      if (!setupDone && req.path !== '/setup') return res.redirect(303, '/setup');
    }
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
    const http = toHttpError(err);
    if (http) {
      if (http instanceof TooManyRequests) res.set('Retry-After', String(http.retryAfterSeconds));
      if (wantsJson) {
        res.status(http.status).json({ error: http.messageKey, params: http.params });
        return;
      }
      res.status(http.status).render('errors/error', { status: http.status, messageKey: http.messageKey, params: http.params });
      return;
    }
    const reference = randomBytes(6).toString('hex');
    console.error(`[${reference}] ${req.method} ${req.originalUrl}`, err);
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
  if (e.type === 'entity.too.large' || e.type === 'parameters.too.many') return new HttpError(413, 'error.too_large');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new HttpError(e.status, 'error.bad_request');
  return undefined;
}
