import type { AppContext } from '../../core/context';
import { addDays } from '../../core/calendar';
import type { SessionUser } from '../../core/http/session.queries';
import { ACCEPT_ATTRIBUTE } from '../../core/files';
import { findDocument, findDocumentOptions } from '../documents/documents.queries';
import { listActiveUserOptions } from '../users/users.queries';
import { canActOn, canPlan, isQuality } from './nonconformities.access';
import { ACTION_KINDS, actionBadge, DUE_SOON_DAYS, isOpenAction, urgencyOf, type ActionType } from './nonconformities.actions.model';
import { listActionFiles, listActionNotes, type ActionRow } from './nonconformities.actions.queries';
import { sourceActive } from './nonconformities.actions.service';
import { actionSource, type ActionSourceView } from './nonconformities.actions.source';

/** What the action page shows and which forms the user gets. */
export async function actionPageLocals(ctx: AppContext, a: ActionRow, user: SessionUser, today: string) {
  const open = isOpenAction(a.status);
  const act = canActOn(user, a);
  return {
    pageTitle: 'actions.title_one',
    action: a,
    source: actionSource(a),
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
      edit: open && canPlan(user, a),
      upload: act && a.status !== 'cancelled' && sourceActive(a),
    },
    errors: {},
  };
}

/** The organisation's active users, as the owner field offers them. */
export async function userOptions(ctx: AppContext) {
  return (await listActiveUserOptions(ctx.db)).map((u) => ({ value: u.id, label: u.full_name }));
}

/** The form that plans a new action on a source (views/actions/form.hbs), offering the types that source takes now. */
export async function newActionFormLocals(ctx: AppContext, source: ActionSourceView, types: readonly ActionType[]) {
  return {
    pageTitle: 'actions.new',
    source,
    typeOptions: types.map((value) => ({ value })),
    kindOptions: ACTION_KINDS.map((value) => ({ value })),
    documentOptions: (await findDocumentOptions(ctx.db)).map((d) => ({ value: d.id, label: `${d.code} — ${d.title}` })),
    userOptions: await userOptions(ctx),
  };
}
