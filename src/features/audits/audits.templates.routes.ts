import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { failField, parseForm } from '../../core/http/forms';
import { idParam } from '../../core/http/params';
import { QUALITY, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { formatTemplateQuestions, parseTemplateQuestions } from './audits.checklist.build';
import { withFieldErrors } from './audits.http';
import { ReasonForm, TemplateEditForm, TemplateForm } from './audits.schemas';
import { findTemplate, listTemplateQuestions, listTemplates, type TemplateRow } from './audits.templates.queries';
import { createTemplate, editTemplate, setTemplateActive } from './audits.templates.service';
import { canEditAudits } from './audits.view';

/** /audits/templates: the library of checklist templates (quality officers manage it). */
const FORM = 'audits/template-form';

export function registerTemplateRoutes(table: RouteTable, ctx: AppContext): void {
  const load = async (req: Request): Promise<TemplateRow> => {
    const template = await findTemplate(ctx.db, idParam(req));
    if (!template) throw new NotFound();
    return template;
  };

  const toInput = (form: ReturnType<typeof TemplateForm.parse>, body: unknown, view: { view: string; locals: Record<string, unknown> }) => {
    const parsed = parseTemplateQuestions(form.questions);
    if (parsed.badLines.length)
      failField('questions', 'audits.templates.bad_lines', body as Record<string, unknown>, view, { lines: parsed.badLines.slice(0, 20).join(', ') });
    if (parsed.questions.length === 0) failField('questions', 'validation.required', body as Record<string, unknown>, view);
    if (parsed.questions.length > 300) failField('questions', 'validation.too_many', body as Record<string, unknown>, view, { n: 300 });
    return { name: form.name, description: form.description ?? '', questions: parsed.questions };
  };

  table
    .get('/audits/templates', READERS, async (req, res) => {
      res.render('audits/templates', { pageTitle: 'audits.templates.title', templates: await listTemplates(ctx.db), canEdit: canEditAudits(req) });
    })
    .get('/audits/templates/new', QUALITY, (_req, res) => {
      res.render(FORM, { pageTitle: 'audits.templates.new', values: {}, errors: {} });
    })
    .post('/audits/templates', QUALITY, async (req, res) => {
      const view = { view: FORM, locals: { pageTitle: 'audits.templates.new' } };
      const form = parseForm(TemplateForm, req.body, view);
      await withFieldErrors(req.body, view, () => createTemplate(ctx, toInput(form, req.body, view), req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.created' });
      res.redirect(303, '/audits/templates');
    })
    .get('/audits/templates/:id', READERS, async (req, res) => {
      const template = await load(req);
      res.render('audits/template', {
        pageTitle: 'audits.templates.title',
        template,
        questions: await listTemplateQuestions(ctx.db, template.id),
        canEdit: canEditAudits(req),
        errors: {},
        values: {},
      });
    })
    .get('/audits/templates/:id/edit', QUALITY, async (req, res) => {
      const template = await load(req);
      const values = { ...template, questions: formatTemplateQuestions(await listTemplateQuestions(ctx.db, template.id)) };
      res.render(FORM, { pageTitle: 'audits.templates.edit', template, values, errors: {} });
    })
    .post('/audits/templates/:id', QUALITY, async (req, res) => {
      const template = await load(req);
      const view = { view: FORM, locals: { pageTitle: 'audits.templates.edit', template } };
      const form = parseForm(TemplateEditForm, req.body, view);
      await withFieldErrors(req.body, view, () => editTemplate(ctx, template.id, toInput(form, req.body, view), form.version, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/templates/${template.id}`);
    })
    .post('/audits/templates/:id/status', QUALITY, async (req, res) => {
      const template = await load(req);
      const locals = { pageTitle: 'audits.templates.title', template, questions: await listTemplateQuestions(ctx.db, template.id), canEdit: true };
      const form = parseForm(ReasonForm, req.body, { view: 'audits/template', locals });
      await setTemplateActive(ctx, template.id, template.active !== 1, form.reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/templates/${template.id}`);
    });
}
