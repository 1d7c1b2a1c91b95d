import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import { hashPassword } from '../../core/security/passwords';
import { deleteUserSessions } from '../../core/http/session.queries';
import { checkUnitOfOrganisation } from '../units/units.service';
import { countActiveAdmins, findUser, insertUser, updatePasswordHash, updateUser, usernameTaken, type NewUser, type UserChanges } from './users.queries';

export class UsernameTaken extends Error {}
export class LastAdmin extends Error {}

type NewUserInput = Omit<NewUser, 'password_hash'> & { password: string };

/**
 * Creates a user with its audit entry; hash first (slow, outside any transaction), then write. An administrator's new
 * account carries must_change_password = 1 (its owner chooses their own password at first sign-in); the first-run
 * setup, `qms user:add` and the demo leave it 0.
 */
export async function createUserIn(trx: Db, user: Omit<NewUser, 'password_hash'>, passwordHash: string, actorId: number | null, at: Date): Promise<number> {
  if (await usernameTaken(trx, user.username)) throw new UsernameTaken();
  await checkUnitOfOrganisation(trx, user.unit_id);
  const id = await insertUser(trx, { ...user, password_hash: passwordHash }, at.toISOString());
  await record(trx, { userId: actorId ?? id, action: 'create', entity: 'user', entityId: id, new: user }, at);
  return id;
}

export async function createUser(ctx: AppContext, input: NewUserInput, actorId: number | null): Promise<number> {
  const { password, ...user } = input;
  const hash = await hashPassword(password);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => createUserIn(trx, user, hash, actorId, at));
}

export async function editUser(ctx: AppContext, id: number, changes: UserChanges, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findUser(trx, id);
    if (!before) throw new NotFound();
    await checkUnitOfOrganisation(trx, changes.unit_id);
    if (before.role === 'admin' && changes.role !== 'admin' && before.active === 1 && (await countActiveAdmins(trx)) <= 1) throw new LastAdmin();
    if (!(await updateUser(trx, id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const old = { full_name: before.full_name, role: before.role, unit_id: before.unit_id, email: before.email, position_title: before.position_title };
    await record(trx, { userId: actorId, action: 'update', entity: 'user', entityId: id, old, new: changes }, at);
  });
}

/** Deactivates or reactivates an account (never deleted); deactivation ends its sessions. */
export async function setUserActive(ctx: AppContext, id: number, active: boolean, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findUser(trx, id);
    if (!before) throw new NotFound();
    if (!active && before.role === 'admin' && before.active === 1 && (await countActiveAdmins(trx)) <= 1) throw new LastAdmin();
    if (!(await updateUser(trx, id, { active: active ? 1 : 0 }, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    if (!active) await deleteUserSessions(trx, id);
    await record(
      trx,
      {
        userId: actorId,
        action: active ? 'reactivate' : 'deactivate',
        entity: 'user',
        entityId: id,
        old: { active: before.active },
        new: { active: active ? 1 : 0 },
        reason,
      },
      at,
    );
  });
}

/**
 * Sets a new password (by an admin, or by the user after checking the current one) and ends the user's sessions.
 * A password an administrator set for someone else must be changed by its owner at their next sign-in; the owner's
 * own choice clears that.
 */
export async function setPassword(
  ctx: AppContext,
  userId: number,
  password: string,
  actorId: number,
  action: 'reset_password' | 'change_password',
): Promise<void> {
  const hash = await hashPassword(password);
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await findUser(trx, userId))) throw new NotFound();
    await updatePasswordHash(trx, userId, hash, action === 'reset_password' && actorId !== userId ? 1 : 0, at.toISOString());
    await deleteUserSessions(trx, userId);
    await record(trx, { userId: actorId, action, entity: 'user', entityId: userId }, at);
  });
}
