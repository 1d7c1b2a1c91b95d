import type { AppContext } from '../../core/context';
import type { ApiRouteTable } from './api.http';

/** GET /reports/procedures/{code} and /reports/summary (scope reports:read). */
export function addReportOperations(table: ApiRouteTable, _ctx: AppContext): void {
  void table;
}
