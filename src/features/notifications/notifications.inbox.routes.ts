import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { idParam, pageParam, pager, queryText } from '../../core/http/params';
import { SIGNED_IN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { countInbox, isMine, listInbox, markAllRead, markRead, type InboxFilter, type InboxRow } from './notifications.inbox.queries';

/**
 * The inbox (issue 26): every signed-in person sees their own notifications, newest first, the unread ones marked,
 * each with a link to its record; they mark one, or all, as read (POST forms with the CSRF token). Another person's
 * notification answers 404. The unread count in every page's header is set by the app (countUnread).
 */
const PAGE_SIZE = 30;

const filterOf = (req: Request): InboxFilter => (queryText(req, 'show', 10) === 'unread' ? 'unread' : 'all');

function paramsOf(json: string): Record<string, string | number | null> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string | number | null>) : {};
  } catch {
    return {};
  }
}

/** What a row shows: its kind, the record's code and title, a detail of its kind, its due date. */
function itemOf(row: InboxRow) {
  const p = paramsOf(row.params);
  const what = [p.code, p.title].filter((x) => x !== null && x !== undefined && x !== '').join(' — ');
  const detail =
    p.revision !== undefined && p.revision !== null
      ? { key: 'notifications.inbox.revision', params: { revision: p.revision } }
      : p.finding !== undefined && p.finding !== null
        ? { key: 'notifications.inbox.finding', params: { finding: p.finding } }
        : undefined;
  return { id: row.id, kind: row.kind, link: row.link, what, detail, dueOn: row.due_on, createdAt: row.created_at, unread: row.read_at === null };
}

export function inboxRoutes(ctx: AppContext): RouteTable {
  const back = (req: Request) => {
    const show = (req.body as Record<string, unknown>).show === 'unread' ? '?show=unread' : '';
    return `/inbox${show}`;
  };
  return new RouteTable()
    .get('/inbox', SIGNED_IN, async (req, res) => {
      const userId = req.user!.id;
      const filter = filterOf(req);
      const total = await countInbox(ctx.db, userId, filter);
      const page = Math.min(pageParam(req), Math.max(1, Math.ceil(total / PAGE_SIZE)));
      const found = await listInbox(ctx.db, userId, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
      res.render('notifications/inbox', {
        pageTitle: 'notifications.inbox.title',
        items: found.map(itemOf),
        filter,
        showUnread: filter === 'unread',
        pager: pager(page, PAGE_SIZE, total, { show: filter === 'unread' ? 'unread' : undefined }),
      });
    })
    .post('/inbox/read-all', SIGNED_IN, async (req, res) => {
      const count = await markAllRead(ctx.db, req.user!.id, ctx.clock.now().toISOString());
      await setFlash(ctx, req, { kind: 'success', key: 'notifications.inbox.all_marked', params: { count: String(count) } });
      res.redirect(303, back(req));
    })
    .post('/inbox/:id/read', SIGNED_IN, async (req, res) => {
      const id = idParam(req);
      if (!(await isMine(ctx.db, req.user!.id, id))) throw new NotFound();
      await markRead(ctx.db, req.user!.id, id, ctx.clock.now().toISOString());
      await setFlash(ctx, req, { kind: 'success', key: 'notifications.inbox.marked' });
      res.redirect(303, back(req));
    });
}
