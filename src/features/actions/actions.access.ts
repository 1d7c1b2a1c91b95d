import type { Db } from '../../core/db/database';
import { Forbidden } from '../../core/http/errors';
import type { SessionUser } from '../../core/http/session.queries';
import { canView, canWork } from '../nonconformities/nonconformities.access';
import type { ActionRow } from './actions.queries';

/** An action is seen by its owner and by whoever may see its NC; it is worked by its owner and whoever works the NC. */
type User = Pick<SessionUser, 'id' | 'role'>;

export async function assertCanViewAction(db: Db, u: User, a: ActionRow): Promise<void> {
  if (a.owner_id === u.id) return;
  if (!(await canView(db, u, { id: a.nonconformity_id, reported_by: a.nc_reported_by, responsible_user_id: a.nc_responsible_user_id }))) throw new Forbidden();
}

export function canActOn(u: User, a: ActionRow): boolean {
  return a.owner_id === u.id || canWork(u, { responsible_user_id: a.nc_responsible_user_id });
}

export function assertCanActOn(u: User, a: ActionRow): void {
  if (!canActOn(u, a)) throw new Forbidden();
}

/** Planning (add, edit) is for those who work the NC, not for an owner as such. */
export function assertCanPlan(u: User, a: ActionRow): void {
  if (!canWork(u, { responsible_user_id: a.nc_responsible_user_id })) throw new Forbidden();
}
