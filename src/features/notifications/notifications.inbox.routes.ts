import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { parseForm, type FormView } from '../../core/http/forms';
import { idParam, pageParam, pager, queryText } from '../../core/http/params';
import { SIGNED_IN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { MarkReadForm } from './notifications.inbox.schemas';
import { paramsOf, recordOf } from './notifications.params';
import { countInbox, isMine, listInbox, markAllRead, markRead, type InboxFilter, type InboxRow } from './notifications.inbox.queries';

/**
 * The inbox (issue 26): every signed-in person sees their own notifications, newest first, the unread ones marked,
 * each with a link to its record; they mark one, or all, as read (POST forms with the CSRF token). Another person's
 * notification answers 404. The unread count in every page's header is set by the app (countUnread).
 */
const PAGE_SIZE = 30;

const filterOf = (req: Request): InboxFilter => (queryText(req, 'show', 10) === 'unread' ? 'unread' : 'all');

/** What a row shows: its kind, the record's code and title, a detail of its kind, its due date. */
function itemOf(row: InboxRow) {
  const p = paramsOf(row.params);
  const what = recordOf(p);
  const detail =
    p.revision !== undefined && p.revision !== null
      ? { key: 'notifications.inbox.revision', params: { revision: p.revision } }
      : p.finding !== undefined && p.finding !== null
        ? { key: 'notifications.inbox.finding', params: { finding: p.finding } }
        : undefined;
  return { id: row.id, kind: row.kind, link: row.link, what, detail, dueOn: row.due_on, createdAt: row.created_at, unread: row.read_at === null };
}

export function inboxRoutes(ctx: AppContext): RouteTable {
  const page = async (req: Request, filter: InboxFilter): Promise<FormView> => {
    const userId = req.user!.id;
    const total = await countInbox(ctx.db, userId, filter);
    const at = Math.min(pageParam(req), Math.max(1, Math.ceil(total / PAGE_SIZE)));
    const found = await listInbox(ctx.db, userId, filter, PAGE_SIZE, (at - 1) * PAGE_SIZE);
    return {
      view: 'notifications/inbox',
      locals: {
        pageTitle: 'notifications.inbox.title',
        items: found.map(itemOf),
        showUnread: filter === 'unread',
        pager: pager(at, PAGE_SIZE, total, { show: filter === 'unread' ? 'unread' : undefined }),
      },
    };
  };
  /** The form's filter to return to; a form with any other field is refused (422, the inbox shown again). */
  const back = async (req: Request): Promise<string> => {
    const form = parseForm(MarkReadForm, req.body, await page(req, 'all'));
    return form.show === 'unread' ? '/inbox?show=unread' : '/inbox';
  };
  return new RouteTable()
    .get('/inbox', SIGNED_IN, async (req, res) => {
      const view = await page(req, filterOf(req));
      res.render(view.view, view.locals);
    })
    .post('/inbox/read-all', SIGNED_IN, async (req, res) => {
      const to = await back(req);
      const count = await markAllRead(ctx.db, req.user!.id, ctx.clock.now().toISOString());
      await setFlash(ctx, req, { kind: 'success', key: 'notifications.inbox.all_marked', params: { count: String(count) } });
      res.redirect(303, to);
    })
    .post('/inbox/:id/read', SIGNED_IN, async (req, res) => {
      const id = idParam(req);
      if (!(await isMine(ctx.db, req.user!.id, id))) throw new NotFound();
      const to = await back(req);
      await markRead(ctx.db, req.user!.id, id, ctx.clock.now().toISOString());
      await setFlash(ctx, req, { kind: 'success', key: 'notifications.inbox.marked' });
      res.redirect(303, to);
    });
}
