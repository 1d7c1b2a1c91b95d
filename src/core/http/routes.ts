import express, { type RequestHandler, type Request, type Response, type NextFunction } from 'express';
import { allows, type Access } from './roles';
import { Forbidden } from './errors';

/**
 * Every route is registered through a RouteTable, which records its access policy in the one policy
 * table (`policies`) and puts the guard in front of its handlers. Access is denied by default: a
 * route cannot be added without saying who may use it, and a test walks the whole table.
 */
export interface Policy {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
}

/** What a read-only request may still post: its own sign-out and password. */
const OWN_ACCOUNT_POSTS = new Set(['/logout', '/account/password']);

/**
 * Anonymous → sign-in page (remembering where they were going); signed in but not allowed → 403. A read-only request
 * (an inspector's, one in an organisation merged into a successor, one reading a predecessor: core/http/session.ts)
 * changes nothing: every POST but its own account's is refused (403), whatever the route's roles.
 */
export function guard(access: Access): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (access === 'public') return next();
    if (!req.user) {
      const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${back}`);
      return;
    }
    if (!allows(access, req.user.role)) throw new Forbidden();
    if (req.readOnly && req.method !== 'GET' && req.method !== 'HEAD' && !OWN_ACCOUNT_POSTS.has(req.path)) throw new Forbidden();
    next();
  };
}

export class RouteTable {
  readonly router = express.Router();
  readonly policies: Policy[] = [];

  get(path: string, access: Access, ...handlers: RequestHandler[]): this {
    this.policies.push({ method: 'GET', path, access });
    this.router.get(path, guard(access), ...handlers);
    return this;
  }

  post(path: string, access: Access, ...handlers: RequestHandler[]): this {
    this.policies.push({ method: 'POST', path, access });
    this.router.post(path, guard(access), ...handlers);
    return this;
  }
}
