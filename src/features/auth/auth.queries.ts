import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';

export interface LoginUser {
  id: number;
  password_hash: string;
  active: number;
  organisation_id: number;
}

/**
 * The account of a username, in whichever organisation it is: usernames are unique across the database and the
 * sign-in page has no organisation picker, so this read has no organisation scope (by the username's unique index).
 */
export function findLoginUser(db: Db, username: string): Promise<LoginUser | undefined> {
  return db.selectFrom('users').select(['id', 'password_hash', 'active', 'organisation_id']).where('username', '=', username).executeTakeFirst();
}

/** Records a sign-in attempt as failed (it counts against the limits while its password is being checked); its id. */
export async function insertLoginAttempt(db: Db, attempt: { username_key: string; ip: string; at: string }): Promise<number> {
  const row = await db
    .insertInto('login_attempts')
    .values({ username_key: attempt.username_key, ip: attempt.ip, succeeded: 0, at: attempt.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The attempt's password was right: it no longer counts as a failure. */
export async function updateLoginAttemptSucceeded(db: Db, id: number): Promise<void> {
  await db.updateTable('login_attempts').set({ succeeded: 1 }).where('id', '=', id).execute();
}

/** Whose failures a limit counts: one account from one address, one address, or one account from anywhere. */
export interface FailureScope {
  usernameKey?: string;
  ip?: string;
}

const failuresOf = (db: Db, scope: FailureScope, since: string) => {
  let q = db.selectFrom('login_attempts').where('succeeded', '=', 0).where('at', '>', since);
  if (scope.usernameKey !== undefined) q = q.where('username_key', '=', scope.usernameKey);
  if (scope.ip !== undefined) q = q.where('ip', '=', scope.ip);
  return q;
};

/** Failed (or still being checked) attempts of a scope after `since`. */
export async function countRecentFailures(db: Db, scope: FailureScope, since: string): Promise<number> {
  const row = await failuresOf(db, scope, since)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The time of the scope's failure number `index` (0 = the oldest) after `since`: when it leaves the window, one more attempt is allowed. */
export async function findRecentFailureAt(db: Db, scope: FailureScope, since: string, index: number): Promise<string | undefined> {
  const row = await failuresOf(db, scope, since).select('at').orderBy('at').orderBy('id').limit(1).offset(index).executeTakeFirst();
  return row?.at;
}

export async function deleteLoginAttemptsBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('at', '<', before).execute();
}

/** The signed-in user's own password hash (the request works for their organisation). */
export async function findPasswordHash(db: Db, userId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  return row?.password_hash;
}
