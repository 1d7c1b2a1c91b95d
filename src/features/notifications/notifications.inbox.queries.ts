import type { Db } from '../../core/db/database';
import type { NoticeKind } from './notifications.tables';

/**
 * A person's inbox. Every statement is bounded by the person (`user_id`, the notifications_user_read index): a
 * person's notifications are their organisation's, and another person's notification is not theirs to read or mark.
 * A read mark is the person's own reading state, not a change of the organisation's records: it is not audited.
 */
export interface InboxRow {
  id: number;
  kind: NoticeKind;
  link: string;
  params: string;
  due_on: string | null;
  created_at: string;
  read_at: string | null;
}

export type InboxFilter = 'all' | 'unread';

function mine(db: Db, userId: number, filter: InboxFilter) {
  let q = db.selectFrom('notifications').where('user_id', '=', userId);
  if (filter === 'unread') q = q.where('read_at', 'is', null);
  return q;
}

/** The person's unread notifications: the header's figure, on every page (one indexed count). */
export function countUnread(db: Db, userId: number): Promise<number> {
  return countInbox(db, userId, 'unread');
}

export async function countInbox(db: Db, userId: number, filter: InboxFilter): Promise<number> {
  const row = await mine(db, userId, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Newest first (the id breaks ties between notices of one change). */
export async function listInbox(db: Db, userId: number, filter: InboxFilter, limit: number, offset: number): Promise<InboxRow[]> {
  const found = await mine(db, userId, filter)
    .select(['id', 'kind', 'link', 'params', 'due_on', 'created_at', 'read_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return found.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Whether the notification is this person's (another's id, or none, answers 404 at the route). */
export async function isMine(db: Db, userId: number, id: number): Promise<boolean> {
  const row = await db.selectFrom('notifications').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Marks one of the person's notifications read (an already read one keeps its first reading time). */
export async function markRead(db: Db, userId: number, id: number, at: string): Promise<number> {
  const res = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Marks all the person's unread notifications read; how many. */
export async function markAllRead(db: Db, userId: number, at: string): Promise<number> {
  const res = await db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}
