import type { AppContext } from '../../core/context';
import type { ApiRouteTable } from './api.http';

/** GET /procedures, /procedures/{code}, /nonconformities, /documents/current (scope registers:read). */
export function addRegisterOperations(table: ApiRouteTable, _ctx: AppContext): void {
  void table;
}
