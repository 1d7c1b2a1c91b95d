import type { AppContext } from '../../core/context';
import { SIGNED_IN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';

export function dashboardRoutes(_ctx: AppContext): RouteTable {
  return new RouteTable().get('/', SIGNED_IN, (_req, res) => {
    res.render('dashboard/index', { pageTitle: 'nav.dashboard' });
  });
}
