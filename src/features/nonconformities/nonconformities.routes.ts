import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam, pageParam, pager } from '../../core/http/params';
import { QUALITY, SIGNED_IN, READERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { clauseOptions } from '../../core/iso/clauses';
import { listProcedureOptions } from '../procedures/procedures.queries';
import { listUnitOptions } from '../units/units.queries';
import { listActiveUserOptions } from '../users/users.queries';
import { assertCanView, isQuality } from './nonconformities.access';
import { ncCsv } from './nonconformities.csv';
import { PAGE_SIZE, resolveFilter, SORT_LINKS } from './nonconformities.filters';
import { listNonconformities, listRegisterPage, registerFormData } from './nonconformities.list.queries';
import { PROCEDURE_SELECT_MAX } from '../procedures/procedures.filter';
import { NC_SEVERITIES, NC_SOURCES, NC_STATUSES } from './nonconformities.model';
import { listAwaitingVerification } from './nonconformities.dashboard.queries';
import { findNonconformity } from './nonconformities.queries';
import { checkRefs } from './nonconformities.refs';
import { NcForm, ReportForm } from './nonconformities.schemas';
import { createNonconformity, DetectedYearChanged, editNonconformity } from './nonconformities.service';
import { ncPageLocals, registerRows } from './nonconformities.view';
import { addWorkflowRoutes } from './nonconformities.workflow.routes';
import { todayOf } from '../../core/http/today';
import { sendDocx } from '../../core/docx/docx.http';
import { ncDocx } from './nonconformities.docx';
import { ncPrintLocals } from './nonconformities.print';

/** The register (list, CSV, awaiting verification), reporting a problem, raising and editing an NC, its page and print. */
export function nonconformitiesRoutes(ctx: AppContext): RouteTable {
  const procedureOptions = async () => (await listProcedureOptions(ctx.db)).map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` }));
  const userOptions = async () => (await listActiveUserOptions(ctx.db)).map((u) => ({ value: u.id, label: u.full_name }));
  const formLocals = async (req: Request, extra: Record<string, unknown>) => ({
    ...extra,
    procedureOptions: await procedureOptions(),
    unitOptions: await listUnitOptions(ctx.db),
    userOptions: await userOptions(),
    clauseOptions: clauseOptions(req.lang),
    sourceOptions: NC_SOURCES.map((value) => ({ value })),
    severityOptions: NC_SEVERITIES.map((value) => ({ value })),
  });
  const notFuture = (date: string, res: Response, values: Record<string, unknown>, view: { view: string; locals?: Record<string, unknown> }) => {
    if (date > todayOf(res)) failField('detected_on', 'nonconformities.error.future_date', values, view);
  };

  const table = new RouteTable()
    .get('/nonconformities', READERS, async (req, res) => {
      const form = await registerFormData(ctx.db, PROCEDURE_SELECT_MAX);
      const filter = await resolveFilter(ctx, req, todayOf(res), form.manyProcedures);
      const page = pageParam(req);
      const offset = (page - 1) * PAGE_SIZE;
      const timeZone = String(res.locals.timeZone);
      const { rows: listed, total } = await listRegisterPage(ctx.db, filter, PAGE_SIZE, offset);
      const sort = filter.sort ?? 'code';
      res.render('nonconformities/index', {
        pageTitle: 'nonconformities.title',
        rows: registerRows(listed, req.lang, timeZone),
        total,
        filter: filter.query,
        procedureField: filter.procedureField,
        sortLinks: SORT_LINKS.map((s) => ({ ...s, current: sort === s.key, dir: sort === s.key && filter.dir !== 'asc' ? 'asc' : 'desc' })),
        pager: pager(page, PAGE_SIZE, total, filter.query),
        statusOptions: NC_STATUSES,
        severityOptions: NC_SEVERITIES,
        sourceOptions: NC_SOURCES,
        unitOptions: form.unitOptions,
        canCreate: isQuality(req.user!),
      });
    })
    .get('/nonconformities/export.csv', READERS, async (req, res) => {
      const filter = await resolveFilter(ctx, req, todayOf(res));
      const rows = await listNonconformities(ctx.db, filter, 50_000, 0);
      res.set('Content-Type', 'text/csv; charset=utf-8');
      res.set('Content-Disposition', `attachment; filename="nonconformities-${todayOf(res)}.csv"`);
      res.send(ncCsv(rows, req.lang));
    })
    .get('/nonconformities/awaiting-verification', READERS, async (_req, res) => {
      const t = todayOf(res);
      const rows = (await listAwaitingVerification(ctx.db)).map((r) => ({ ...r, overdue: r.verify_due_on !== null && r.verify_due_on < t }));
      res.render('nonconformities/awaiting', { pageTitle: 'nonconformities.awaiting_title', rows });
    })
    .get('/nonconformities/report', SIGNED_IN, async (_req, res) => {
      res.render('nonconformities/report', {
        pageTitle: 'nonconformities.report_title',
        procedureOptions: await procedureOptions(),
        values: { detected_on: todayOf(res) },
        errors: {},
      });
    })
    .post('/nonconformities/report', SIGNED_IN, async (req, res) => {
      const view = { view: 'nonconformities/report', locals: { pageTitle: 'nonconformities.report_title', procedureOptions: await procedureOptions() } };
      const form = parseForm(ReportForm, req.body, view);
      notFuture(form.detected_on, res, req.body, view);
      await checkRefs(ctx.db, form, req.body, view);
      const { id, code } = await createNonconformity(
        ctx,
        {
          title: form.title,
          description: form.description,
          source: 'staff_report',
          severity: 'minor',
          procedureId: form.procedure_id ?? null,
          clause: null,
          detectedOn: form.detected_on,
          reportedBy: req.user!.id,
          responsibleUnitId: null,
          responsibleUserId: null,
          status: 'reported',
        },
        req.user!.id,
      );
      await setFlash(ctx, req, { kind: 'success', key: 'nonconformities.flash.reported', params: { code } });
      res.redirect(303, `/nonconformities/${id}`);
    })
    .get('/nonconformities/new', QUALITY, async (req, res) => {
      res.render(
        'nonconformities/form',
        await formLocals(req, {
          pageTitle: 'nonconformities.new',
          values: { detected_on: todayOf(res), severity: 'minor', source: 'process_monitoring' },
          errors: {},
        }),
      );
    })
    .post('/nonconformities', QUALITY, async (req, res) => {
      const view = { view: 'nonconformities/form', locals: await formLocals(req, { pageTitle: 'nonconformities.new' }) };
      const form = parseForm(NcForm, req.body, view);
      if (form.version !== undefined) failField('_form', 'validation.invalid', req.body, view);
      notFuture(form.detected_on, res, req.body, view);
      await checkRefs(ctx.db, form, req.body, view);
      const { id, code } = await createNonconformity(
        ctx,
        {
          title: form.title,
          description: form.description,
          source: form.source,
          severity: form.severity,
          procedureId: form.procedure_id ?? null,
          clause: form.clause ?? null,
          detectedOn: form.detected_on,
          reportedBy: req.user!.id,
          responsibleUnitId: form.responsible_unit_id ?? null,
          responsibleUserId: form.responsible_user_id ?? null,
          status: 'open',
        },
        req.user!.id,
      );
      await setFlash(ctx, req, { kind: 'success', key: 'nonconformities.flash.created', params: { code } });
      res.redirect(303, `/nonconformities/${id}`);
    })
    .get('/nonconformities/:id', SIGNED_IN, async (req, res) => {
      const nc = await findNonconformity(ctx.db, idParam(req));
      if (!nc) throw new NotFound();
      await assertCanView(ctx.db, req.user!, nc);
      res.render('nonconformities/show', await ncPageLocals(ctx, nc, req.user!, todayOf(res), req.lang));
    })
    .get('/nonconformities/:id/print', SIGNED_IN, async (req, res) => {
      res.render('nonconformities/print', await ncPrintLocals(ctx, req, res));
    })
    .get('/nonconformities/:id/print.docx', SIGNED_IN, async (req, res) => {
      const locals = await ncPrintLocals(ctx, req, res);
      sendDocx(res, await ncDocx(locals, req.lang, String(res.locals.timeZone ?? ctx.config.timeZone)), `phieu-yeu-cau-${locals.nc.code}.docx`);
    })
    .get('/nonconformities/:id/edit', QUALITY, async (req, res) => {
      const nc = await findNonconformity(ctx.db, idParam(req));
      if (!nc) throw new NotFound();
      res.render('nonconformities/form', await formLocals(req, { pageTitle: 'nonconformities.edit', nc, values: nc, errors: {} }));
    })
    .post('/nonconformities/:id', QUALITY, async (req, res) => {
      const nc = await findNonconformity(ctx.db, idParam(req));
      if (!nc) throw new NotFound();
      const view = { view: 'nonconformities/form', locals: await formLocals(req, { pageTitle: 'nonconformities.edit', nc }) };
      const form = parseForm(NcForm, req.body, view);
      if (form.version === undefined) failField('_form', 'validation.invalid', req.body, view);
      notFuture(form.detected_on, res, req.body, view);
      await checkRefs(ctx.db, form, req.body, view, {
        responsible_unit_id: nc.responsible_unit_id ?? undefined,
        responsible_user_id: nc.responsible_user_id ?? undefined,
      });
      try {
        await editNonconformity(
          ctx,
          nc.id,
          form.version,
          {
            title: form.title,
            description: form.description,
            source: form.source,
            severity: form.severity,
            procedureId: form.procedure_id ?? null,
            clause: form.clause ?? null,
            detectedOn: form.detected_on,
            responsibleUnitId: form.responsible_unit_id ?? null,
            responsibleUserId: form.responsible_user_id ?? null,
          },
          req.user!.id,
        );
      } catch (err) {
        if (err instanceof DetectedYearChanged) failField('detected_on', 'nonconformities.error.detected_year', req.body, view, { year: nc.year });
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/nonconformities/${nc.id}`);
    });
  addWorkflowRoutes(table, ctx);
  return table;
}
