import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { Conflict, Forbidden, NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { QUALITY, SIGNED_IN, WORKERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { canAnswer, canSee, isQuality, LIVE_STATUSES } from './feedback.model';
import { raiseAsNonconformity } from './feedback.nc.service';
import { findFeedback, isAssignable, type FeedbackRow } from './feedback.queries';
import { AnswerForm, AssignForm, CancelForm, FeedbackForm, StepForm } from './feedback.schemas';
import { answerFeedback, assignFeedback, cancelFeedback, closeFeedback, editFeedback } from './feedback.service';
import { checkDetails, detailsOf, formOptions, recordLocals } from './feedback.view';

/** A record's page and its steps: edit before closing, assign, answer, close, raise as a nonconformity, cancel. */
export function addRecordRoutes(table: RouteTable, ctx: AppContext): void {
  const load = async (req: Request): Promise<FeedbackRow> => {
    const f = await findFeedback(ctx.db, idParam(req));
    if (!f || !canSee(req.user!, f)) throw new NotFound();
    return f;
  };
  const showView = async (req: Request, res: Response, f: FeedbackRow): Promise<FormView> => ({
    view: 'feedback/show',
    locals: await recordLocals(ctx.db, f, req.user!, todayOf(res)),
  });
  const editView = async (req: Request, f: FeedbackRow): Promise<FormView> => ({
    view: 'feedback/form',
    locals: { pageTitle: 'feedback.edit', f, ...(await formOptions(ctx.db, f.unit_id)), canAssign: false },
  });
  const done = async (req: Request, res: Response, f: FeedbackRow, key: string, params?: Record<string, string>) => {
    await setFlash(ctx, req, { kind: 'success', key, params });
    res.redirect(303, `/feedback/${f.id}`);
  };

  table
    .get('/feedback/:id', SIGNED_IN, async (req, res) => {
      const f = await load(req);
      const view = await showView(req, res, f);
      res.render(view.view, view.locals);
    })
    .get('/feedback/:id/edit', QUALITY, async (req, res) => {
      const f = await load(req);
      if (!LIVE_STATUSES.includes(f.status)) return res.redirect(303, `/feedback/${f.id}`);
      const view = await editView(req, f);
      const values = { ...f, procedure_id: f.procedure_id ?? '', unit_id: f.unit_id ?? '' };
      res.render(view.view, { ...view.locals, values, errors: {} });
    })
    .post('/feedback/:id', QUALITY, async (req, res) => {
      const f = await load(req);
      const view = await editView(req, f);
      const form = parseForm(FeedbackForm, req.body, view);
      if (form.assignee_id !== undefined) failField('assignee_id', 'validation.invalid_choice', req.body, view);
      await checkDetails(ctx.db, form, todayOf(res), req.body, view, f.unit_id);
      if (f.answered_on !== null && f.answered_on < form.received_on) failField('received_on', 'feedback.error.after_answer', req.body, view);
      await editFeedback(ctx, f.id, detailsOf(form), req.user!.id);
      await done(req, res, f, 'flash.saved');
    })
    .post('/feedback/:id/assign', QUALITY, async (req, res) => {
      const f = await load(req);
      const view = await showView(req, res, f);
      const form = parseForm(AssignForm, req.body, view);
      if (form.assignee_id !== undefined && !(await isAssignable(ctx.db, form.assignee_id)))
        failField('assignee_id', 'validation.invalid_choice', req.body, view);
      await assignFeedback(ctx, f.id, form.assignee_id ?? null, req.user!.id);
      await done(req, res, f, 'feedback.flash.assigned');
    })
    .post('/feedback/:id/answer', WORKERS, async (req, res) => {
      const f = await load(req);
      if (!isQuality(req.user!) && f.assignee_id !== req.user!.id) throw new Forbidden();
      if (!canAnswer(req.user!, f)) throw new Conflict('feedback.error.not_now');
      const view = await showView(req, res, f);
      const form = parseForm(AnswerForm, req.body, view);
      if (form.answered_on > todayOf(res)) failField('answered_on', 'feedback.error.future', req.body, view);
      if (form.answered_on < f.received_on) failField('answered_on', 'feedback.error.before_received', req.body, view);
      await answerFeedback(ctx, f.id, form.answer, form.answered_on, req.user!.id);
      await done(req, res, f, 'feedback.flash.answered');
    })
    .post('/feedback/:id/close', QUALITY, async (req, res) => {
      const f = await load(req);
      parseForm(StepForm, req.body, await showView(req, res, f));
      await closeFeedback(ctx, f.id, req.user!.id);
      await done(req, res, f, 'feedback.flash.closed');
    })
    .post('/feedback/:id/raise', QUALITY, async (req, res) => {
      const f = await load(req);
      parseForm(StepForm, req.body, await showView(req, res, f));
      const { ncCode } = await raiseAsNonconformity(ctx, f.id, todayOf(res), req.user!.id);
      await done(req, res, f, 'feedback.flash.raised', { code: ncCode });
    })
    .post('/feedback/:id/cancel', QUALITY, async (req, res) => {
      const f = await load(req);
      const form = parseForm(CancelForm, req.body, await showView(req, res, f));
      await cancelFeedback(ctx, f.id, form.cancel_reason, req.user!.id);
      await done(req, res, f, 'feedback.flash.cancelled');
    });
}
