import { rm } from 'node:fs/promises';
import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import {
  ACCEPT_ATTRIBUTE,
  discardUpload,
  keepUpload,
  prepareUpload,
  sendStoredFile,
  uploadedFileName,
  UploadRejected,
  type PendingFile,
} from '../../core/files';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { Forbidden, NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { LEADERS, MANAGERS, QUALITY, SIGNED_IN } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToDisk } from '../../core/http/upload';
import { checkSigner } from '../../core/security/signatures';
import { findDocument, type DocumentRow } from './documents.queries';
import { findRevision, nextRevisionNo, type RevisionRow } from './documents.revisions.queries';
import { AcknowledgeForm, ApproveForm, CancelForm, RevisionEditForm, RevisionForm, ReturnForm, ReviewSignForm, VersionForm } from './documents.schemas';
import { cancelRevision, createRevision, editDraft, loadDocument, setDraftFile, submitRevision } from './documents.service';
import { assertVisible, revisionsToday, showLocals } from './documents.views';
import { acknowledgeRevision, approveRevision, dutiesProblem, returnToDraft, reviewRevision } from './documents.workflow';
import { findRevisionSigners } from '../organisation/organisation.queries';
import { markdownStart } from './documents.compare';
import { todayOf } from '../../core/http/today';

/** A revision's pages: its view, the draft form and file, the workflow steps, download and acknowledgement. */
const REV_FORM = 'documents/revision-form';

export function revisionRoutes(ctx: AppContext, table: RouteTable): void {
  const load = async (req: Request): Promise<{ doc: DocumentRow; rev: RevisionRow }> => {
    const doc = await findDocument(ctx.db, idParam(req));
    if (!doc) throw new NotFound();
    const rev = await findRevision(ctx.db, doc.id, idParam(req, 'revId'));
    if (!rev) throw new NotFound();
    return { doc, rev };
  };
  const revUrl = (doc: { id: number }, rev: { id: number }) => `/documents/${doc.id}/revisions/${rev.id}`;
  const pageView = async (req: Request, doc: DocumentRow, rev: RevisionRow): Promise<FormView> => ({
    view: 'documents/show',
    locals: await showLocals(ctx, req.user!, doc, rev),
  });
  const formLocals = async (extra: Record<string, unknown>) => ({ ...extra, accept: ACCEPT_ATTRIBUTE, maxMb: Math.round(ctx.config.uploadMaxBytes / 1048576) });
  const actor = (req: Request) => ({ id: req.user!.id, role: req.user!.role });
  /** Separation of duties, told before the password is checked (the workflow checks it again in its transaction). */
  const refuseOutOfDuty = async (req: Request, rev: RevisionRow, step: 'review' | 'approve') => {
    const refused = dutiesProblem(rev, req.user!.id, step, await findRevisionSigners(ctx.db));
    if (refused) throw new Forbidden(refused);
  };

  table
    .get('/documents/:id/revisions/new', QUALITY, async (req, res) => {
      const doc = await loadDocument(ctx.db, idParam(req));
      // As they stand today: an approved revision whose date has come is in force, no longer in progress.
      const revisions = await revisionsToday(ctx, doc, todayOf(res));
      const progress = revisions.find((r) => r.status === 'draft' || r.status === 'in_review' || r.status === 'approved');
      if (progress) return res.redirect(303, revUrl(doc, progress));
      const effective = revisions.find((r) => r.status === 'effective');
      const revisionNo = await nextRevisionNo(ctx.db, doc.id);
      res.render(REV_FORM, await formLocals({ pageTitle: 'documents.new_revision', doc, revisionNo, values: { body: markdownStart(effective) }, errors: {} }));
    })
    .post('/documents/:id/revisions', QUALITY, async (req, res) => {
      const doc = await loadDocument(ctx.db, idParam(req));
      const revisionNo = await nextRevisionNo(ctx.db, doc.id);
      const view: FormView = { view: REV_FORM, locals: await formLocals({ pageTitle: 'documents.new_revision', doc, revisionNo }) };
      const form = parseForm(RevisionForm, req.body, view);
      if (revisionNo > 1 && !form.change_summary) failField('change_summary', 'documents.error.summary_required', req.body, view);
      const id = await createRevision(ctx, doc.id, { body: form.body ?? '', change_summary: form.change_summary ?? null }, actor(req));
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.draft_created' });
      res.redirect(303, `/documents/${doc.id}/revisions/${id}`);
    })
    .get('/documents/:id/revisions/:revId', SIGNED_IN, async (req, res) => {
      const { doc, rev: stored } = await load(req);
      const rev = (await revisionsToday(ctx, doc, todayOf(res))).find((r) => r.id === stored.id) ?? stored;
      assertVisible(req.user!, doc, rev);
      res.render('documents/show', await showLocals(ctx, req.user!, doc, rev));
    })
    .get('/documents/:id/revisions/:revId/edit', QUALITY, async (req, res) => {
      const { doc, rev } = await load(req);
      if (rev.status !== 'draft') return res.redirect(303, revUrl(doc, rev));
      const values = { ...rev, body: markdownStart(rev) };
      res.render(REV_FORM, await formLocals({ pageTitle: 'documents.edit_revision', doc, rev, revisionNo: rev.revision_no, values, errors: {} }));
    })
    .post('/documents/:id/revisions/:revId', QUALITY, async (req, res) => {
      const { doc, rev } = await load(req);
      const view: FormView = { view: REV_FORM, locals: await formLocals({ pageTitle: 'documents.edit_revision', doc, rev, revisionNo: rev.revision_no }) };
      const form = parseForm(RevisionEditForm, req.body, view);
      if (rev.revision_no > 1 && !form.change_summary) failField('change_summary', 'documents.error.summary_required', req.body, view);
      // A draft written in Word keeps its content when only its summary is edited; the Markdown form replaces it.
      const word = form.keep_word && rev.source_sha256 && rev.source_name ? { sha256: rev.source_sha256, name: rev.source_name } : null;
      const content = word ? { body: rev.body, word } : { body: form.body ?? '', word: null };
      await editDraft(ctx, doc.id, rev.id, { ...content, change_summary: form.change_summary ?? null }, form.version, actor(req));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, revUrl(doc, rev));
    })
    .post('/documents/:id/revisions/:revId/file', QUALITY, uploadToDisk('file', ctx.config.uploadMaxBytes), async (req, res) => {
      const temp = req.file?.path;
      let pending: PendingFile | undefined;
      try {
        const { doc, rev } = await load(req);
        const view: FormView = {
          view: REV_FORM,
          locals: await formLocals({ pageTitle: 'documents.edit_revision', doc, rev, revisionNo: rev.revision_no, values: rev }),
        };
        const form = parseForm(VersionForm, req.body, view);
        if (!req.file) failField('file', 'files.missing', { ...rev }, view);
        try {
          pending = await prepareUpload(ctx, { path: req.file.path }, uploadedFileName(req.file.originalname));
        } catch (err) {
          if (err instanceof UploadRejected) failField('file', err.messageKey, { ...rev }, view);
          throw err;
        }
        const file = pending;
        // Kept by setDraftFile's transaction: a refusal there (403, 409: edited meanwhile) stores nothing.
        await keepUpload(ctx, file, (c) => setDraftFile(c, doc.id, rev.id, file, form.version, actor(req)));
        await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.file_attached' });
        res.redirect(303, `${revUrl(doc, rev)}/edit`);
      } finally {
        await discardUpload(pending);
        if (temp) await rm(temp, { force: true });
      }
    })
    .post('/documents/:id/revisions/:revId/file/remove', QUALITY, async (req, res) => {
      const { doc, rev } = await load(req);
      const form = parseForm(VersionForm, req.body, await pageView(req, doc, rev));
      await setDraftFile(ctx, doc.id, rev.id, null, form.version, actor(req));
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.file_removed' });
      res.redirect(303, `${revUrl(doc, rev)}/edit`);
    })
    .get('/documents/:id/revisions/:revId/file', SIGNED_IN, async (req, res) => {
      const { doc, rev } = await load(req);
      assertVisible(req.user!, doc, rev);
      if (!rev.file_sha256 || !rev.file_name || !rev.file_mime) throw new NotFound();
      const name = rev.file_ext && !rev.file_name.toLowerCase().endsWith(`.${rev.file_ext}`) ? `${rev.file_name}.${rev.file_ext}` : rev.file_name;
      await sendStoredFile(ctx, res, rev.file_sha256, name, rev.file_mime);
    })
    .post('/documents/:id/revisions/:revId/submit', QUALITY, async (req, res) => {
      const { doc, rev } = await load(req);
      const form = parseForm(VersionForm, req.body, await pageView(req, doc, rev));
      await submitRevision(ctx, doc.id, rev.id, form.version, actor(req));
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.submitted' });
      res.redirect(303, revUrl(doc, rev));
    })
    .post('/documents/:id/revisions/:revId/review', MANAGERS, async (req, res) => {
      const { doc, rev } = await load(req);
      await refuseOutOfDuty(req, rev, 'review');
      const view = await pageView(req, doc, rev);
      const form = parseForm(ReviewSignForm, req.body, view);
      const signer = await checkSigner(ctx, req.user!.id, form.review_password);
      if (!signer) failField('review_password', 'documents.error.wrong_password', req.body, view);
      await reviewRevision(ctx, doc.id, rev.id, { version: form.version, comment: form.review_comment ?? null }, signer);
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.reviewed' });
      res.redirect(303, revUrl(doc, rev));
    })
    .post('/documents/:id/revisions/:revId/return', MANAGERS, async (req, res) => {
      const { doc, rev } = await load(req);
      const form = parseForm(ReturnForm, req.body, await pageView(req, doc, rev));
      await returnToDraft(ctx, doc.id, rev.id, { version: form.version, comment: form.return_comment }, actor(req));
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.returned' });
      res.redirect(303, revUrl(doc, rev));
    })
    .post('/documents/:id/revisions/:revId/approve', LEADERS, async (req, res) => {
      const { doc, rev } = await load(req);
      await refuseOutOfDuty(req, rev, 'approve');
      const view = await pageView(req, doc, rev);
      const form = parseForm(ApproveForm, req.body, view);
      if (form.effective_from && form.effective_from < todayOf(res)) failField('effective_from', 'documents.error.effective_in_past', req.body, view);
      const signer = await checkSigner(ctx, req.user!.id, form.approve_password);
      if (!signer) failField('approve_password', 'documents.error.wrong_password', req.body, view);
      const outcome = await approveRevision(ctx, doc.id, rev.id, { version: form.version, effectiveFrom: form.effective_from }, signer);
      await setFlash(ctx, req, { kind: 'success', key: outcome === 'effective' ? 'documents.flash.effective' : 'documents.flash.approved' });
      res.redirect(303, outcome === 'effective' ? `/documents/${doc.id}` : revUrl(doc, rev));
    })
    .post('/documents/:id/revisions/:revId/cancel', QUALITY, async (req, res) => {
      const { doc, rev } = await load(req);
      const form = parseForm(CancelForm, req.body, await pageView(req, doc, rev));
      await cancelRevision(ctx, doc.id, rev.id, form.version, form.cancel_reason, actor(req));
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.cancelled' });
      res.redirect(303, `/documents/${doc.id}`);
    })
    .post('/documents/:id/revisions/:revId/acknowledge', SIGNED_IN, async (req, res) => {
      const { doc, rev: stored } = await load(req);
      // The revision in force today by its date, whether or not its transition is recorded yet.
      const rev = (await revisionsToday(ctx, doc, todayOf(res))).find((r) => r.id === stored.id) ?? stored;
      assertVisible(req.user!, doc, rev);
      parseForm(AcknowledgeForm, req.body, await pageView(req, doc, rev));
      await acknowledgeRevision(ctx, doc.id, rev.id, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.acknowledged' });
      res.redirect(303, `/documents/${doc.id}`);
    });
}
