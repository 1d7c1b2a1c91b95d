import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { RevisionStatus } from './documents.tables';

/**
 * The one rule of "the revision of a document in force on the local date D", derived from the dates alone, so every
 * page and report is right from 00:00 of a revision's date without the recorded transition (activateDueRevisions,
 * which sets the statuses, superseded_on and the audit-log entries) having run yet:
 *
 *   among the document's published revisions (approved, effective, superseded, withdrawn) with effective_from <= D
 *   and superseded_on null or later than D, the one with the latest effective_from.
 *
 * A document has at most one revision in progress, so at most one approved: an effective revision whose approved
 * successor's date has come is no longer in force although its superseded_on is still null, and the successor is.
 * A recorded transition sets superseded_on to that same date, so the answer does not change when it is recorded.
 * Three forms of the same rule: `inForceOn` (a condition on a revision, any date: the reports of past periods),
 * `inForceIdNow` (the id of a document's revision in force on a date not before today: only the approved and
 * effective revisions can be, each found by its own partial unique index) and `revisionsAsOf` (the revisions of one
 * document already read, for its page). The document's own status (withdrawn, obsolete) is the callers' to check.
 */
export const IN_FORCE_STATUSES = ['approved', 'effective', 'superseded', 'withdrawn'] as const;

const ref = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/**
 * Whether the revision `alias` is the one in force on `date` (a local yyyy-MM-dd, or an expression of one). The
 * successor test reads the document's revisions in progress (at most one, from document_revisions_one_in_progress).
 */
export function inForceOn(alias: string, date: string | Expression<string>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${ref(alias, 'status')} in ('approved', 'effective', 'superseded', 'withdrawn')
    and ${ref(alias, 'effective_from')} <= ${date}
    and (${ref(alias, 'superseded_on')} is null or ${ref(alias, 'superseded_on')} > ${date})
    and not exists (select 1 from document_revisions nx where nx.document_id = ${ref(alias, 'document_id')}
      and nx.status in ('draft', 'in_review', 'approved') and nx.status = 'approved'
      and nx.effective_from <= ${date} and nx.revision_no > ${ref(alias, 'revision_no')}))`;
}

/**
 * The id of the revision in force on `today` (or a later date) of the document `documentId`: its approved revision
 * when that one's date has come, else its effective one; null when neither. Superseded and withdrawn revisions
 * ended on or before today. For lists of what is in force now, joined as `r.id = inForceIdNow(...)`: two lookups of
 * partial unique indexes and one by primary key per document, as cheap as the former join on status = 'effective'.
 */
export function inForceIdNow(documentId: Expression<number>, today: string): RawBuilder<number | null> {
  return sql<number | null>`coalesce(
    (select a.id from document_revisions a where a.document_id = ${documentId}
      and a.status in ('draft', 'in_review', 'approved') and a.status = 'approved' and a.effective_from <= ${today}),
    (select e.id from document_revisions e where e.document_id = ${documentId} and e.status = 'effective'))`;
}

interface DatedRevision {
  revision_no: number;
  status: RevisionStatus;
  effective_from: string | null;
  superseded_on: string | null;
  next_review_due: string | null;
}

/** The revision in force on `date` among one document's revisions (the same rule, on rows already read). */
export function revisionInForce<R extends DatedRevision>(revisions: readonly R[], date: string): R | undefined {
  let best: R | undefined;
  for (const r of revisions) {
    if (!(IN_FORCE_STATUSES as readonly string[]).includes(r.status) || !r.effective_from || r.effective_from > date) continue;
    if (r.superseded_on !== null && r.superseded_on <= date) continue;
    if (!best || r.effective_from > best.effective_from! || (r.effective_from === best.effective_from && r.revision_no > best.revision_no)) best = r;
  }
  return best;
}

/**
 * One document's revisions as they stand on `date` (today, for its page): the approved revision whose date has come
 * reads as effective, and the effective one it replaces as superseded on that date, before the transition is
 * recorded (its next periodic review date as the transition will set it). Rows already recorded are returned as they are.
 */
export function revisionsAsOf<R extends DatedRevision>(revisions: readonly R[], date: string, nextReviewDue: (from: string) => string): R[] {
  const current = revisionInForce(revisions, date);
  if (!current || current.status !== 'approved') return [...revisions];
  return revisions.map((r) => {
    if (r === current) return { ...r, status: 'effective' as const, next_review_due: nextReviewDue(current.effective_from!) };
    if (r.status === 'effective') return { ...r, status: 'superseded' as const, superseded_on: current.effective_from };
    return r;
  });
}

/**
 * Whether the effective revision `alias` is still in force on `today`: no approved successor whose date has come
 * (the rule's successor test alone, for the lists read from the recorded effective revisions' review dates).
 */
export function notReplacedOn(alias: string, today: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`not exists (select 1 from document_revisions nx where nx.document_id = ${ref(alias, 'document_id')}
    and nx.status in ('draft', 'in_review', 'approved') and nx.status = 'approved' and nx.effective_from <= ${today})`;
}
