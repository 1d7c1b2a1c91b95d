import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { insertOrganisationOf } from '../units/units.queries';
import type { Role, UsersTable } from '../../core/db/schema';
import { sortVi } from '../../core/text/collate';

/** A user with the code and name of their unit (null when they have none). */
export type UserRow = Pick<
  Selectable<UsersTable>,
  'id' | 'username' | 'full_name' | 'role' | 'unit_id' | 'email' | 'position_title' | 'active' | 'version' | 'created_at' | 'must_change_password'
> & {
  unit_code: string | null;
  unit_name: string | null;
};

const base = (db: Db) =>
  db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select([
      'users.id',
      'users.username',
      'users.full_name',
      'users.role',
      'users.unit_id',
      'units.code as unit_code',
      'units.name as unit_name',
      'users.email',
      'users.position_title',
      'users.active',
      'users.version',
      'users.created_at',
      'users.must_change_password',
    ])
    .where('users.organisation_id', '=', organisationOf(db));

export function findUser(db: Db, id: number): Promise<UserRow | undefined> {
  return base(db).where('users.id', '=', id).executeTakeFirst();
}

/**
 * Whether a username is taken anywhere in the database: usernames are unique across organisations (sign-in has no
 * organisation picker), so this one reads every organisation's users.
 */
export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) !== undefined;
}

export async function listUsers(db: Db, filter: { role?: Role; unitId?: number; active?: boolean } = {}): Promise<UserRow[]> {
  let q = base(db);
  if (filter.role) q = q.where('users.role', '=', filter.role);
  if (filter.unitId) q = q.where('users.unit_id', '=', filter.unitId);
  if (filter.active !== undefined) q = q.where('users.active', '=', filter.active ? 1 : 0);
  // Active first, then by name in Vietnamese order (SQLite's ORDER BY is byte order).
  return sortVi(
    await q.execute(),
    (u) => -u.active,
    (u) => u.full_name,
  );
}

/** Active users for pickers (owner, auditor, …). */
export async function listActiveUserOptions(db: Db): Promise<{ id: number; full_name: string; role: Role; unit_id: number | null }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'full_name', 'role', 'unit_id'])
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .execute();
  return sortVi(rows, (u) => u.full_name);
}

export interface NewUser {
  username: string;
  full_name: string;
  role: Role;
  unit_id: number | null;
  email: string | null;
  position_title: string | null;
  password_hash: string;
  /** 1: an administrator chose the password; the user must choose their own at first sign-in. */
  must_change_password?: number;
}

export async function insertUser(db: Db, user: NewUser, at: string): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ ...user, password_changed_at: at, created_at: at, updated_at: at, organisation_id: insertOrganisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type UserChanges = Pick<NewUser, 'full_name' | 'role' | 'unit_id' | 'email' | 'position_title'>;

/** Optimistic update: only when `version` is current. Returns false on a conflicting edit. */
export async function updateUser(db: Db, id: number, changes: Partial<UserChanges> & { active?: number }, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A new password hash (reset by an admin or changed by its owner): users owns the writes, sign-in only reads it.
 * `mustChange` is 1 when someone else chose the password, 0 when its owner did.
 */
export async function updatePasswordHash(db: Db, userId: number, hash: string, mustChange: 0 | 1, at: string): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ password_hash: hash, must_change_password: mustChange, password_changed_at: at, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', userId)
    .where('organisation_id', '=', organisationOf(db))
    .execute();
}
