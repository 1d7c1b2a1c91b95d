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

/**
 * An action is seen by its owner and by whoever may see its source; it is worked by its owner and whoever works the
 * source. A risk's action (clause 6.1): its source is seen by the managers and the risk's owner, and worked by the
 * quality officers and the risk's owner. A management review's decision (clause 9.3.3): its action is seen by the
 * managers and its owner, worked by its owner and the quality officers, planned (edited) by the managers.
 */
type ActionAccess = Pick<
  ActionRow,
  'owner_id' | 'nonconformity_id' | 'nc_reported_by' | 'nc_responsible_user_id' | 'risk_id' | 'risk_owner_id' | 'review_decision_id'
>;

const worksSource = (u: User, a: ActionAccess) => {
  if (a.review_decision_id !== null) return isQuality(u);
  return a.risk_id !== null ? isQuality(u) || a.risk_owner_id === u.id : canWork(u, { responsible_user_id: a.nc_responsible_user_id });
};

export async function assertCanViewAction(db: Db, u: User, a: ActionAccess): Promise<void> {
  if (a.owner_id === u.id) return;
  if (a.review_decision_id !== null) {
    if (isManager(u)) return;
    throw new Forbidden();
  }
  if (a.risk_id !== null) {
    if (isManager(u) || a.risk_owner_id === u.id) return;
    throw new Forbidden();
  }
  if (!(await canView(db, u, { id: a.nonconformity_id!, reported_by: a.nc_reported_by, responsible_user_id: a.nc_responsible_user_id }))) throw new Forbidden();
}

export function canActOn(u: User, a: ActionAccess): boolean {
  return a.owner_id === u.id || worksSource(u, a);
}

export function assertCanActOn(u: User, a: ActionAccess): void {
  if (!canActOn(u, a)) throw new Forbidden();
}

/** Planning (add, edit) is for those who work the source, not for an owner as such. */
export function canPlan(u: User, a: ActionAccess): boolean {
  if (a.review_decision_id !== null) return isManager(u);
  return worksSource(u, a);
}

export function assertCanPlan(u: User, a: ActionAccess): void {
  if (!canPlan(u, a)) throw new Forbidden();
}
