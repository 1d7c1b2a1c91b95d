import type { Db } from '../../core/db/database';
import { findEffectiveRevisionForProcedure } from '../documents/documents.queries';

/** The document revision in force for a procedure, pinned on the NC when it is raised (or its procedure changes). */
export interface PinnedRevision {
  document_id: number | null;
  revision_id: number | null;
  revision_no: number | null;
}

export async function pinnedRevisionFor(trx: Db, procedureId: number | null): Promise<PinnedRevision> {
  const rev = procedureId === null ? undefined : await findEffectiveRevisionForProcedure(trx, procedureId);
  return rev
    ? { document_id: rev.documentId, revision_id: rev.revisionId, revision_no: rev.revisionNo }
    : { document_id: null, revision_id: null, revision_no: null };
}
