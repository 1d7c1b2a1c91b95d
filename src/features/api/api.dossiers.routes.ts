import type { AppContext } from '../../core/context';
import type { ApiRouteTable } from './api.http';
import { BatchBodySchema, BatchResultSchema, CodeParamsSchema, DossierBodySchema, MAX_BATCH_ITEMS, PutResultSchema } from './api.dossiers.schemas';
import { pushDossiers, putDossier } from './api.dossiers.service';

/** PUT /dossiers/{code} and POST /dossiers:batch (scope dossiers:write). */
export function addDossierOperations(table: ApiRouteTable, _ctx: AppContext): void {
  table.add({
    method: 'put',
    path: '/dossiers/{code}',
    operationId: 'putDossier',
    scope: 'dossiers:write',
    summary: 'Create or update a dossier by its code',
    description:
      'The dossier is checked by the same rules as a row of a dossier file (IMPORT-FORMATS.md): 201 when created, 200 when updated or unchanged. ' +
      'Sending the same dossier again changes nothing and writes nothing.',
    tags: ['Dossiers'],
    params: CodeParamsSchema,
    body: DossierBodySchema,
    response: PutResultSchema,
    statuses: [201, 200],
    problems: [400, 404, 409, 413, 415, 422],
    writes: true,
    handle: async ({ params, body, caller, ctx }) => {
      const out = await putDossier(ctx, caller, params.code, body);
      return { status: out.created ? 201 : 200, body: out.body };
    },
  });
  table.add({
    method: 'post',
    path: '/dossiers:batch',
    operationId: 'batchDossiers',
    scope: 'dossiers:write',
    summary: `Create or update up to ${MAX_BATCH_ITEMS} dossiers at once`,
    description:
      'All or nothing: any wrong item (listed with its index in `errors`) and nothing is written. Dossiers already stored with the same values are counted unchanged.',
    tags: ['Dossiers'],
    body: BatchBodySchema,
    response: BatchResultSchema,
    problems: [400, 409, 413, 415, 422],
    writes: true,
    handle: async ({ body, caller, ctx }) => ({ body: await pushDossiers(ctx, caller, body.items) }),
  });
}
