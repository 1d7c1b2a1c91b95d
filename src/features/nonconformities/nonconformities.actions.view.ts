import type { AppContext } from '../../core/context';
import { addDays } from '../../core/calendar';
import type { SessionUser } from '../../core/http/session.queries';
import { ACCEPT_ATTRIBUTE } from '../../core/files';
import { findDocument } from '../documents/documents.queries';
import { canActOn, isQuality } from './nonconformities.access';
import { actionBadge, DUE_SOON_DAYS, isOpenAction, urgencyOf } from './nonconformities.actions.model';
import { listActionFiles, listActionNotes, type ActionRow } from './nonconformities.actions.queries';

/** What the action page shows and which forms the user gets. */
export async function actionPageLocals(ctx: AppContext, a: ActionRow, user: SessionUser, today: string) {
  const open = isOpenAction(a.status);
  const act = canActOn(user, a);
  const ncActive = !['closed', 'cancelled', 'rejected'].includes(a.nc_status);
  return {
    pageTitle: 'actions.title_one',
    action: a,
    statusClass: actionBadge(a.status),
    urgency: urgencyOf(a.status, a.due_date, today, addDays(today, DUE_SOON_DAYS)),
    document: a.document_id ? await findDocument(ctx.db, a.document_id) : undefined,
    notes: await listActionNotes(ctx.db, a.id),
    files: await listActionFiles(ctx.db, a.id),
    accept: ACCEPT_ATTRIBUTE,
    maxMb: Math.round(ctx.config.uploadMaxBytes / 1048576),
    can: {
      start: act && a.status === 'planned',
      note: act && open,
      complete: act && open && a.kind === 'general',
      cancel: isQuality(user) && open,
      edit: open && (isQuality(user) || a.nc_responsible_user_id === user.id),
      upload: act && a.status !== 'cancelled' && ncActive,
    },
    errors: {},
  };
}
