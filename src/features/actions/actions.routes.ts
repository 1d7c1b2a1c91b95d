import type { AppContext } from '../../core/context';
import { RouteTable } from '../../core/http/routes';

export function actionsRoutes(_ctx: AppContext): RouteTable {
  return new RouteTable();
}
