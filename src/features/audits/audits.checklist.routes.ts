import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import {
  ACCEPT_ATTRIBUTE,
  discardUpload,
  findFile,
  keepUpload,
  prepareUpload,
  sendStoredFile,
  UploadRejected,
  uploadedFileName,
  type PendingFile,
} from '../../core/files';
import { NotFound } from '../../core/http/errors';
import { failField, parseForm } from '../../core/http/forms';
import { idParam } from '../../core/http/params';
import { QUALITY, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { uploadToMemory } from '../../core/http/upload';
import { clauseOptions } from '../../core/iso/clauses';
import { itemsFromScope, itemsFromTemplate } from './audits.checklist.build';
import { countEvidenceByItem, findChecklistItem, findEvidenceFile, findFindingByItem, listChecklistItems, listEvidenceFiles } from './audits.checklist.queries';
import { addChecklistItems, attachEvidence, saveChecklistItem } from './audits.checklist.service';
import { loadAudit, withFieldErrors } from './audits.http';
import { findAuditScope, listAuditProcedures, type AuditRow } from './audits.queries';
import { ButtonForm, ItemAddForm, ItemForm, TemplateApplyForm } from './audits.schemas';
import { EDITABLE } from './audits.service';
import { ITEM_RESULTS } from './audits.tables';
import { listTemplateQuestions, listTemplates, findTemplate } from './audits.templates.queries';
import { canEditAudits, previousWithBadge, resultBadge } from './audits.view';
import { previousFindingsByItem } from './audits.library.queries';
import { addItemsFromLibrary, copyFromPreviousAudit } from './audits.library.service';
import { todayOf } from '../../core/http/today';

/** The checklist of an audit: generate it, apply a template, add items, record results and evidence. */
const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
const resultOptions = ITEM_RESULTS.map((value) => ({ value }));

export function registerChecklistRoutes(table: RouteTable, ctx: AppContext): void {
  const listLocals = async (req: Request, audit: AuditRow) => {
    const [items, procedures, templates, evidence, previous] = await Promise.all([
      listChecklistItems(ctx.db, audit.id),
      listAuditProcedures(ctx.db, audit.id),
      listTemplates(ctx.db, true),
      countEvidenceByItem(ctx.db, audit.id),
      previousFindingsByItem(ctx.db, audit.id),
    ]);
    return {
      pageTitle: 'audits.checklist.title',
      audit,
      items: items.map((i) => ({ ...i, files: evidence.get(i.id) ?? 0, badge: resultBadge(i.result), previous: previousWithBadge(previous.get(i.id)) })),
      assessed: items.filter((i) => i.result !== null).length,
      procedureOptions: procedures.map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` })),
      clauseOptions: clauseOptions(req.lang),
      templateOptions: templates.map((t) => ({ value: t.id, label: `${t.name} (${t.question_count})` })),
      canEdit: canEditAudits(req) && EDITABLE.includes(audit.status),
      errors: {},
      values: {},
    };
  };

  const itemLocals = async (req: Request, audit: AuditRow, itemId: number) => {
    const item = await findChecklistItem(ctx.db, audit.id, itemId);
    if (!item) throw new NotFound();
    const procedures = await listAuditProcedures(ctx.db, audit.id);
    const options = procedures.map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` }));
    if (item.procedure_id && !procedures.some((p) => p.id === item.procedure_id)) options.push({ value: item.procedure_id, label: item.procedure_code ?? '' });
    return {
      pageTitle: 'audits.checklist.item',
      audit,
      item,
      finding: await findFindingByItem(ctx.db, itemId),
      previous: previousWithBadge((await previousFindingsByItem(ctx.db, audit.id)).get(itemId)),
      files: await listEvidenceFiles(ctx.db, audit.id, itemId),
      procedureOptions: options,
      clauseOptions: clauseOptions(req.lang),
      resultOptions,
      accept: ACCEPT_ATTRIBUTE,
      canEdit: canEditAudits(req) && EDITABLE.includes(audit.status),
      today: todayOf(req.res!),
    };
  };

  table
    .get('/audits/:id/checklist', READERS, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      res.render('audits/checklist', await listLocals(req, audit));
    })
    .post('/audits/:id/checklist/generate', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      parseForm(ButtonForm, req.body, { view: 'audits/checklist', locals: await listLocals(req, audit) });
      const procedures = await listAuditProcedures(ctx.db, audit.id);
      const scope = await findAuditScope(ctx.db, audit.id);
      const added = await addChecklistItems(ctx, audit.id, itemsFromScope({ procedures, clauses: scope.clauses }, req.lang), 'generate', req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.items_added', params: { n: added } });
      res.redirect(303, `/audits/${audit.id}/checklist`);
    })
    .post('/audits/:id/checklist/library', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const view = { view: 'audits/checklist', locals: await listLocals(req, audit) };
      parseForm(ButtonForm, req.body, view);
      const added = await withFieldErrors(req.body, view, () => addItemsFromLibrary(ctx, audit.id, req.lang, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.items_added', params: { n: added } });
      res.redirect(303, `/audits/${audit.id}/checklist`);
    })
    .post('/audits/:id/checklist/copy', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const view = { view: 'audits/checklist', locals: await listLocals(req, audit) };
      parseForm(ButtonForm, req.body, view);
      const copied = await withFieldErrors(req.body, view, () => copyFromPreviousAudit(ctx, audit.id, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'audits.library.copied', params: { n: copied.count, code: copied.from } });
      res.redirect(303, `/audits/${audit.id}/checklist`);
    })
    .post('/audits/:id/checklist/template', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const view = { view: 'audits/checklist', locals: await listLocals(req, audit) };
      const form = parseForm(TemplateApplyForm, req.body, view);
      const template = await findTemplate(ctx.db, form.template_id);
      if (!template || template.active !== 1) failField('template_id', 'audits.templates.unavailable', req.body, view);
      const procedures = await listAuditProcedures(ctx.db, audit.id);
      const questions = await listTemplateQuestions(ctx.db, template.id);
      const added = await addChecklistItems(ctx, audit.id, itemsFromTemplate({ procedures, clauses: [] }, questions), 'template', req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.items_added', params: { n: added } });
      res.redirect(303, `/audits/${audit.id}/checklist`);
    })
    .post('/audits/:id/checklist/items', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const locals = await listLocals(req, audit);
      const form = parseForm(ItemAddForm, req.body, { view: 'audits/checklist', locals });
      if (form.procedure_id && !locals.procedureOptions.some((o) => o.value === form.procedure_id)) {
        failField('procedure_id', 'audits.checklist.procedure_not_in_scope', req.body, { view: 'audits/checklist', locals });
      }
      const item = { procedure_id: form.procedure_id ?? null, clause: form.clause ?? null, question: form.question };
      const added = await addChecklistItems(ctx, audit.id, [item], 'add', req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.items_added', params: { n: added } });
      res.redirect(303, `/audits/${audit.id}/checklist`);
    })
    .get('/audits/:id/checklist/:itemId', READERS, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const locals = await itemLocals(req, audit, idParam(req, 'itemId'));
      res.render('audits/item', { ...locals, values: locals.item, errors: {} });
    })
    .post('/audits/:id/checklist/:itemId', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const itemId = idParam(req, 'itemId');
      const view = { view: 'audits/item', locals: await itemLocals(req, audit, itemId) };
      const form = parseForm(ItemForm, req.body, view);
      await withFieldErrors(req.body, view, () =>
        saveChecklistItem(
          ctx,
          audit.id,
          itemId,
          {
            question: form.question,
            clause: form.clause ?? null,
            procedure_id: form.procedure_id ?? null,
            result: form.result ?? null,
            evidence: form.evidence ?? '',
            statement: form.statement ?? '',
            found_on: form.found_on ?? null,
          },
          form.version,
          req.user!.id,
        ),
      );
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/${audit.id}/checklist#item-${itemId}`);
    })
    .post('/audits/:id/checklist/:itemId/files', QUALITY, uploadToMemory('file', MAX_EVIDENCE_BYTES), async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const itemId = idParam(req, 'itemId');
      const locals = await itemLocals(req, audit, itemId);
      const reject: (key: string) => never = (key) => failField('file', key, { ...locals.item }, { view: 'audits/item', locals });
      // The upload's form holds the file only: any other field is refused (422), never passed on.
      parseForm(ButtonForm, req.body, { view: 'audits/item', locals: { ...locals, values: locals.item, errors: {} } });
      if (!req.file) reject('files.missing');
      let pending: PendingFile;
      try {
        pending = await prepareUpload(ctx, { buffer: req.file.buffer }, uploadedFileName(req.file.originalname));
      } catch (err) {
        if (err instanceof UploadRejected) reject(err.messageKey);
        throw err;
      }
      try {
        // Kept by attachEvidence's transaction: a refusal there (the audit is closed: 409) stores nothing.
        await keepUpload(ctx, pending, (c) => attachEvidence(c, audit.id, itemId, { sha256: pending.sha256, name: pending.originalName }, req.user!.id));
      } finally {
        await discardUpload(pending);
      }
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.file_attached' });
      res.redirect(303, `/audits/${audit.id}/checklist/${itemId}`);
    })
    .get('/audits/:id/files/:fileId', READERS, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const file = await findEvidenceFile(ctx.db, audit.id, idParam(req, 'fileId'));
      if (!file) throw new NotFound();
      const stored = await findFile(ctx.db, file.file_sha256);
      if (!stored) throw new NotFound();
      await sendStoredFile(ctx, res, file.file_sha256, file.file_name, stored.mime);
    });
}
