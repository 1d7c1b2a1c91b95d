import { todayOf } from '../../core/http/today';
import type { AppContext } from '../../core/context';
import { SIGNED_IN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { asRevisionSigners } from '../organisation/organisation.queries';
import { adminDashboard, leaderDashboard, qualityDashboard, staffDashboard } from './dashboard.view';

/** The home page: one dashboard per role. */
export function dashboardRoutes(ctx: AppContext): RouteTable {
  return new RouteTable().get('/', SIGNED_IN, async (req, res) => {
    const user = req.user!;
    const today = todayOf(res);
    const lang = req.lang ?? 'vi';
    const base = { pageTitle: 'nav.dashboard', today };
    const signers = asRevisionSigners((res.locals.org as { revision_signers?: number | null } | undefined)?.revision_signers);
    switch (user.role) {
      case 'quality_officer':
        res.render('dashboard/quality', { ...base, ...(await qualityDashboard(ctx, user.id, today, lang)) });
        return;
      case 'leader':
        res.render('dashboard/leader', {
          ...base,
          ...(await leaderDashboard(ctx, user.id, today, lang, signers)),
        });
        return;
      case 'admin':
        res.render('dashboard/admin', { ...base, ...(await adminDashboard(ctx)) });
        return;
      case 'inspector':
        // An inspector's own page is the oversight of the organisations under its own; reading one of them
        // (?org=CODE), it sees that organisation's leader's page, read-only (nothing there is assigned to it).
        if (!req.viewing) return res.redirect(303, '/oversight');
        res.render('dashboard/leader', { ...base, ...(await leaderDashboard(ctx, user.id, today, lang, signers)) });
        return;
      default:
        res.render('dashboard/staff', { ...base, ...(await staffDashboard(ctx, user.id, today)) });
    }
  });
}
