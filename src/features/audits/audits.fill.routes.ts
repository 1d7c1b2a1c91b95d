import type { ErrorRequestHandler, Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { discardUpload, keepUpload, prepareUpload, UploadRejected, uploadedFileName, type PendingFile } from '../../core/files';
import { HttpError, NotFound, ValidationError, type FieldError } from '../../core/http/errors';
import { parseForm } from '../../core/http/forms';
import { idParam, queryText } from '../../core/http/params';
import { QUALITY, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToMemory } from '../../core/http/upload';
import { translate } from '../../core/i18n';
import { findChecklistItem, type ChecklistItemRow } from './audits.checklist.queries';
import { attachEvidence, saveChecklistItem } from './audits.checklist.service';
import { FillAnswerForm } from './audits.fill.schemas';
import { ButtonForm } from './audits.schemas';
import { fillLocals, fillUrl, groupKeyOf, placeErrors } from './audits.fill.view';
import { loadAudit } from './audits.http';
import type { AuditRow } from './audits.queries';
import { AuditFieldError } from './audits.validate';

/**
 * The one-page checklist an auditor fills in on a phone: all questions of one procedure, each its own form. A plain
 * post answers 303 back to the question (or 422 with the message beside it); the page's script (checklist.js) sends
 * the same forms with `Accept: application/json` and gets JSON back, errors included.
 */
const VIEW = 'audits/fill';
const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
const PATHS = ['/audits/:id/fill', '/audits/:id/fill/items/:itemId', '/audits/:id/fill/items/:itemId/files'];

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/** Field errors as the script shows them: the translated message of each field. */
const translated = (req: Request, errors: Record<string, FieldError>) =>
  Object.fromEntries(Object.entries(errors).map(([field, e]) => [field, translate(req.lang, e.key, e.params)]));

export function registerFillRoutes(table: RouteTable, ctx: AppContext): void {
  const loadItem = async (req: Request): Promise<{ audit: AuditRow; item: ChecklistItemRow }> => {
    const audit = await loadAudit(ctx, req);
    const item = await findChecklistItem(ctx.db, audit.id, idParam(req, 'itemId'));
    if (!item) throw new NotFound();
    return { audit, item };
  };

  /** A refused answer: the page again with the message beside that question and what was typed kept (422). */
  const refuse = async (req: Request, audit: AuditRow, item: ChecklistItemRow, errors: Record<string, FieldError>, values: Record<string, unknown>) => {
    const locals = await fillLocals(ctx, req, audit, groupKeyOf(item), { itemId: item.id, values, errors });
    return new ValidationError(errors, values, VIEW, locals);
  };

  table
    .get('/audits/:id/fill', READERS, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      res.render(VIEW, await fillLocals(ctx, req, audit, queryText(req, 'procedure', 20)));
    })
    .post('/audits/:id/fill/items/:itemId', QUALITY, async (req, res) => {
      const { audit, item } = await loadItem(req);
      let form;
      try {
        form = parseForm(FillAnswerForm, req.body, { view: VIEW });
      } catch (err) {
        if (err instanceof ValidationError) throw await refuse(req, audit, item, err.fieldErrors, err.values);
        throw err;
      }
      const values = { result: form.result ?? null, evidence: form.evidence ?? '', statement: form.statement ?? '' };
      const savedAt = ctx.clock.now().toISOString();
      try {
        const input = { question: item.question, clause: item.clause, procedure_id: item.procedure_id, found_on: null, ...values };
        await saveChecklistItem(ctx, audit.id, item.id, input, form.version, req.user!.id);
      } catch (err) {
        if (err instanceof AuditFieldError) throw await refuse(req, audit, item, { [err.field]: { key: err.key, params: err.params } }, values);
        throw err;
      }
      if (wantsJson(req)) {
        const saved = await findChecklistItem(ctx.db, audit.id, item.id);
        res.json({ ok: true, version: saved?.version ?? form.version + 1, result: saved?.result ?? null, savedAt });
        return;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'audits.fill.saved', params: { n: item.position } });
      res.redirect(303, fillUrl(audit.id, groupKeyOf(item), item.id));
    })
    .post('/audits/:id/fill/items/:itemId/files', QUALITY, uploadToMemory('file', MAX_EVIDENCE_BYTES), async (req, res) => {
      const { audit, item } = await loadItem(req);
      const reject = async (key: string) => await refuse(req, audit, item, { file: { key } }, {});
      // The upload's form holds the file only: any other field is refused (422), never passed on.
      try {
        parseForm(ButtonForm, req.body, { view: VIEW });
      } catch (err) {
        if (err instanceof ValidationError) throw await refuse(req, audit, item, err.fieldErrors, {});
        throw err;
      }
      if (!req.file) throw await reject('files.missing');
      let pending: PendingFile;
      try {
        pending = await prepareUpload(ctx, { buffer: req.file.buffer }, uploadedFileName(req.file.originalname));
      } catch (err) {
        if (err instanceof UploadRejected) throw await reject(err.messageKey);
        throw err;
      }
      let fileId: number;
      try {
        // Kept by attachEvidence's transaction: a refusal there (the audit is closed: 409) stores nothing.
        fileId = await keepUpload(ctx, pending, (c) =>
          attachEvidence(c, audit.id, item.id, { sha256: pending.sha256, name: pending.originalName }, req.user!.id),
        );
      } finally {
        await discardUpload(pending);
      }
      if (wantsJson(req)) {
        res.json({ ok: true, file: { id: fileId, name: pending.originalName, url: `/audits/${audit.id}/files/${fileId}` } });
        return;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.file_attached' });
      res.redirect(303, fillUrl(audit.id, groupKeyOf(item), item.id));
    });

  // The script's requests get their refusals as JSON, whatever refused them: the role guard, the service (403 of the
  // independence rule, 404, 409 edit conflict), validation (422 with each field's message) or the upload's size limit.
  table.router.use(PATHS, jsonErrors);
}

const jsonErrors: ErrorRequestHandler = (err: unknown, req: Request, res: Response, next) => {
  if (!wantsJson(req) || res.headersSent) return next(err);
  if (err instanceof ValidationError) {
    res.status(422).json({ errors: translated(req, placeErrors(err.fieldErrors)) });
    return;
  }
  const http =
    err instanceof HttpError
      ? err
      : (err as { name?: string } | null)?.name === 'MulterError'
        ? new HttpError(
            (err as { code?: string }).code === 'LIMIT_FILE_SIZE' ? 413 : 400,
            (err as { code?: string }).code === 'LIMIT_FILE_SIZE' ? 'error.too_large' : 'error.bad_upload',
          )
        : undefined;
  if (!http) return next(err);
  res.status(http.status).json({ error: translate(req.lang, http.messageKey, http.params) });
};
