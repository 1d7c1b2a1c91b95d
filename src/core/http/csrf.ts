import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Forbidden } from './errors';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for every state-changing request: the session's token must come back in the `_csrf`
 * field (or the x-csrf-token header; for multipart uploads, whose body is read later, the query string),
 * and a request that names a foreign Origin is refused.
 */
export function csrfProtection() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin && origin !== 'null') {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== req.get('host')) throw new Forbidden('error.csrf');
    } else if (origin === 'null') throw new Forbidden('error.csrf');
    const multipart = req.is('multipart/form-data') === 'multipart/form-data';
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
    const fromQuery = multipart && typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
    const sent = fromBody ?? req.get('x-csrf-token') ?? fromQuery;
    const expected = req.sessionRow?.csrf_token;
    if (!sent || !expected || !safeEqual(sent, expected)) throw new Forbidden('error.csrf');
    next();
  };
}
