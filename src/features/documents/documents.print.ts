import type { CopyRow } from './documents.copies.queries';
import type { DocumentRow } from './documents.queries';
import type { RevisionRow } from './documents.revisions.queries';

/**
 * What a printed document page carries (issue 25, views/public/documents-print.css): a revision not yet in force
 * prints under a large DỰ THẢO, one superseded or withdrawn (or of a withdrawn document) under HẾT HIỆU LỰC; the
 * revision in force prints either as a controlled copy — the stamp BẢN KIỂM SOÁT with the copy's number and holder,
 * the code, the revision, the effective date and the print time, for a copy in the register printed by a quality
 * officer — or as BẢN KHÔNG KIỂM SOÁT with the print time. The print time is the app's clock, shown in the
 * organisation's zone by the template.
 */
export type PrintMarkKind = 'draft' | 'obsolete' | 'controlled' | 'uncontrolled';

export interface PrintMark {
  kind: PrintMarkKind;
  /** The instant of printing (ISO-8601 UTC). */
  printedAt: string;
  copy?: CopyRow;
}

const DRAFTS = new Set(['draft', 'in_review', 'approved', 'cancelled']);

export function printMarkOf(
  doc: Pick<DocumentRow, 'status'>,
  rev: Pick<RevisionRow, 'id' | 'status'> | undefined,
  copy: CopyRow | undefined,
  now: Date,
): PrintMark | undefined {
  if (!rev) return undefined;
  const printedAt = now.toISOString();
  if (doc.status === 'withdrawn' || rev.status === 'superseded' || rev.status === 'withdrawn') return { kind: 'obsolete', printedAt };
  if (DRAFTS.has(rev.status)) return { kind: 'draft', printedAt };
  if (copy && copy.withdrawn_at === null && copy.revision_id === rev.id) return { kind: 'controlled', printedAt, copy };
  return { kind: 'uncontrolled', printedAt };
}
