import type { Db } from '../../core/db/database';
import { Forbidden } from '../../core/http/errors';
import type { SessionUser } from '../../core/http/session.queries';
import type { ActionRow } from './nonconformities.actions.queries';
import { ownsActionOf, type NcRow } from './nonconformities.queries';

/**
 * Record-level rules on top of the route guards:
 * - managers (admin, quality officer, leader) see every NC; anyone else sees the NCs they reported,
 *   are responsible for, or own an action of;
 * - quality officers (and admin) triage, edit, cancel and reopen; they and the person responsible for
 *   the NC work it (correction, analysis, plan, actions); verification is for quality officers and
 *   leaders who own none of its actions (checked in the service).
 */
type User = Pick<SessionUser, 'id' | 'role'>;

export const isQuality = (u: User) => u.role === 'admin' || u.role === 'quality_officer';
export const isManager = (u: User) => isQuality(u) || u.role === 'leader';
export const isVerifierRole = (u: User) => u.role === 'quality_officer' || u.role === 'leader';

export function canWork(u: User, nc: Pick<NcRow, 'responsible_user_id'>): boolean {
  return isQuality(u) || (nc.responsible_user_id !== null && nc.responsible_user_id === u.id);
}

export async function canView(db: Db, u: User, nc: Pick<NcRow, 'id' | 'reported_by' | 'responsible_user_id'>): Promise<boolean> {
  if (isManager(u) || nc.reported_by === u.id || nc.responsible_user_id === u.id) return true;
  return ownsActionOf(db, nc.id, u.id);
}

export async function assertCanView(db: Db, u: User, nc: Pick<NcRow, 'id' | 'reported_by' | 'responsible_user_id'>): Promise<void> {
  if (!(await canView(db, u, nc))) throw new Forbidden();
}

export function assertCanWork(u: User, nc: Pick<NcRow, 'responsible_user_id'>): void {
  if (!canWork(u, nc)) throw new Forbidden();
}

/** An action is seen by its owner and by whoever may see its NC; it is worked by its owner and whoever works the NC. */
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
