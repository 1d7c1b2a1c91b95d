import type { Db } from '../db/database';

export interface SessionRow {
  id: string;
  user_id: number | null;
  csrf_token: string;
  flash: string | null;
  created_at: string;
  last_seen_at: string;
}

export interface SessionUser {
  id: number;
  username: string;
  full_name: string;
  role: 'admin' | 'quality_officer' | 'leader' | 'staff';
  unit_id: number | null;
  active: number;
}

export function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'csrf_token', 'flash', 'created_at', 'last_seen_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findSessionUser(db: Db, userId: number): Promise<SessionUser | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'full_name', 'role', 'unit_id', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst();
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
