import type { SessionUser } from '../../core/http/session.queries';
import { QUALITY, READERS } from '../../core/http/roles';
import type { FeedbackStatus } from './feedback.tables';

/**
 * Who may do what with a feedback record (pure). The quality officer and the admin manage the register; leaders and
 * the inspector read it; a staff member sees the records they recorded or are assigned, and whoever is assigned a
 * record answers it.
 */
export const isQuality = (user: Pick<SessionUser, 'role'>) => QUALITY.includes(user.role);

interface RecordPeople {
  assignee_id: number | null;
  created_by: number | null;
}

export function canSee(user: Pick<SessionUser, 'id' | 'role'>, f: RecordPeople): boolean {
  return READERS.includes(user.role) || f.assignee_id === user.id || f.created_by === user.id;
}

/** States in which a record is still worked on: corrected, assigned, answered (again), cancelled. */
export const LIVE_STATUSES: readonly FeedbackStatus[] = ['open', 'answered'];

export function canAnswer(user: Pick<SessionUser, 'id' | 'role'>, f: RecordPeople & { status: FeedbackStatus }): boolean {
  return LIVE_STATUSES.includes(f.status) && (isQuality(user) || (f.assignee_id === user.id && user.role !== 'inspector'));
}

/** Badge class of a status (the text always goes with it). */
export function statusBadge(status: FeedbackStatus): string {
  if (status === 'closed') return 'badge-ok';
  if (status === 'cancelled') return 'badge-muted';
  if (status === 'answered') return 'badge-info';
  return 'badge-warn';
}
