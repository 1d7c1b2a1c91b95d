import type { Db } from '../../core/db/database';

export interface LoginUser {
  id: number;
  password_hash: string;
  active: number;
}

export function findLoginUser(db: Db, username: string): Promise<LoginUser | undefined> {
  return db.selectFrom('users').select(['id', 'password_hash', 'active']).where('username', '=', username).executeTakeFirst();
}

export async function insertLoginAttempt(db: Db, attempt: { username_key: string; ip: string; succeeded: boolean; at: string }): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ username_key: attempt.username_key, ip: attempt.ip, succeeded: attempt.succeeded ? 1 : 0, at: attempt.at })
    .execute();
}

/** Failed attempts since `since`, for one username and for one address; and the oldest of them (for Retry-After). */
export async function countRecentFailures(
  db: Db,
  usernameKey: string,
  ip: string,
  since: string,
): Promise<{ byUser: number; byIp: number; oldestUser: string | null; oldestIp: string | null }> {
  const user = await db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
    .where('username_key', '=', usernameKey)
    .where('succeeded', '=', 0)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  const byIp = await db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
    .where('ip', '=', ip)
    .where('succeeded', '=', 0)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return {
    byUser: Number(user.n),
    byIp: Number(byIp.n),
    oldestUser: user.oldest ?? null,
    oldestIp: byIp.oldest ?? null,
  };
}

export async function deleteLoginAttemptsBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('at', '<', before).execute();
}

export async function findPasswordHash(db: Db, userId: number): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return row?.password_hash;
}
