import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { BadRequest } from '../../core/http/errors';
import { QUALITY, READERS, WORKERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { pagePeriod, periodPresets } from '../dossiers/dossiers.period';
import { safeFileName, toCsv } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { isQuality } from './feedback.model';
import { feedbackTable, feedbackXlsx } from './feedback.exports';
import { feedbackFigures, FIGURE_KEYS } from './feedback.figures';
import { checkDetails, detailsOf, formOptions } from './feedback.view';
import { findAnswerDays, listFeedback, updateAnswerDays, type FeedbackFilter } from './feedback.queries';
import { FeedbackForm, SettingsForm } from './feedback.schemas';
import { createFeedback } from './feedback.service';
import { FEEDBACK_CHANNELS, FEEDBACK_KINDS, FEEDBACK_STATUSES, type FeedbackChannel, type FeedbackStatus } from './feedback.tables';
import { addRecordRoutes } from './feedback.workflow.routes';

/**
 * The register of citizens' feedback and complaints (issue 24): the register with its filters and the period's
 * figures (GET /feedback, its CSV and XLSX), the answer days setting, recording a piece of feedback, and each record's
 * page and steps (feedback.workflow.routes.ts). The quality officer and the admin manage it; leaders read it and may
 * answer what they are assigned; any staff member records feedback received at the counter and answers what is
 * assigned to them (GET /feedback/mine).
 */
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : '');

function periodOf(req: Request, res: Response) {
  const today = todayOf(res);
  const q = req.query as { from?: unknown; to?: unknown };
  const { period, problem } = pagePeriod({ from: str(q.from), to: str(q.to) }, today);
  // a period that ends after today is counted as of today: a record due later is not overdue yet
  return { period, asOf: period.to > today ? today : period.to, problem, presets: periodPresets(today) };
}

/** The register's filters from the query string; a value that is not one of the choices is ignored. */
function filterOf(req: Request, res: Response, period: { from: string; to: string }) {
  const q = req.query as Record<string, unknown>;
  const status = FEEDBACK_STATUSES.find<FeedbackStatus>((s): s is FeedbackStatus => s === q.status);
  const channel = FEEDBACK_CHANNELS.find<FeedbackChannel>((c): c is FeedbackChannel => c === q.channel);
  const procedureId = typeof q.procedure_id === 'string' && /^\d{1,9}$/.test(q.procedure_id) ? Number(q.procedure_id) : undefined;
  const overdue = q.overdue === '1';
  const filter: FeedbackFilter = { ...period, status, channel, procedureId, overdueOn: overdue ? todayOf(res) : undefined };
  return { filter, query: { status, channel, procedure_id: procedureId, overdue } };
}

const fileName = (from: string, to: string, ext: string) => safeFileName(`phan-anh-kien-nghi-${from}-${to}.${ext}`);

export function feedbackRoutes(ctx: AppContext): RouteTable {
  const figuresFor = async (req: Request, res: Response) => {
    const { period, asOf, problem } = periodOf(req, res);
    if (problem) throw new BadRequest(problem);
    return { period, figures: await feedbackFigures(ctx.db, period.from, period.to, asOf) };
  };
  const registerLocals = async (req: Request, res: Response) => {
    const { period, asOf, problem, presets } = periodOf(req, res);
    const { filter, query } = filterOf(req, res, period);
    const [figures, rows, answerDays, options] = await Promise.all([
      feedbackFigures(ctx.db, period.from, period.to, asOf),
      listFeedback(ctx.db, filter),
      findAnswerDays(ctx.db),
      formOptions(ctx.db),
    ]);
    const today = todayOf(res);
    return {
      status: problem ? 400 : 200,
      locals: {
        pageTitle: 'feedback.title',
        period,
        periodProblem: problem,
        presets,
        asOf: asOf === period.to ? undefined : asOf,
        figures,
        keys: FIGURE_KEYS,
        channels: FEEDBACK_CHANNELS.map((c) => ({ key: c, n: figures.byChannel[c] })),
        kinds: FEEDBACK_KINDS.map((k) => ({ key: k, n: figures.byKind[k] })),
        rows: rows.map((r) => ({ ...r, overdue: r.status === 'open' && r.answer_due_on < today })),
        filter: query,
        statusOptions: FEEDBACK_STATUSES,
        channelOptions: FEEDBACK_CHANNELS,
        procedureOptions: options.procedureOptions,
        exportQuery: `from=${period.from}&to=${period.to}`,
        canManage: isQuality(req.user!),
        settings: { feedback_answer_days: answerDays },
        errors: {},
      },
    };
  };
  const newView = async (req: Request, extra: Record<string, unknown> = {}): Promise<FormView> => ({
    view: 'feedback/form',
    locals: { pageTitle: 'feedback.new', ...(await formOptions(ctx.db)), canAssign: isQuality(req.user!), ...extra },
  });

  const table = new RouteTable()
    .get('/feedback', READERS, async (req, res) => {
      const { status, locals } = await registerLocals(req, res);
      res.status(status).render('feedback/index', locals);
    })
    .get('/feedback.csv', READERS, async (req, res) => {
      const { period, figures } = await figuresFor(req, res);
      const t = feedbackTable(figures, period.from, period.to, req.lang ?? 'vi');
      sendDownload(res, toCsv([t.keys, ...t.rows]), 'text/csv; charset=utf-8', fileName(period.from, period.to, 'csv'));
    })
    .get('/feedback.xlsx', READERS, async (req, res) => {
      const { period, figures } = await figuresFor(req, res);
      const body = await feedbackXlsx(figures, period.from, period.to, req.lang ?? 'vi');
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName(period.from, period.to, 'xlsx'));
    })
    .post('/feedback/settings', QUALITY, async (req, res) => {
      const { locals } = await registerLocals(req, res);
      const form = parseForm(SettingsForm, req.body, { view: 'feedback/index', locals });
      const at = ctx.clock.now();
      await ctx.db.transaction().execute(async (trx) => {
        const before = await findAnswerDays(trx);
        await updateAnswerDays(trx, form.feedback_answer_days);
        await record(
          trx,
          { userId: req.user!.id, action: 'update', entity: 'organisation', entityId: null, old: { feedback_answer_days: before }, new: form },
          at,
        );
      });
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, '/feedback');
    })
    .get('/feedback/mine', WORKERS, async (req, res) => {
      const today = todayOf(res);
      const rows = await listFeedback(ctx.db, { assigneeId: req.user!.id });
      res.render('feedback/mine', {
        pageTitle: 'feedback.mine',
        rows: rows
          .filter((r) => r.status === 'open' || r.status === 'answered')
          .map((r) => ({ ...r, overdue: r.status === 'open' && r.answer_due_on < today })),
      });
    })
    .get('/feedback/new', WORKERS, async (req, res) => {
      const view = await newView(req, { values: { received_on: todayOf(res), channel: 'counter', kind: 'feedback' }, errors: {} });
      res.render(view.view, view.locals);
    })
    .post('/feedback', WORKERS, async (req, res) => {
      const view = await newView(req);
      const form = parseForm(FeedbackForm, req.body, view);
      if (form.assignee_id !== undefined && !isQuality(req.user!)) failField('assignee_id', 'validation.invalid_choice', req.body, view);
      await checkDetails(ctx.db, form, todayOf(res), req.body, view);
      const { id, code } = await createFeedback(ctx, detailsOf(form), form.assignee_id ?? null, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'feedback.flash.created', params: { code } });
      res.redirect(303, `/feedback/${id}`);
    });
  addRecordRoutes(table, ctx);
  return table;
}
