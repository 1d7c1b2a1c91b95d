import type { AppContext } from '../../core/context';
import type { ApiRouteTable } from './api.http';

/** PUT /dossiers/{code} and POST /dossiers:batch (scope dossiers:write). */
export function addDossierOperations(table: ApiRouteTable, _ctx: AppContext): void {
  void table;
}
