import { runInOrganisation } from '../db/scope';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context';
import { parseCookies } from './cookies';
import { isDatabaseBusy, NotFound } from './errors';
import * as q from './session.queries';

/**
 * Server-side sessions in the database. The cookie holds a random token; the table holds only its SHA-256,
 * so a copy of the database does not yield live sessions. Sessions end after the idle or absolute
 * timeout, at sign-out, and when the password changes. A session also carries the CSRF token
 * (synchronizer pattern) and one flash message.
 *
 * A visitor who is not signed in gets no session row: the sign-in and setup forms are protected by a signed
 * double-submit token instead. The same cookie then holds `a.<issued>.<nonce>.<mac>`, an HMAC (key kept in the
 * database, signing_keys 'anonymous_csrf') over the time it was issued and a random nonce; the form's hidden `_csrf`
 * field holds a second HMAC of the nonce, and the request gets a session row that lives only in memory
 * (`anonymous`), whose csrf_token the CSRF check compares as for any session. A forged or altered cookie, or one
 * older than the absolute session limit, is ignored, and its forms are refused.
 */
export const SESSION_COOKIE = 'qms_sid';
const ANONYMOUS_PREFIX = 'a.';

/**
 * The idle timeout is exact to the millisecond: every signed-in request notes the time it was seen in memory, and the
 * idle check takes the later of that and the stored last_seen_at. The stored stamp is rewritten only when it is
 * older than touchEvery (a minute at most, a tenth of the idle limit when that is shorter), so reading pages stays
 * read-only for the database nearly always: a write per request would wait for the write lock that a long import or
 * a backup holds. What memory holds is lost at a restart (and is not shared between processes): then the stored stamp
 * counts, at most touchEvery old, so a session may end up to touchEvery early, never late.
 */
const touchEveryMs = (idleMs: number): number => Math.min(60_000, Math.max(1_000, Math.floor(idleMs / 10)));

/** Pages a user who must change their password can still open (static files are served before the session is read). */
const WHILE_MUST_CHANGE = new Set(['/account/password', '/logout']);
const CHANGE_PASSWORD_PATH = '/account/password';

export interface Flash {
  kind: 'success' | 'error' | 'info';
  key: string;
  params?: Record<string, string | number>;
}

/** The request's session: a stored one, or (`anonymous`) the signed sign-in-form token of a visitor, never stored. */
export interface RequestSession extends q.SessionRow {
  anonymous?: true;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares Request in the global Express namespace
  namespace Express {
    interface Request {
      sessionRow?: RequestSession;
      user?: q.SessionUser;
      /**
       * The organisation's settings when the session middleware read them with the session (null: none yet); undefined
       * when it read no session (no cookie, a visitor's signed cookie): the app reads them then.
       */
      organisation?: q.OrganisationSettings | null;
      /**
       * The organisation a signed-in request works in when it is not the user's own (`?org=CODE`), for the banner
       * that says so; undefined when it is their own.
       */
      viewing?: { id: number; code: string };
      /**
       * Whether the request may change nothing (routes.ts refuses its POSTs): an inspector's, one in an organisation
       * merged into a successor (read-only), one reading a predecessor.
       */
      readOnly?: boolean;
      lang: 'vi' | 'en';
    }
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function setCookie(ctx: AppContext, res: Response, token: string): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: ctx.config.production, path: '/' });
}

/**
 * The anonymous-form key, read once per database handle. It lives in the database, never only in this process: every
 * app process on the database must accept the forms the others issued. Should the row be missing, the first process
 * to need it stores one and every process reads that one. A failed read is not remembered: that request gets a
 * throw-away key (its form will be refused, as after a restart) and the next request reads again.
 */
const signingKeys = new WeakMap<object, Promise<Buffer>>();
function anonymousKey(ctx: AppContext): Promise<Buffer> {
  let key = signingKeys.get(ctx.db);
  if (!key) {
    const stored = readOrCreateSigningKey(ctx, 'anonymous_csrf');
    signingKeys.set(ctx.db, stored);
    stored.catch(() => {
      if (signingKeys.get(ctx.db) === stored) signingKeys.delete(ctx.db);
    });
    key = stored;
  }
  return key.catch(() => randomBytes(32));
}

async function readOrCreateSigningKey(ctx: AppContext, name: string): Promise<Buffer> {
  let secret = await q.findSigningKey(ctx.db, name);
  if (!secret) {
    await q.insertSigningKeyIfMissing(ctx.db, name, randomBytes(32).toString('base64url'), ctx.clock.now().toISOString());
    secret = await q.findSigningKey(ctx.db, name);
    if (!secret) throw new Error(`signing key ${name} could not be stored`);
  }
  return Buffer.from(secret, 'base64url');
}

const mac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function anonymousSession(key: Buffer, issued: number, nonce: string): RequestSession {
  const at = new Date(issued).toISOString();
  return { id: '', user_id: null, csrf_token: mac(key, `csrf|${nonce}`), flash: null, created_at: at, last_seen_at: at, anonymous: true };
}

/** The in-memory session of a visitor's signed cookie, or undefined when it is forged, altered or too old. */
async function readAnonymous(ctx: AppContext, token: string, now: number): Promise<RequestSession | undefined> {
  const [issuedText, nonce, sent, extra] = token.slice(ANONYMOUS_PREFIX.length).split('.');
  if (!issuedText || !nonce || !sent || extra !== undefined || !/^[0-9a-z]{1,12}$/.test(issuedText)) return undefined;
  const issued = parseInt(issuedText, 36);
  if (now - issued > ctx.config.sessionAbsoluteMs) return undefined;
  const key = await anonymousKey(ctx);
  if (!sameText(sent, mac(key, `anon|${issuedText}|${nonce}`))) return undefined;
  return anonymousSession(key, issued, nonce);
}

async function issueAnonymous(ctx: AppContext, req: Request, res: Response): Promise<RequestSession> {
  const key = await anonymousKey(ctx);
  const issued = ctx.clock.now().getTime();
  const issuedText = issued.toString(36);
  const nonce = randomBytes(16).toString('base64url');
  setCookie(ctx, res, `${ANONYMOUS_PREFIX}${issuedText}.${nonce}.${mac(key, `anon|${issuedText}|${nonce}`)}`);
  const row = anonymousSession(key, issued, nonce);
  req.sessionRow = row;
  return row;
}

export function sessionMiddleware(ctx: AppContext) {
  const idleMs = ctx.config.sessionIdleMs;
  const touchEvery = touchEveryMs(idleMs);
  /** When each session was last seen by this process, to the millisecond (see touchEveryMs). */
  const seenAt = new Map<string, number>();
  let lastSweep = 0;
  return async (req: Request, res: Response, next: NextFunction) => {
    const now = ctx.clock.now().getTime();
    if (now - lastSweep > 10 * 60_000) {
      lastSweep = now;
      for (const [id, at] of seenAt) if (now - at > idleMs) seenAt.delete(id);
      // A stored stamp is at most touchEvery older than the session's last request.
      await q.deleteStaleSessions(ctx.db, new Date(now - idleMs - touchEvery).toISOString(), new Date(now - ctx.config.sessionAbsoluteMs).toISOString());
    }
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (!token || token.length > 200) return next();
    if (token.startsWith(ANONYMOUS_PREFIX)) {
      req.sessionRow = await readAnonymous(ctx, token, now);
      return next();
    }
    const found = await q.findSessionWithUser(ctx.db, hashToken(token));
    req.organisation = found.organisation;
    const row = found.session;
    if (!row) return next();
    const stored = Date.parse(row.last_seen_at);
    const idle = now - Math.max(stored, seenAt.get(row.id) ?? 0) > idleMs;
    const tooOld = now - Date.parse(row.created_at) > ctx.config.sessionAbsoluteMs;
    if (idle || tooOld) {
      seenAt.delete(row.id);
      await q.deleteSession(ctx.db, row.id);
      return next();
    }
    req.sessionRow = row;
    if (row.user_id !== null) {
      const user = found.user;
      if (user && user.active === 1) req.user = user;
      else {
        seenAt.delete(row.id);
        await q.deleteSession(ctx.db, row.id);
        req.sessionRow = undefined;
        return next();
      }
    }
    seenAt.set(row.id, now);
    if (now - stored >= touchEvery) await q.updateSessionSeen(ctx.db, row.id, new Date(now).toISOString());
    // An administrator chose this user's password: nothing but choosing their own (or signing out) until they do.
    if (req.user?.must_change_password === 1 && !WHILE_MUST_CHANGE.has(req.path)) return res.redirect(303, CHANGE_PASSWORD_PATH);
    // The rest of a signed-in request works for the user's organisation, or the one they chose to read (core/db/scope.ts).
    if (req.user) {
      const working = await workingOrganisation(ctx, req, row, found);
      if (working === undefined) throw new NotFound();
      return runInOrganisation(working, next);
    }
    next();
  };
}

/**
 * The organisation a signed-in request works in, and whether it may change anything (req.readOnly). `?org=CODE` on
 * a GET chooses it for the rest of the session (every link of the pages read then stays in it), `?org=` or the
 * user's own code returns to their own. A user may choose:
 * - an organisation under their own, as an inspector (read-only) or an admin (who manages it: a parent
 *   organisation's admin manages the organisations under it);
 * - a predecessor of their own (merged or split into it), read-only: its records stay with it, and the successor's
 *   users read its history there.
 * Any other code answers 404, as for a missing record. The choice is checked again on every request: a user whose
 * role or organisation changed since loses it.
 * Returns the organisation's id, or undefined for a code the user may not read.
 */
async function workingOrganisation(ctx: AppContext, req: Request, session: q.SessionRow, found: q.SessionAndOrganisation): Promise<number | undefined> {
  const user = req.user!;
  const own = user.organisation_id;
  const asked = req.method === 'GET' && typeof req.query.org === 'string' ? req.query.org.trim() : undefined;
  let working = found.working;
  let target: { id: number; code: string; status: string } | undefined;
  if (asked !== undefined) {
    const chosen = asked === '' ? undefined : await q.findOrganisationToView(ctx.db, asked);
    if (asked !== '' && !chosen) return undefined;
    target = chosen && chosen.id !== own ? chosen : undefined;
  } else if (working && working.chosen !== null) target = working;
  let relation: 'subtree' | 'predecessor' | undefined;
  if (target) {
    relation = await q.relationTo(ctx.db, own, target.id);
    const may = relation === 'predecessor' || (relation === 'subtree' && (user.role === 'inspector' || user.role === 'admin'));
    if (!may) {
      if (asked !== undefined) return undefined;
      target = undefined; // a choice that no longer holds: back to their own
    }
  }
  const chosenId = target?.id ?? null;
  if ((working?.chosen ?? null) !== chosenId || (working && working.id !== (chosenId ?? own))) {
    await q.updateSessionViewing(ctx.db, session.id, chosenId);
    // the settings the session's statement read were another organisation's: read the chosen one's
    const again = await q.findSessionWithUser(ctx.db, session.id);
    req.organisation = again.organisation;
    working = again.working;
  }
  if (target) req.viewing = { id: target.id, code: target.code };
  req.readOnly = user.role === 'inspector' || working?.status === 'read_only' || relation === 'predecessor';
  return working?.id ?? own;
}

async function createSession(ctx: AppContext, req: Request, res: Response, userId: number): Promise<q.SessionRow> {
  const token = randomBytes(32).toString('base64url');
  const at = ctx.clock.now().toISOString();
  const row: q.SessionRow = {
    id: hashToken(token),
    user_id: userId,
    csrf_token: randomBytes(32).toString('base64url'),
    flash: null,
    created_at: at,
    last_seen_at: at,
  };
  await q.insertSession(ctx.db, {
    id: row.id,
    user_id: userId,
    csrf_token: row.csrf_token,
    at,
    user_agent: req.get('user-agent')?.slice(0, 300) ?? null,
    ip: req.ip ?? null,
  });
  setCookie(ctx, res, token);
  req.sessionRow = row;
  return row;
}

/** The CSRF token for forms on this page; a visitor without a session gets a signed one, and nothing is stored. */
export async function csrfToken(ctx: AppContext, req: Request, res: Response): Promise<string> {
  const row = req.sessionRow ?? (await issueAnonymous(ctx, req, res));
  return row.csrf_token;
}

/** Sign-in: the old session (and its id) is discarded and a new one issued for the user. */
export async function startUserSession(ctx: AppContext, req: Request, res: Response, userId: number): Promise<void> {
  if (req.sessionRow && !req.sessionRow.anonymous) await q.deleteSession(ctx.db, req.sessionRow.id);
  await createSession(ctx, req, res, userId);
}

export async function endSession(ctx: AppContext, req: Request, res: Response): Promise<void> {
  if (req.sessionRow && !req.sessionRow.anonymous) await q.deleteSession(ctx.db, req.sessionRow.id);
  req.sessionRow = undefined;
  req.user = undefined;
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: ctx.config.production, path: '/' });
}

export async function setFlash(ctx: AppContext, req: Request, flash: Flash): Promise<void> {
  if (!req.sessionRow || req.sessionRow.anonymous) return;
  try {
    await q.updateSessionFlash(ctx.db, req.sessionRow.id, JSON.stringify(flash));
  } catch (err) {
    // The change it reports is already committed: while an import holds the write lock, the message is dropped
    // rather than answering 503 "not saved" for a saved change.
    if (!isDatabaseBusy(err)) throw err;
  }
}

/** Reads and clears the flash message. */
export async function takeFlash(ctx: AppContext, req: Request): Promise<Flash | undefined> {
  const row = req.sessionRow;
  if (!row?.flash) return undefined;
  await q.updateSessionFlash(ctx.db, row.id, null);
  try {
    return JSON.parse(row.flash) as Flash;
  } catch {
    return undefined;
  }
}
