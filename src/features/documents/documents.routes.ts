import type { AppContext } from '../../core/context';
import { RouteTable } from '../../core/http/routes';

export function documentsRoutes(_ctx: AppContext): RouteTable {
  return new RouteTable();
}
