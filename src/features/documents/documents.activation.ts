import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { maybeOrganisationOf, scopedDb } from '../../core/db/scope';
import { todayLocal } from '../../core/calendar';
import { record } from '../../core/audit-log/audit-log';
import { Conflict } from '../../core/http/errors';
import { findDocument, type DocumentRow } from './documents.queries';
import {
  findEffectiveRevision,
  findRevision,
  findRevisionInProgress,
  listDueApprovedRevisions,
  updateRevisionIf,
  type RevisionRow,
} from './documents.revisions.queries';
import { upsertSearchEntry } from './documents.search.queries';
import { addMonthsIso } from './documents.text';
import { searchableBody } from './documents.compare';
import { listActiveOrganisationZones } from './documents.refs.queries';

/**
 * The recorded transition of a revision whose effective date has come: approved → effective, the one it replaces
 * superseded, with their audit-log entries, the search index and the other features' hooks. What is in force is
 * derived from the dates (documents.inforce.queries.ts), so pages never wait for this: the server's timer records it
 * for every organisation, and a POST acting on a document's revision in force records it first for that document.
 */
export const REVISION_ENTITY = 'document_revision';

/** A revision of a document became effective (approved with today's date, or its effective date came). */
export interface RevisionEffectiveEvent {
  documentId: number;
  revisionId: number;
  revisionNo: number;
  /** Who made it effective (null when it took effect by date, from the scheduler). */
  actorId: number | null;
  at: Date;
}

export type RevisionEffectiveHook = (trx: Db, event: RevisionEffectiveEvent) => Promise<void>;

/**
 * What other features do when a revision becomes effective, called inside the transaction of that change so
 * what they write commits or rolls back with it. Documents knows none of them: the features' wiring
 * (src/features/hooks.ts) adds them here.
 */
export const revisionEffectiveHooks: RevisionEffectiveHook[] = [];

export async function runRevisionEffectiveHooks(trx: Db, event: RevisionEffectiveEvent): Promise<void> {
  for (const hook of revisionEffectiveHooks) await hook(trx, event);
}

/**
 * Approved → effective; the previous effective revision becomes superseded in the same transaction, the
 * search index follows, and the other features' hooks run. The unique index on (document_id) where
 * status = 'effective' makes a second effective revision impossible whatever happens.
 */
export async function makeEffective(trx: Db, doc: DocumentRow, rev: RevisionRow & { effective_from: string }, actorId: number | null, at: Date): Promise<void> {
  const iso = at.toISOString();
  const previous = await findEffectiveRevision(trx, doc.id);
  if (previous) {
    const ok = await updateRevisionIf(trx, previous.id, { from: 'effective' }, { status: 'superseded', superseded_on: rev.effective_from }, iso);
    if (!ok) throw new Conflict('error.conflict');
    await record(
      trx,
      {
        userId: actorId,
        action: 'supersede',
        entity: REVISION_ENTITY,
        entityId: previous.id,
        old: { status: 'effective' },
        new: { status: 'superseded', superseded_on: rev.effective_from, by_revision: rev.revision_no },
      },
      at,
    );
  }
  const nextReviewDue = addMonthsIso(rev.effective_from, doc.review_interval_months);
  const ok = await updateRevisionIf(trx, rev.id, { from: 'approved' }, { status: 'effective', effective_at: iso, next_review_due: nextReviewDue }, iso);
  if (!ok) throw new Conflict('error.conflict');
  await upsertSearchEntry(trx, { documentId: doc.id, code: doc.code, title: doc.title, body: searchableBody(rev), fileName: rev.file_name });
  await record(
    trx,
    {
      userId: actorId,
      action: 'make_effective',
      entity: REVISION_ENTITY,
      entityId: rev.id,
      old: { status: 'approved' },
      new: { status: 'effective', effective_from: rev.effective_from, next_review_due: nextReviewDue },
    },
    at,
  );
  await runRevisionEffectiveHooks(trx, { documentId: doc.id, revisionId: rev.id, revisionNo: rev.revision_no, actorId, at });
}

/**
 * Makes every approved revision whose effective date has come (each organisation's local date) effective: for the
 * organisation of the handle or request (the document pages), or, outside any (the server's timer), for every
 * active organisation in turn, each with its own handle and time zone. Cheap when there is nothing to do (one
 * indexed query per organisation); safe to run concurrently. Returns how many changed.
 */
export async function activateDueRevisions(ctx: AppContext): Promise<number> {
  const current = maybeOrganisationOf(ctx.db);
  let changed = 0;
  for (const org of await listActiveOrganisationZones(ctx.db, current)) {
    const today = todayLocal(ctx.clock.now(), org.time_zone || ctx.config.timeZone);
    changed += await activateForOrganisation({ ...ctx, db: scopedDb(ctx.db, org.id) }, today);
  }
  return changed;
}

async function activateForOrganisation(ctx: AppContext, today: string): Promise<number> {
  const due = await listDueApprovedRevisions(ctx.db, today);
  let changed = 0;
  for (const item of due) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const rev = await findRevision(trx, item.document_id, item.id);
      const doc = await findDocument(trx, item.document_id);
      if (!rev || !doc || rev.status !== 'approved' || !rev.effective_from || rev.effective_from > today || doc.status !== 'active') return false;
      await makeEffective(trx, doc, { ...rev, effective_from: rev.effective_from }, null, ctx.clock.now());
      return true;
    });
    if (done) changed++;
  }
  return changed;
}

/**
 * Records the transition of this document's approved revision when its date (`today`, the organisation's local
 * date) has come, inside the caller's transaction: a POST acting on "the revision in force" calls it first, so it
 * acts on the recorded effective revision. Returns whether it changed anything.
 */
export async function activateDocumentIfDue(trx: Db, documentId: number, today: string, at: Date): Promise<boolean> {
  const rev = await findRevisionInProgress(trx, documentId);
  if (!rev || rev.status !== 'approved' || !rev.effective_from || rev.effective_from > today) return false;
  const doc = await findDocument(trx, documentId);
  if (!doc || doc.status !== 'active') return false;
  await makeEffective(trx, doc, { ...rev, effective_from: rev.effective_from }, null, at);
  return true;
}
