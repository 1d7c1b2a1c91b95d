import { createHash, randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context';
import { parseCookies } from './cookies';
import * as q from './session.queries';

/**
 * Server-side sessions in SQLite. The cookie holds a random token; the table holds only its SHA-256,
 * so a copy of the database does not yield live sessions. Sessions end after the idle or absolute
 * timeout, at sign-out, and when the password changes. A session also carries the CSRF token
 * (synchronizer pattern) and one flash message.
 */
export const SESSION_COOKIE = 'qms_sid';
const TOUCH_EVERY_MS = 60_000;

export interface Flash {
  kind: 'success' | 'error' | 'info';
  key: string;
  params?: Record<string, string | number>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares Request in the global Express namespace
  namespace Express {
    interface Request {
      sessionRow?: q.SessionRow;
      user?: q.SessionUser;
      lang: 'vi' | 'en';
    }
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function setCookie(ctx: AppContext, res: Response, token: string): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: ctx.config.production, path: '/' });
}

export function sessionMiddleware(ctx: AppContext) {
  let lastSweep = 0;
  return async (req: Request, res: Response, next: NextFunction) => {
    const now = ctx.clock.now();
    if (now.getTime() - lastSweep > 10 * 60_000) {
      lastSweep = now.getTime();
      await q.deleteStaleSessions(
        ctx.db,
        new Date(now.getTime() - ctx.config.sessionIdleMs).toISOString(),
        new Date(now.getTime() - ctx.config.sessionAbsoluteMs).toISOString(),
      );
    }
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (!token || token.length > 200) return next();
    const found = await q.findSessionWithUser(ctx.db, hashToken(token));
    if (!found) return next();
    const row = found.session;
    const idle = now.getTime() - Date.parse(row.last_seen_at) > ctx.config.sessionIdleMs;
    const tooOld = now.getTime() - Date.parse(row.created_at) > ctx.config.sessionAbsoluteMs;
    if (idle || tooOld) {
      await q.deleteSession(ctx.db, row.id);
      return next();
    }
    req.sessionRow = row;
    if (row.user_id !== null) {
      const user = found.user;
      if (user && user.active === 1) req.user = user;
      else {
        await q.deleteSession(ctx.db, row.id);
        req.sessionRow = undefined;
        return next();
      }
    }
    if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
      await q.updateSessionSeen(ctx.db, row.id, now.toISOString());
    }
    next();
  };
}

async function createSession(ctx: AppContext, req: Request, res: Response, userId: number | null): Promise<q.SessionRow> {
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

/** The CSRF token for forms on this page; creates an anonymous session when there is none (sign-in, setup). */
export async function csrfToken(ctx: AppContext, req: Request, res: Response): Promise<string> {
  const row = req.sessionRow ?? (await createSession(ctx, req, res, null));
  return row.csrf_token;
}

/** Sign-in: the old session (and its id) is discarded and a new one issued for the user. */
export async function startUserSession(ctx: AppContext, req: Request, res: Response, userId: number): Promise<void> {
  if (req.sessionRow) await q.deleteSession(ctx.db, req.sessionRow.id);
  await createSession(ctx, req, res, userId);
}

export async function endSession(ctx: AppContext, req: Request, res: Response): Promise<void> {
  if (req.sessionRow) await q.deleteSession(ctx.db, req.sessionRow.id);
  req.sessionRow = undefined;
  req.user = undefined;
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: ctx.config.production, path: '/' });
}

export async function setFlash(ctx: AppContext, req: Request, flash: Flash): Promise<void> {
  if (!req.sessionRow) return;
  await q.updateSessionFlash(ctx.db, req.sessionRow.id, JSON.stringify(flash));
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
