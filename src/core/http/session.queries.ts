import type { Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { SessionsTable } from '../db/schema';

export type SessionRow = Pick<Selectable<SessionsTable>, 'id' | 'user_id' | 'csrf_token' | 'flash' | 'created_at' | 'last_seen_at'>;

export interface SessionUser {
  id: number;
  username: string;
  full_name: string;
  role: 'admin' | 'quality_officer' | 'leader' | 'staff';
  unit_id: number | null;
  active: number;
  /** 1 while the user must choose their own password before anything else. */
  must_change_password: number;
}

/** A session and, when signed in, its user (null when the user row is gone), in one statement: every request asks. */
export async function findSessionWithUser(db: Db, id: string): Promise<{ session: SessionRow; user: SessionUser | null } | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .leftJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.csrf_token',
      's.flash',
      's.created_at',
      's.last_seen_at',
      'u.id as u_id',
      'u.username as u_username',
      'u.full_name as u_full_name',
      'u.role as u_role',
      'u.unit_id as u_unit_id',
      'u.active as u_active',
      'u.must_change_password as u_must_change_password',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const session: SessionRow = {
    id: row.id,
    user_id: row.user_id,
    csrf_token: row.csrf_token,
    flash: row.flash,
    created_at: row.created_at,
    last_seen_at: row.last_seen_at,
  };
  const user: SessionUser | null =
    row.u_id === null
      ? null
      : {
          id: row.u_id,
          username: row.u_username!,
          full_name: row.u_full_name!,
          role: row.u_role!,
          unit_id: row.u_unit_id,
          active: row.u_active!,
          must_change_password: row.u_must_change_password!,
        };
  return { session, user };
}

export async function insertSession(
  db: Db,
  row: { id: string; user_id: number | null; csrf_token: string; at: string; user_agent: string | null; ip: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: row.id,
      user_id: row.user_id,
      csrf_token: row.csrf_token,
      created_at: row.at,
      last_seen_at: row.at,
      user_agent: row.user_agent,
      ip: row.ip,
    })
    .execute();
}

export async function updateSessionSeen(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function updateSessionFlash(db: Db, id: string, flash: string | null): Promise<void> {
  await db.updateTable('sessions').set({ flash }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user, optionally keeping one (the one that changed the password). */
export async function deleteUserSessions(db: Db, userId: number, keepId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) q = q.where('id', '!=', keepId);
  await q.execute();
}

export async function deleteStaleSessions(db: Db, idleBefore: string, createdBefore: string): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
    .execute();
}

/** Stores a signing key under `name` unless one is there already (another process may store it at the same time). */
export async function insertSigningKeyIfMissing(db: Db, name: string, secret: string, at: string): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({ name, secret, created_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** A signing key kept in the database (created by the migration that needs it). */
export async function findSigningKey(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('signing_keys').select('secret').where('name', '=', name).executeTakeFirst();
  return row?.secret;
}
