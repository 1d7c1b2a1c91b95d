import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { QUALITY, SIGNED_IN, type Role } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { listUnitOptions } from '../units/units.queries';
import { listActiveUserOptions } from '../users/users.queries';
import { assertCanWork } from './nonconformities.access';
import { CAUSE_CATEGORIES, NC_SEVERITIES, parseWhys, VERIFICATION_RESULTS } from './nonconformities.model';
import { findActiveUser } from './nonconformities.actions.queries';
import { findNonconformity, ownsActionOf, type NcRow } from './nonconformities.queries';
import { checkRefs } from './nonconformities.refs';
import { AcceptForm, AnalysisForm, CorrectionForm, ReasonForm, ScheduleForm, StepForm, VerifyForm } from './nonconformities.schemas';
import { acceptReport, addCorrection, cancelNonconformity, rejectReport, reopenNonconformity } from './nonconformities.service';
import { saveAnalysis, scheduleVerification, startImplementation, startPlanning, verifyEffectiveness } from './nonconformities.progress.service';
import { ncPageLocals } from './nonconformities.view';
import { todayOf } from '../../core/http/today';

/** The workflow steps of one NC: triage, correction, analysis, plan, implementation, verification, cancel, reopen. */
const VERIFIERS: readonly Role[] = ['quality_officer', 'leader'];

export function addWorkflowRoutes(table: RouteTable, ctx: AppContext): void {
  const load = async (req: Request): Promise<NcRow> => {
    const nc = await findNonconformity(ctx.db, idParam(req));
    if (!nc) throw new NotFound();
    return nc;
  };
  const done = async (req: Request, res: Response, nc: NcRow, key = 'flash.saved', params?: Record<string, string | number>) => {
    await setFlash(ctx, req, { kind: 'success', key, params });
    res.redirect(303, `/nonconformities/${nc.id}`);
  };
  const users = async () => (await listActiveUserOptions(ctx.db)).map((u) => ({ value: u.id, label: u.full_name }));
  const triageLocals = async (nc: NcRow) => ({
    pageTitle: 'nonconformities.triage_title',
    nc,
    severityOptions: NC_SEVERITIES.map((value) => ({ value })),
    unitOptions: await listUnitOptions(ctx.db),
    userOptions: await users(),
  });
  const showView = async (req: Request, res: Response, nc: NcRow): Promise<FormView> => ({
    view: 'nonconformities/show',
    locals: await ncPageLocals(ctx, nc, req.user!, todayOf(res), req.lang),
  });
  const reasonView = (nc: NcRow, step: 'cancel' | 'reopen'): FormView => ({
    view: 'nonconformities/reason',
    locals: { pageTitle: `nonconformities.${step}_title`, nc, step, help: `nonconformities.${step}_help`, submit: `nonconformities.step.${step}` },
  });
  const analysisView = (nc: NcRow): FormView => ({
    view: 'nonconformities/analysis',
    locals: { pageTitle: 'nonconformities.analysis_title', nc, causeOptions: CAUSE_CATEGORIES.map((value) => ({ value })), slots: [1, 2, 3, 4, 5] },
  });
  const verifyView = (nc: NcRow): FormView => ({
    view: 'nonconformities/verify',
    locals: { pageTitle: 'nonconformities.verify_title', nc, resultOptions: VERIFICATION_RESULTS.map((value) => ({ value })) },
  });
  const correctionView = async (nc: NcRow): Promise<FormView> => ({
    view: 'nonconformities/correction',
    locals: { pageTitle: 'nonconformities.correction_title', nc, userOptions: await users() },
  });
  const render = (res: Response, v: FormView, values: Record<string, unknown>) => res.render(v.view, { ...v.locals, values, errors: {} });

  table
    .get('/nonconformities/:id/triage', QUALITY, async (req, res) => {
      const nc = await load(req);
      res.render('nonconformities/triage', { ...(await triageLocals(nc)), values: nc, errors: {} });
    })
    .post('/nonconformities/:id/accept', QUALITY, async (req, res) => {
      const nc = await load(req);
      const view = { view: 'nonconformities/triage', locals: await triageLocals(nc) };
      const form = parseForm(AcceptForm, req.body, view);
      await checkRefs(ctx.db, form, req.body, view);
      await acceptReport(
        ctx,
        nc.id,
        form.version,
        { severity: form.severity, responsibleUnitId: form.responsible_unit_id ?? null, responsibleUserId: form.responsible_user_id ?? null },
        req.user!.id,
      );
      await done(req, res, nc, 'nonconformities.flash.accepted');
    })
    .post('/nonconformities/:id/reject', QUALITY, async (req, res) => {
      const nc = await load(req);
      const form = parseForm(ReasonForm, req.body, { view: 'nonconformities/triage', locals: await triageLocals(nc) });
      await rejectReport(ctx, nc.id, form.version, form.reason, req.user!.id);
      await done(req, res, nc, 'nonconformities.flash.rejected');
    })
    .get('/nonconformities/:id/correction', SIGNED_IN, async (req, res) => {
      const nc = await load(req);
      assertCanWork(req.user!, nc);
      render(res, await correctionView(nc), { done_by: req.user!.id, done_on: todayOf(res) });
    })
    .post('/nonconformities/:id/corrections', SIGNED_IN, async (req, res) => {
      const nc = await load(req);
      assertCanWork(req.user!, nc);
      const view = await correctionView(nc);
      const form = parseForm(CorrectionForm, req.body, view);
      if (form.done_on > todayOf(res)) failField('done_on', 'nonconformities.error.future_date', req.body, view);
      // An active user of the organisation (the select's options; checked by a scoped lookup).
      if (!(await findActiveUser(ctx.db, form.done_by))) failField('done_by', 'validation.invalid_choice', req.body, view);
      await addCorrection(ctx, nc.id, { description: form.description, doneBy: form.done_by, doneOn: form.done_on }, req.user!.id);
      await done(req, res, nc);
    })
    .get('/nonconformities/:id/analysis', SIGNED_IN, async (req, res) => {
      const nc = await load(req);
      assertCanWork(req.user!, nc);
      const values: Record<string, unknown> = { version: nc.version, cause_category: nc.cause_category, root_cause: nc.root_cause };
      parseWhys(nc.whys).forEach((w, i) => {
        values[`why_${i + 1}`] = w.why;
        values[`answer_${i + 1}`] = w.answer;
      });
      render(res, analysisView(nc), values);
    })
    .post('/nonconformities/:id/analysis', SIGNED_IN, async (req, res) => {
      const nc = await load(req);
      assertCanWork(req.user!, nc);
      const view = analysisView(nc);
      const form = parseForm(AnalysisForm, req.body, view);
      const whys = ([1, 2, 3, 4, 5] as const)
        .map((i) => ({ why: form[`why_${i}`], answer: form[`answer_${i}`] }))
        .filter((w): w is { why: string; answer: string } => !!w.why && !!w.answer);
      if (whys.length === 0) failField('why_1', 'nonconformities.error.one_why', req.body, view);
      const { repeatOf } = await saveAnalysis(ctx, nc.id, form.version, { whys, causeCategory: form.cause_category, rootCause: form.root_cause }, req.user!.id);
      await done(req, res, nc, repeatOf ? 'nonconformities.flash.repeat' : 'flash.saved', repeatOf ? { code: repeatOf } : undefined);
    })
    .post('/nonconformities/:id/plan', SIGNED_IN, async (req, res) => {
      const nc = await load(req);
      assertCanWork(req.user!, nc);
      const form = parseForm(StepForm, req.body, await showView(req, res, nc));
      await startPlanning(ctx, nc.id, form.version, req.user!.id);
      await done(req, res, nc);
    })
    .post('/nonconformities/:id/start', SIGNED_IN, async (req, res) => {
      const nc = await load(req);
      assertCanWork(req.user!, nc);
      const form = parseForm(StepForm, req.body, await showView(req, res, nc));
      await startImplementation(ctx, nc.id, form.version, req.user!.id);
      await done(req, res, nc);
    })
    .post('/nonconformities/:id/schedule', QUALITY, async (req, res) => {
      const nc = await load(req);
      const form = parseForm(ScheduleForm, req.body, await showView(req, res, nc));
      await scheduleVerification(ctx, nc.id, form.version, form.verify_due_on, req.user!.id);
      await done(req, res, nc);
    })
    .get('/nonconformities/:id/verify', VERIFIERS, async (req, res) => {
      const nc = await load(req);
      const view = verifyView(nc);
      res.render(view.view, { ...view.locals, ownsAction: await ownsActionOf(ctx.db, nc.id, req.user!.id), values: { version: nc.version }, errors: {} });
    })
    .post('/nonconformities/:id/verify', VERIFIERS, async (req, res) => {
      const nc = await load(req);
      const form = parseForm(VerifyForm, req.body, verifyView(nc));
      await verifyEffectiveness(ctx, nc.id, form.version, { result: form.result, note: form.note }, req.user!);
      await done(req, res, nc, form.result === 'effective' ? 'nonconformities.flash.closed' : 'nonconformities.flash.not_effective');
    })
    .get('/nonconformities/:id/cancel', QUALITY, async (req, res) => {
      const nc = await load(req);
      render(res, reasonView(nc, 'cancel'), { version: nc.version });
    })
    .post('/nonconformities/:id/cancel', QUALITY, async (req, res) => {
      const nc = await load(req);
      const form = parseForm(ReasonForm, req.body, reasonView(nc, 'cancel'));
      await cancelNonconformity(ctx, nc.id, form.version, form.reason, req.user!.id);
      await done(req, res, nc);
    })
    .get('/nonconformities/:id/reopen', QUALITY, async (req, res) => {
      const nc = await load(req);
      render(res, reasonView(nc, 'reopen'), { version: nc.version });
    })
    .post('/nonconformities/:id/reopen', QUALITY, async (req, res) => {
      const nc = await load(req);
      const form = parseForm(ReasonForm, req.body, reasonView(nc, 'reopen'));
      await reopenNonconformity(ctx, nc.id, form.version, form.reason, req.user!.id);
      await done(req, res, nc);
    });
}
