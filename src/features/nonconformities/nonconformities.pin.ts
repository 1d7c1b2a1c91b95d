import type { Db } from '../../core/db/database';

/** The document revision in force for a procedure, pinned on the NC when it is raised. */
export interface PinnedRevision {
  document_id: number | null;
  revision_id: number | null;
  revision_no: number | null;
}

const NONE: PinnedRevision = { document_id: null, revision_id: null, revision_no: null };

// TEMPORARY until documents.queries.ts exports findEffectiveRevisionForProcedure.
export async function pinnedRevisionFor(_trx: Db, procedureId: number | null): Promise<PinnedRevision> {
  if (procedureId === null) return NONE;
  return NONE;
}
