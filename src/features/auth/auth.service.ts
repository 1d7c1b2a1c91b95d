import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { TooManyRequests } from '../../core/http/errors';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../core/security/passwords';
import { insertOrganisation } from '../organisation/organisation.queries';
import { countUsers } from '../organisation/organisation.queries';
import { createUserIn } from '../users/users.service';
import { countRecentFailures, deleteLoginAttemptsBefore, findLoginUser, insertLoginAttempt } from './auth.queries';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * Checks a username and password. After MAX_FAILURES failed attempts within FAILURE_WINDOW_MS for the
 * account or for the address, answers 429 with Retry-After. Unknown usernames cost the same scrypt
 * work and get the same answer, so the response does not reveal whether an account exists.
 */
export async function authenticate(ctx: AppContext, username: string, password: string, ip: string): Promise<number | undefined> {
  const now = ctx.clock.now();
  const key = username.trim().toLowerCase();
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const failures = await countRecentFailures(ctx.db, key, ip, since);
  if (failures.byUser >= MAX_FAILURES || failures.byIp >= MAX_FAILURES) {
    const oldest = [failures.byUser >= MAX_FAILURES ? failures.oldestUser : null, failures.byIp >= MAX_FAILURES ? failures.oldestIp : null]
      .filter((x): x is string => x !== null)
      .map(Date.parse);
    const until = Math.max(...oldest) + FAILURE_WINDOW_MS;
    throw new TooManyRequests(Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
  }
  const user = await findLoginUser(ctx.db, key);
  const ok = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
  const succeeded = ok && user !== undefined && user.active === 1;
  await insertLoginAttempt(ctx.db, { username_key: key, ip, succeeded, at: now.toISOString() });
  if (Math.random() < 0.01) await deleteLoginAttemptsBefore(ctx.db, new Date(now.getTime() - 24 * 3_600_000).toISOString());
  return succeeded ? user.id : undefined;
}

export async function recordSignIn(ctx: AppContext, userId: number, action: 'login' | 'logout'): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute((trx) => record(trx, { userId, action, entity: 'session', entityId: null }, at));
}

export interface SetupInput {
  name: string;
  parent_agency?: string;
  place_name?: string;
  username: string;
  full_name: string;
  password: string;
}

/** The one-time setup: organisation and first admin together, only while there is no user. */
export async function runSetup(ctx: AppContext, input: SetupInput): Promise<number | undefined> {
  const hash = await hashPassword(input.password);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if ((await countUsers(trx)) > 0) return undefined;
    await trx.deleteFrom('organisation').execute();
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
