import { readFile, rm } from 'node:fs/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { fileTypeFromBuffer } from 'file-type';
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
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { QUALITY, SIGNED_IN } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToDisk } from '../../core/http/upload';
import { findDocument } from './documents.queries';
import { findRevision, nextRevisionNo } from './documents.revisions.queries';
import { WordReplaceForm, WordRevisionForm } from './documents.schemas';
import { createRevision, editDraft, loadDocument } from './documents.service';
import { assertVisible } from './documents.views';
import { DocxUnreadable, readDocx } from './documents.word';
import { markdownStart } from './documents.compare';

/**
 * Revisions written in Word (issue 25): a new draft read from an uploaded .docx, a draft's content replaced by one,
 * and the original file downloaded. The file must be a Word document by its content (file-type), at most the upload
 * limit, and readable (documents.word.ts); any other file is refused next to the field, with nothing stored.
 */
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const REV_FORM = 'documents/revision-form';
const FIELD = 'word_file';

/** The upload of the Word file; a file over the limit reaches the handler as a field error, not a bare 413 page. */
function uploadWord(maxBytes: number): RequestHandler {
  const parse = uploadToDisk(FIELD, maxBytes);
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      const e = err as { name?: string; code?: string } | undefined;
      if (e?.name === 'MulterError' && e.code === 'LIMIT_FILE_SIZE') {
        res.locals.wordTooLarge = true;
        return next();
      }
      next(err as Error | undefined);
    });
}

export function wordRoutes(ctx: AppContext, table: RouteTable): void {
  const maxMb = Math.round(ctx.config.uploadMaxBytes / 1048576);
  const formLocals = (extra: Record<string, unknown>) => ({ ...extra, accept: ACCEPT_ATTRIBUTE, maxMb });
  const actor = (req: Request) => ({ id: req.user!.id, role: req.user!.role });

  /** The uploaded Word file read and copied beside the store (not kept yet); any refusal is a field error. */
  const readUpload = async (req: Request, res: Response, view: FormView, values: Record<string, unknown>): Promise<{ html: string; pending: PendingFile }> => {
    if (res.locals.wordTooLarge) failField(FIELD, 'documents.error.docx_too_big', values, view, { mb: maxMb });
    if (!req.file) failField(FIELD, 'files.missing', values, view);
    const buffer = await readFile(req.file.path);
    if ((await fileTypeFromBuffer(buffer))?.ext !== 'docx') failField(FIELD, 'documents.error.not_docx', values, view);
    let html: string;
    try {
      html = await readDocx(buffer);
    } catch (err) {
      if (err instanceof DocxUnreadable) failField(FIELD, err.messageKey, values, view);
      throw err;
    }
    try {
      return { html, pending: await prepareUpload(ctx, { buffer }, uploadedFileName(req.file.originalname)) };
    } catch (err) {
      if (err instanceof UploadRejected) failField(FIELD, err.messageKey, values, view);
      throw err;
    }
  };

  table
    .post('/documents/:id/revisions/word', QUALITY, uploadWord(ctx.config.uploadMaxBytes), async (req, res) => {
      const temp = req.file?.path;
      let pending: PendingFile | undefined;
      try {
        const doc = await loadDocument(ctx.db, idParam(req));
        const revisionNo = await nextRevisionNo(ctx.db, doc.id);
        const view: FormView = { view: REV_FORM, locals: formLocals({ pageTitle: 'documents.new_revision', doc, revisionNo }) };
        const form = parseForm(WordRevisionForm, req.body, view);
        const values = { ...(req.body as Record<string, unknown>) };
        if (revisionNo > 1 && !form.word_summary) failField('word_summary', 'documents.error.summary_required', values, view);
        const read = await readUpload(req, res, view, values);
        pending = read.pending;
        const file = read.pending;
        const word = { sha256: file.sha256, name: file.originalName };
        const input = { body: read.html, change_summary: form.word_summary ?? null, word };
        const id = await keepUpload(ctx, file, (c) => createRevision(c, doc.id, input, actor(req)));
        await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.word_read' });
        res.redirect(303, `/documents/${doc.id}/revisions/${id}`);
      } finally {
        await discardUpload(pending);
        if (temp) await rm(temp, { force: true });
      }
    })
    .post('/documents/:id/revisions/:revId/word', QUALITY, uploadWord(ctx.config.uploadMaxBytes), async (req, res) => {
      const temp = req.file?.path;
      let pending: PendingFile | undefined;
      try {
        const doc = await loadDocument(ctx.db, idParam(req));
        const rev = await findRevision(ctx.db, doc.id, idParam(req, 'revId'));
        if (!rev) throw new NotFound();
        const view: FormView = {
          view: REV_FORM,
          locals: formLocals({ pageTitle: 'documents.edit_revision', doc, rev, revisionNo: rev.revision_no, values: { ...rev, body: markdownStart(rev) } }),
        };
        const form = parseForm(WordReplaceForm, req.body, view);
        const read = await readUpload(req, res, view, { ...rev, body: markdownStart(rev) });
        pending = read.pending;
        const file = read.pending;
        const input = { body: read.html, change_summary: rev.change_summary, word: { sha256: file.sha256, name: file.originalName } };
        await keepUpload(ctx, file, (c) => editDraft(c, doc.id, rev.id, input, form.version, actor(req)));
        await setFlash(ctx, req, { kind: 'success', key: 'documents.flash.word_read' });
        res.redirect(303, `/documents/${doc.id}/revisions/${rev.id}`);
      } finally {
        await discardUpload(pending);
        if (temp) await rm(temp, { force: true });
      }
    })
    .get('/documents/:id/revisions/:revId/source', SIGNED_IN, async (req, res) => {
      const doc = await findDocument(ctx.db, idParam(req));
      if (!doc) throw new NotFound();
      const rev = await findRevision(ctx.db, doc.id, idParam(req, 'revId'));
      if (!rev) throw new NotFound();
      assertVisible(req.user!, doc, rev);
      if (rev.source !== 'docx' || !rev.source_sha256 || !rev.source_name) throw new NotFound();
      const name = rev.source_name.toLowerCase().endsWith('.docx') ? rev.source_name : `${rev.source_name}.docx`;
      await sendStoredFile(ctx, res, rev.source_sha256, name, DOCX_MIME);
    });
}
