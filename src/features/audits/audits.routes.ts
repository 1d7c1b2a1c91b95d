import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm } from '../../core/http/forms';
import { Forbidden } from '../../core/http/errors';
import { pageParam, pager, queryText } from '../../core/http/params';
import { MANAGERS, QUALITY, READERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { checkSigner } from '../../core/security/signatures';
import { registerChecklistRoutes } from './audits.checklist.routes';
import { registerFillRoutes } from './audits.fill.routes';
import { withFieldErrors, loadAudit } from './audits.http';
import { findProgrammeItem } from './audits.programme.queries';
import { registerProgrammeRoutes } from './audits.programme.routes';
import { countAudits, listAudits, type AuditFilter } from './audits.queries';
import { registerReportRoutes } from './audits.report.routes';
import { AuditEditForm, AuditForm, ConclusionForm, IssueForm, ReasonForm, StartForm, VersionForm } from './audits.schemas';
import { cancelAudit, closeAudit, createAudit, editAudit, GateClosed, saveConclusion, startAudit } from './audits.service';
import { issueReport } from './audits.report.service';
import { AUDIT_STATUSES, AUDIT_TYPES, type AuditStatus, type AuditType } from './audits.tables';
import { registerTemplateRoutes } from './audits.templates.routes';
import { registerLibraryRoutes } from './audits.library.routes';
import { auditFormLocals, auditValues, canEditAudits, showLocals, statusBadge, typeOptions } from './audits.view';
import { todayOf } from '../../core/http/today';

/**
 * /audits: managers (admin, quality officer, leader) see everything, quality officers and admins edit,
 * leaders approve programmes, the lead auditor issues the report. Staff have no access.
 */
const PAGE_SIZE = 50;
const FORM = 'audits/form';

type AuditFormOutput = ReturnType<typeof AuditEditForm.parse>;
const toInput = (f: Omit<AuditFormOutput, 'version' | 'actual_start'> & { actual_start?: string }) => ({
  title: f.title,
  objectives: f.objectives ?? '',
  criteria_other: f.criteria_other ?? '',
  external_body: f.external_body ?? null,
  auditee_unit_id: f.auditee_unit_id ?? null,
  lead_auditor_id: f.lead_auditor_id,
  planned_start: f.planned_start,
  planned_end: f.planned_end,
  actual_start: f.actual_start ?? null,
  actual_end: null,
  scope: { procedureIds: f.procedure_ids, unitIds: f.unit_ids, clauses: f.clauses, memberIds: f.member_ids },
});

export function auditsRoutes(ctx: AppContext): RouteTable {
  const table = new RouteTable();
  registerProgrammeRoutes(table, ctx);
  registerTemplateRoutes(table, ctx);
  registerLibraryRoutes(table, ctx);

  const filterOf = (req: Request) => {
    const year = queryText(req, 'year', 4);
    const status = queryText(req, 'status');
    const type = queryText(req, 'type');
    const filter: AuditFilter = {
      year: year && /^\d{4}$/.test(year) ? Number(year) : undefined,
      status: (AUDIT_STATUSES as readonly string[]).includes(status ?? '') ? (status as AuditStatus) : undefined,
      type: (AUDIT_TYPES as readonly string[]).includes(type ?? '') ? (type as AuditType) : undefined,
    };
    return { filter, query: { year: filter.year ? String(filter.year) : undefined, status: filter.status, type: filter.type } };
  };

  const newForm = async (req: Request, values: Record<string, unknown>) => ({
    pageTitle: 'audits.new',
    ...(await auditFormLocals(ctx, req.lang, values)),
  });

  table
    .get('/audits', READERS, async (req, res) => {
      const { filter, query } = filterOf(req);
      const page = pageParam(req);
      const total = await countAudits(ctx.db, filter);
      res.render('audits/index', {
        pageTitle: 'audits.title',
        audits: (await listAudits(ctx.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE)).map((a) => ({ ...a, badge: statusBadge(a.status) })),
        filter: query,
        total,
        pager: pager(page, PAGE_SIZE, total, query),
        statusOptions: AUDIT_STATUSES.map((value) => ({ value })),
        typeOptions,
        canEdit: canEditAudits(req),
      });
    })
    .get('/audits/new', QUALITY, async (req, res) => {
      const itemRaw = queryText(req, 'item', 15);
      const item = itemRaw && /^\d+$/.test(itemRaw) ? await findProgrammeItem(ctx.db, Number(itemRaw)) : undefined;
      const day = todayOf(res);
      const month = item ? `${item.programme_year}-${String(item.month).padStart(2, '0')}-01` : day;
      const values: Record<string, unknown> = item
        ? {
            type: item.audit_type,
            title: item.title,
            programme_item_id: item.id,
            procedure_ids: item.procedure_ids,
            unit_ids: item.unit_ids,
            clauses: item.clauses,
            planned_start: month,
            planned_end: month,
          }
        : { type: 'internal', planned_start: day, planned_end: day };
      res.render(FORM, { ...(await newForm(req, values)), values, item, errors: {} });
    })
    .post('/audits', QUALITY, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const view = { view: FORM, locals: await newForm(req, body) };
      const form = parseForm(AuditForm, body, view);
      const created = await withFieldErrors(body, view, () =>
        createAudit(ctx, { ...toInput(form), type: form.type }, { programmeItemId: form.programme_item_id ?? null }, req.user!.id),
      );
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.created', params: { code: created.code } });
      res.redirect(303, `/audits/${created.id}`);
    })
    .get('/audits/:id', READERS, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      res.render('audits/show', await showLocals(ctx, req, audit));
    })
    .get('/audits/:id/edit', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const values = await auditValues(ctx, audit);
      res.render(FORM, { pageTitle: 'audits.edit', audit, values, errors: {}, ...(await auditFormLocals(ctx, req.lang, values)) });
    })
    .post('/audits/:id', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const view = { view: FORM, locals: { pageTitle: 'audits.edit', audit, ...(await auditFormLocals(ctx, req.lang, { ...body, type: audit.type })) } };
      const form = parseForm(AuditEditForm, body, view);
      await withFieldErrors(body, view, () => editAudit(ctx, audit.id, toInput(form), form.version, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/${audit.id}`);
    })
    .post('/audits/:id/start', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const view = { view: 'audits/show', locals: await showLocals(ctx, req, audit) };
      const form = parseForm(StartForm, req.body, view);
      await withFieldErrors(req.body, view, () => startAudit(ctx, audit.id, form.actual_start, form.version, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.started' });
      res.redirect(303, `/audits/${audit.id}/checklist`);
    })
    .post('/audits/:id/cancel', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const form = parseForm(ReasonForm, req.body, { view: 'audits/show', locals: await showLocals(ctx, req, audit) });
      await cancelAudit(ctx, audit.id, form.reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.cancelled' });
      res.redirect(303, `/audits/${audit.id}`);
    })
    .post('/audits/:id/conclusion', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const form = parseForm(ConclusionForm, req.body, { view: 'audits/show', locals: await showLocals(ctx, req, audit) });
      await saveConclusion(ctx, audit.id, form.conclusion ?? '', form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/audits/${audit.id}#report`);
    })
    .post('/audits/:id/issue', MANAGERS, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const view = { view: 'audits/show', locals: await showLocals(ctx, req, audit) };
      const form = parseForm(IssueForm, req.body, view);
      const { password: _password, ...kept } = form;
      if (req.user!.id !== audit.lead_auditor_id) throw new Forbidden('audits.report.lead_only');
      const signer = await checkSigner(ctx, req.user!.id, form.password);
      if (!signer) failField('password', 'audits.signature.wrong_password', kept, view);
      await withFieldErrors(kept, view, () => issueReport(ctx, audit.id, signer, form.actual_end, form.version));
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.issued' });
      res.redirect(303, `/audits/${audit.id}`);
    })
    .post('/audits/:id/close', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const view = { view: 'audits/show', locals: await showLocals(ctx, req, audit) };
      const form = parseForm(VersionForm, req.body, view);
      try {
        await closeAudit(ctx, audit.id, form.version, req.user!.id);
      } catch (err) {
        if (err instanceof GateClosed) {
          res.status(422).render('audits/show', { ...view.locals, gateRefused: true });
          return;
        }
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.closed' });
      res.redirect(303, `/audits/${audit.id}`);
    });

  registerReportRoutes(table, ctx);
  registerChecklistRoutes(table, ctx);
  registerFillRoutes(table, ctx);
  return table;
}
