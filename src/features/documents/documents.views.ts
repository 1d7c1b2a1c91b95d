import type { AppContext } from '../../core/context';
import { markdownHtml } from '../../core/files';
import { NotFound } from '../../core/http/errors';
import { allows, LEADERS, MANAGERS, QUALITY, type Role } from '../../core/http/roles';
import { listSignatures } from '../../core/security/signatures.queries';
import { findAcknowledgement, findLastAcknowledged, isConcerned, listAcknowledgementStatus, listReviews } from './documents.acks.queries';
import { translate, type Lang } from '../../core/i18n';
import { formatDate } from '../../core/views/format';
import type { CurrentRow, DocumentRow } from './documents.queries';
import type { SearchHit } from './documents.search.queries';
import type { RevisionStatus } from './documents.tables';
import { listRevisions, type RevisionRow } from './documents.revisions.queries';
import { revisionsAsOf } from './documents.inforce.queries';
import { addMonthsIso } from './documents.text';
import { canEditDraft, todayFor } from './documents.service';
import { dutiesProblem, REVISION_ENTITY } from './documents.workflow';
import { findRevisionSigners } from '../organisation/organisation.queries';
import { addDays } from '../../core/calendar';
import { sentenceDiff } from './documents.compare';
import { sanitizeHtml } from './documents.html';
import { listCopies, type CopyRow } from './documents.copies.queries';
import { printMarkOf } from './documents.print';
import Handlebars from 'handlebars';

/**
 * The locals of the document page (views/documents/show.hbs), shared by the current-document page, any
 * revision's page and the 422 re-render of its forms. Who sees what is decided here and in the routes:
 * staff only ever see effective revisions.
 */
export interface Viewer {
  id: number;
  role: Role;
}

export const isManager = (v: Viewer) => allows(MANAGERS, v.role);
/** Who writes documents and drafts (quality officers and admins); leaders read, review and approve them. */
export const isWriter = (v: Viewer) => allows(QUALITY, v.role);

/** Staff (and anyone not managing documents) may open an effective revision of an active document only. */
export function assertVisible(viewer: Viewer, doc: DocumentRow, rev: RevisionRow | undefined): void {
  if (isManager(viewer)) return;
  if (doc.status !== 'active' || !rev || rev.status !== 'effective') throw new NotFound();
}

/**
 * The rows of the current-documents list and of search results with their texts ready: a type is translated once
 * per page and the date formatted here, so the template only prints (50 rows, no helper call per cell).
 */
export function currentRows(rows: (CurrentRow & { hit?: SearchHit })[], lang: Lang, timeZone: string) {
  const types = new Map<string, string>();
  return rows.map((r) => {
    let typeText = types.get(r.type);
    if (typeText === undefined) types.set(r.type, (typeText = translate(lang, `documents.type.${r.type}`)));
    const effective = formatDate(r.effective_from, timeZone);
    if (!r.hit) return { ...r, typeText, effective };
    // A search result's line under its title.
    const revisionText = translate(lang, 'documents.revision_no_short', { n: r.revision_no });
    return { ...r, typeText, effective, revisionText, effectiveSinceText: translate(lang, 'documents.effective_since', { date: effective }) };
  });
}

/** The content shown: rendered Markdown, or the Word revision's HTML (sanitised when stored, and again when shown). */
const bodyHtmlOf = (rev: RevisionRow) => (rev.source === 'docx' ? new Handlebars.SafeString(sanitizeHtml(rev.body)) : markdownHtml(rev.body));

const PUBLISHED = new Set(['effective', 'superseded', 'withdrawn']);

/** The badge colour of each status (the badge always carries the status word too). */
export const STATUS_BADGE: Record<RevisionStatus, string> = {
  draft: 'muted',
  in_review: 'info',
  approved: 'info',
  effective: 'ok',
  superseded: 'warn',
  withdrawn: 'bad',
  cancelled: 'muted',
};

const decorate = <R extends RevisionRow>(r: R) => ({
  ...r,
  badge: STATUS_BADGE[r.status],
  file_kb: r.file_size === null ? null : Math.max(1, Math.round(r.file_size / 1024)),
});

/**
 * A document's revisions as they stand on the organisation's today: an approved revision whose date has come is in
 * force from 00:00 and the one it replaces superseded, before the timer records the transition (no GET writes).
 */
export async function revisionsToday(ctx: AppContext, doc: DocumentRow, today?: string): Promise<RevisionRow[]> {
  const date = today ?? (await todayFor(ctx));
  return revisionsAsOf(await listRevisions(ctx.db, doc.id), date, (from) => addMonthsIso(from, doc.review_interval_months));
}

export async function showLocals(ctx: AppContext, viewer: Viewer, doc: DocumentRow, shown: RevisionRow | undefined, extra: Record<string, unknown> = {}) {
  const manager = isManager(viewer);
  const today = await todayFor(ctx);
  const revisions = await revisionsToday(ctx, doc, today);
  shown = shown && (revisions.find((r) => r.id === shown!.id) ?? shown);
  const all = revisions.map(decorate);
  const effective = all.find((r) => r.status === 'effective');
  const progress = all.find((r) => r.status === 'draft' || r.status === 'in_review' || r.status === 'approved');
  const history = all.filter((r) => PUBLISHED.has(r.status));
  const isCurrent = shown !== undefined && shown.status === 'effective';

  const locals: Record<string, unknown> = {
    pageTitle: 'documents.document',
    doc,
    rev: shown ? decorate(shown) : undefined,
    bodyHtml: shown && shown.body.trim() !== '' ? bodyHtmlOf(shown) : undefined,
    effective,
    progress: manager ? progress : undefined,
    history,
    allRevisions: manager ? all : undefined,
    isManager: manager,
    isWriter: isWriter(viewer),
    isCurrent,
    isOld: shown !== undefined && (shown.status === 'superseded' || shown.status === 'withdrawn'),
    today,
    signatures: shown ? (await listSignatures(ctx.db, REVISION_ENTITY, shown.id)).map((s) => ({ ...s, short_hash: s.content_sha256.slice(0, 16) })) : [],
    errors: {},
    values: {},
  };

  if (shown && manager) {
    const ownRevision = shown.author_id === viewer.id;
    const writer = isWriter(viewer) && doc.status === 'active';
    const rule = await findRevisionSigners(ctx.db);
    const inReview = shown.status === 'in_review';
    const awaitingApproval = inReview && Boolean(shown.reviewed_at);
    const reviewRefusal = inReview && !shown.reviewed_at ? dutiesProblem(shown, viewer.id, 'review', rule) : undefined;
    const approveRefusal = awaitingApproval && allows(LEADERS, viewer.role) ? dutiesProblem(shown, viewer.id, 'approve', rule) : undefined;
    const can = {
      edit: shown.status === 'draft' && writer && canEditDraft(shown, viewer),
      submit: shown.status === 'draft' && writer && canEditDraft(shown, viewer),
      review: inReview && !shown.reviewed_at && !reviewRefusal,
      returnToDraft: inReview,
      approve: awaitingApproval && allows(LEADERS, viewer.role) && !approveRefusal,
      cancel: writer && ['draft', 'in_review', 'approved'].includes(shown.status),
    };
    // The workflow panel appears only when there is something to do or to say.
    if (awaitingApproval || reviewRefusal || Object.values(can).some(Boolean)) locals.can = can;
    locals.ownRevision = ownRevision;
    locals.awaitingApproval = awaitingApproval;
    // Why this person sees no review or approval form (separation of duties), in their words.
    locals.reviewNote = reviewRefusal ? 'documents.own_review_note' : undefined;
    locals.approvalNote =
      approveRefusal === 'documents.error.own_approval'
        ? 'documents.own_revision_note'
        : approveRefusal === 'documents.error.reviewer_approval'
          ? 'documents.reviewer_approval_note'
          : 'documents.awaiting_approval';
  }

  if (shown && isCurrent) {
    const acknowledged = await findAcknowledgement(ctx.db, shown.id, viewer.id);
    const concerned = await isConcerned(ctx.db, doc.id, viewer.id);
    const last = acknowledged ? undefined : await findLastAcknowledged(ctx.db, doc.id, viewer.id);
    const ack: Record<string, unknown> = { acknowledgedAt: acknowledged?.acknowledged_at, concerned };
    if (!acknowledged) {
      if (last && last.revision_no < shown.revision_no) {
        const before = all.find((r) => r.id === last.revision_id);
        ack.lastNo = last.revision_no;
        ack.changes = history.filter((r) => r.revision_no > last.revision_no && r.revision_no <= shown.revision_no).reverse();
        if (before) ack.diff = sentenceDiff(before, shown);
      }
    }
    locals.ack = ack;
    if (manager) {
      const status = await listAcknowledgementStatus(ctx.db, shown.id);
      locals.ackStatus = status;
      locals.coverage = { required: status.length, acknowledged: status.filter((s) => s.acknowledged_at).length };
      locals.reviews = await listReviews(ctx.db, doc.id);
      const due = shown.next_review_due ?? '';
      locals.reviewState = due < today ? 'overdue' : due <= addDays(today, 30) ? 'due_soon' : 'ok';
    }
  }
  const copy = extra.controlledCopy as CopyRow | undefined;
  locals.printMark = printMarkOf(doc, shown, copy, ctx.clock.now());
  if (manager && extra.documentPage) {
    locals.copies = (await listCopies(ctx.db, doc.id)).map((c) => ({ ...c, current: c.withdrawn_at === null && c.revision_id === effective?.id }));
    locals.canIssueCopy = isWriter(viewer) && doc.status === 'active' && effective !== undefined;
  }
  return { ...locals, ...extra };
}
