import type { Db } from '../../core/db/database';
import { findEffectiveRevisionForProcedure } from '../documents/documents.queries';

/** The document revision in force for a procedure, pinned on the NC when it is raised (or its procedure changes). */
export interface PinnedRevision {
  document_id: number | null;
  revision_id: number | null;
  revision_no: number | null;
}

/** `today`: the organisation's local date (the revision in force on it, from 00:00 of its date). */
export async function pinnedRevisionFor(trx: Db, procedureId: number | null, today: string): Promise<PinnedRevision> {
  const rev = procedureId === null ? undefined : await findEffectiveRevisionForProcedure(trx, procedureId, today);
  return rev
    ? { document_id: rev.documentId, revision_id: rev.revisionId, revision_no: rev.revisionNo }
    : { document_id: null, revision_id: null, revision_no: null };
}
