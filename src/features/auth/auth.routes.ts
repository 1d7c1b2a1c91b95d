import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { parseForm, failField } from '../../core/http/forms';
import { HttpError, NotFound } from '../../core/http/errors';
import { PUBLIC, SIGNED_IN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { csrfToken, endSession, startUserSession } from '../../core/http/session';
import { verifyPassword } from '../../core/security/passwords';
import { countUsers } from '../organisation/organisation.queries';
import { setPassword } from '../users/users.service';
import { findPasswordHash } from './auth.queries';
import { LoginForm, passwordForm, SetupForm } from './auth.schemas';
import { authenticate, recordSignIn, runSetup, setupOpen, SignInThrottled, type SignedInUser } from './auth.service';

/** Setup is closed: 404 once users exist; on a database initialised before whose users are gone, say so (409). */
async function setupClosed(ctx: AppContext): Promise<HttpError> {
  return (await countUsers(ctx.db)) > 0 ? new NotFound() : new HttpError(409, 'setup.already_initialised');
}

/** Only a path on this site: "/x", never "//host" or "/\host" or a scheme. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\r\n]/.test(next) || next.length > 500) return '/';
  return next;
}

export function authRoutes(ctx: AppContext): RouteTable {
  const loginView = async (req: Request, res: Response) => ({ csrfToken: await csrfToken(ctx, req, res), pageTitle: 'auth.sign_in' });

  return new RouteTable()
    .get('/login', PUBLIC, async (req, res) => {
      if (req.user) return res.redirect(303, safeNext(req.query.next));
      res.render('auth/login', {
        ...(await loginView(req, res)),
        values: { next: typeof req.query.next === 'string' ? safeNext(req.query.next) : '' },
        errors: {},
        notice: req.query.changed === '1' ? 'auth.password_changed_sign_in' : req.query.expired === '1' ? 'auth.session_expired' : undefined,
      });
    })
    .post('/login', PUBLIC, async (req, res) => {
      const locals = await loginView(req, res);
      const form = parseForm(LoginForm, req.body, { view: 'auth/login', locals });
      let signedIn: SignedInUser | undefined;
      try {
        signedIn = await authenticate(ctx, form.username, form.password, req.ip ?? 'unknown');
      } catch (err) {
        if (!(err instanceof SignInThrottled)) throw err;
        const minutes = Math.ceil(err.retryAfterSeconds / 60);
        res
          .status(429)
          .set('Retry-After', String(err.retryAfterSeconds))
          .render('auth/login', {
            ...locals,
            values: { username: form.username, next: form.next },
            errors: { _form: { key: 'auth.too_many_attempts', params: { minutes } } },
          });
        return;
      }
      if (signedIn === undefined) {
        res
          .status(401)
          .render('auth/login', { ...locals, values: { username: form.username, next: form.next }, errors: { _form: { key: 'auth.invalid_credentials' } } });
        return;
      }
      await startUserSession(ctx, req, res, signedIn.id);
      await recordSignIn(ctx, signedIn, 'login');
      res.redirect(303, safeNext(form.next));
    })
    .post('/logout', SIGNED_IN, async (req, res) => {
      const user = { id: req.user!.id, organisationId: req.user!.organisation_id };
      await endSession(ctx, req, res);
      await recordSignIn(ctx, user, 'logout');
      res.redirect(303, '/login');
    })
    .get('/setup', PUBLIC, async (req, res) => {
      if (!(await setupOpen(ctx.db))) throw await setupClosed(ctx);
      res.render('auth/setup', { csrfToken: await csrfToken(ctx, req, res), pageTitle: 'setup.title', values: {}, errors: {} });
    })
    .post('/setup', PUBLIC, async (req, res) => {
      if (!(await setupOpen(ctx.db))) throw await setupClosed(ctx);
      const locals = { csrfToken: await csrfToken(ctx, req, res), pageTitle: 'setup.title' };
      const form = parseForm(SetupForm, req.body, { view: 'auth/setup', locals });
      const userId = await runSetup(ctx, form);
      if (userId === undefined) throw new NotFound();
      await startUserSession(ctx, req, res, userId);
      res.redirect(303, '/admin/organisation');
    })
    .get('/account/password', SIGNED_IN, (req, res) => {
      res.render('auth/password', { pageTitle: 'auth.change_password', mustChange: req.user!.must_change_password === 1, values: {}, errors: {} });
    })
    .post('/account/password', SIGNED_IN, async (req, res) => {
      const view = { view: 'auth/password', locals: { pageTitle: 'auth.change_password', mustChange: req.user!.must_change_password === 1 } };
      const form = parseForm(passwordForm({ username: req.user!.username, fullName: req.user!.full_name }), req.body, view);
      const stored = await findPasswordHash(ctx.db, req.user!.id);
      if (!stored || !(await verifyPassword(form.current_password, stored))) failField('current_password', 'auth.wrong_current_password', {}, view);
      await setPassword(ctx, req.user!.id, form.new_password, req.user!.id, 'change_password');
      await endSession(ctx, req, res);
      res.redirect(303, '/login?changed=1');
    });
}
