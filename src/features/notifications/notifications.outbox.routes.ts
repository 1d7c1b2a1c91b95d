import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { idParam } from '../../core/http/params';
import { ADMIN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { queueTestMail, resendOutbox } from './notifications.outbox';
import { countOutbox, findUserEmail, listOutbox, OUTBOX_FILTERS, type OutboxFilter } from './notifications.outbox.queries';

/** How many messages the page lists (the newest); the counts cover them all. */
const PAGE_SIZE = 200;

const filterOf = (req: Request): OutboxFilter | undefined => OUTBOX_FILTERS.find((f) => f === (req.query as { show?: unknown }).show);

/**
 * The admin's outbox (issue 26): how many messages wait, were sent, failed or may have been sent twice; the newest
 * messages of a filter with their attempts, errors and the SMTP server's answers; resend of a failed message; a test
 * message to oneself. The organisation's own messages only.
 */
export function outboxRoutes(ctx: AppContext): RouteTable {
  return new RouteTable()
    .get('/admin/outbox', ADMIN, async (req, res) => {
      const show = filterOf(req);
      const [counts, messages] = await Promise.all([countOutbox(ctx.db), listOutbox(ctx.db, show, PAGE_SIZE)]);
      const shownTotal = show === 'duplicate' ? counts.duplicates : show === 'pending' ? counts.pending + counts.sending : show ? counts[show] : counts.total;
      res.render('notifications/outbox', {
        pageTitle: 'notifications.outbox.title',
        mailEnabled: ctx.config.smtpUrl !== undefined,
        counts,
        filters: [undefined, ...OUTBOX_FILTERS].map((f) => ({ key: f ?? 'all', href: f ? `/admin/outbox?show=${f}` : '/admin/outbox', current: f === show })),
        messages: messages.map((m) => ({ ...m, duplicate: Number(m.possible_duplicate) === 1, canResend: m.status === 'failed' })),
        more: shownTotal > messages.length ? { shown: messages.length, total: shownTotal } : undefined,
      });
    })
    .post('/admin/outbox/test', ADMIN, async (req, res) => {
      const email = await findUserEmail(ctx.db, req.user!.id);
      if (!email) {
        await setFlash(ctx, req, { kind: 'error', key: 'notifications.outbox.no_email' });
      } else {
        await queueTestMail(ctx, { id: req.user!.id, email, full_name: req.user!.full_name });
        await setFlash(ctx, req, { kind: 'success', key: 'notifications.outbox.test_queued', params: { to: email } });
      }
      res.redirect(303, '/admin/outbox');
    })
    .post('/admin/outbox/:id/resend', ADMIN, async (req, res) => {
      await resendOutbox(ctx, idParam(req), req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'notifications.outbox.resent' });
      res.redirect(303, '/admin/outbox?show=pending');
    });
}
