import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import type { Db } from '../../core/db/database';
import { findInitialisedAt } from '../../core/db/meta.queries';
import { scopedDb } from '../../core/db/scope';
import { TooManyRequests } from '../../core/http/errors';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../core/security/passwords';
import { countUsers, insertOrganisation } from '../organisation/organisation.queries';
import { createUserIn } from '../users/users.service';
import {
  countRecentFailures,
  deleteLoginAttemptsBefore,
  findLoginUser,
  findRecentFailureAt,
  insertLoginAttempt,
  updateLoginAttemptSucceeded,
  type FailureScope,
} from './auth.queries';

/**
 * Sign-in limits: failed attempts within FAILURE_WINDOW_MS that make the next attempts wait (HTTP 429).
 * - PAIR_LIMIT for one account from one address: a guesser at one account is stopped after 5 tries, while the
 *   colleagues behind the same office router (one address for everyone) sign in as usual.
 * - ADDRESS_LIMIT for one address over all accounts: a guesser trying many accounts (or usernames that do not exist)
 *   from one address is stopped; an office of 50 people would need 50 failures within 15 minutes to be held up.
 * - ACCOUNT_LIMIT for one account over all addresses: a guesser spreading tries over many addresses is stopped too;
 *   it takes at least ACCOUNT_LIMIT / PAIR_LIMIT = 10 addresses to hold up an account this way.
 */
export const PAIR_LIMIT = 5;
export const ADDRESS_LIMIT = 50;
export const ACCOUNT_LIMIT = 50;
export const FAILURE_WINDOW_MS = 15 * 60_000;

/** The attempt must wait; `retryAfterSeconds` until the first limit it hit allows one more. */
export class SignInThrottled extends TooManyRequests {}

/**
 * Counts and records the attempt in one write transaction, before any password is checked: the attempt is stored as
 * failed at once (settled as succeeded afterwards), so N parallel guesses see each other and at most the limit of
 * them reach the password check; the others are refused without one. Returns the attempt's id.
 */
async function reserveAttempt(ctx: AppContext, usernameKey: string, ip: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const limits: [FailureScope, number][] = [
    [{ usernameKey, ip }, PAIR_LIMIT],
    [{ ip }, ADDRESS_LIMIT],
    [{ usernameKey }, ACCOUNT_LIMIT],
  ];
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<{ attemptId: number } | { retryAfterSeconds: number }> => {
    let until = 0;
    for (const [scope, limit] of limits) {
      const failures = await countRecentFailures(trx, scope, since);
      if (failures < limit) continue;
      const freed = await findRecentFailureAt(trx, scope, since, failures - limit);
      until = Math.max(until, (freed ? Date.parse(freed) : now.getTime()) + FAILURE_WINDOW_MS);
    }
    if (until > 0) return { retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
    return { attemptId: await insertLoginAttempt(trx, { username_key: usernameKey, ip, at: now.toISOString() }) };
  });
  if ('retryAfterSeconds' in outcome) throw new SignInThrottled(outcome.retryAfterSeconds);
  return outcome.attemptId;
}

/**
 * Checks a username and password, within the limits above (SignInThrottled beyond them). Unknown usernames cost the
 * same scrypt work and get the same answer, so the response does not reveal whether an account exists.
 */
export async function authenticate(ctx: AppContext, username: string, password: string, ip: string): Promise<SignedInUser | undefined> {
  const now = ctx.clock.now();
  const key = username.trim().toLowerCase();
  const attemptId = await reserveAttempt(ctx, key, ip, now);
  const user = await findLoginUser(ctx.db, key);
  const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
  const succeeded = ok && user !== undefined && user.active === 1;
  if (succeeded) await updateLoginAttemptSucceeded(ctx.db, attemptId);
  if (Math.random() < 0.01) await deleteLoginAttemptsBefore(ctx.db, new Date(now.getTime() - 24 * 3_600_000).toISOString());
  return succeeded ? { id: user.id, organisationId: user.organisation_id } : undefined;
}

/** Who signed in: the account and its organisation (what their requests, and the audit entry of the sign-in, work for). */
export interface SignedInUser {
  id: number;
  organisationId: number;
}

/**
 * The audit entry of a sign-in or sign-out, in the user's organisation: a sign-in has no request scope yet (the
 * session starts with this request), so the handle is scoped to the user's organisation here.
 */
export async function recordSignIn(ctx: AppContext, user: SignedInUser, action: 'login' | 'logout'): Promise<void> {
  const at = ctx.clock.now();
  await scopedDb(ctx.db, user.organisationId)
    .transaction()
    .execute((trx) => record(trx, { userId: user.id, action, entity: 'session', entityId: null }, at));
}

export interface SetupInput {
  name: string;
  parent_agency?: string;
  place_name?: string;
  username: string;
  full_name: string;
  password: string;
}

/**
 * The one-time setup page is open only on a database that was never initialised: no user now and none ever (the
 * marker in qms_meta, set with the first user, outlives them). A database whose users are gone, restored or damaged,
 * never reopens it: an administrator is added with `qms user:add` instead.
 */
export async function setupOpen(db: Db): Promise<boolean> {
  return (await countUsers(db)) === 0 && (await findInitialisedAt(db)) === undefined;
}

/**
 * The one-time setup: the settings of the database's first organisation (id 1, made by the migration to
 * organisations) and its first admin together, only while setupOpen (checked again inside). The setup page has no
 * request scope (no one is signed in): the handle works for organisation 1. Its row is updated in place (code,
 * kind and status kept), never deleted: other organisations' rows may refer to it.
 */
export async function runSetup(ctx: AppContext, input: SetupInput): Promise<number | undefined> {
  const hash = await hashPassword(input.password);
  const at = ctx.clock.now();
  return scopedDb(ctx.db, 1)
    .transaction()
    .execute(async (trx) => {
      if (!(await setupOpen(trx))) return undefined;
      const org = {
        name: input.name,
        parent_agency: input.parent_agency ?? '',
        place_name: input.place_name ?? '',
        report_number_suffix: '',
        signer_title: '',
        signer_name: '',
        time_zone: ctx.config.timeZone,
        recipients: '',
        not_applicable_clauses: '["8.3"]',
      };
      await insertOrganisation(trx, org, at.toISOString());
      const userId = await createUserIn(
        trx,
        { username: input.username, full_name: input.full_name, role: 'admin', unit_id: null, email: null, position_title: null },
        hash,
        null,
        at,
      );
      await record(trx, { userId, action: 'create', entity: 'organisation', entityId: 1, new: org }, at);
      return userId;
    });
}
