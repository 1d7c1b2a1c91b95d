import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { Conflict, NotFound } from '../../core/http/errors';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { idParam } from '../../core/http/params';
import { QUALITY, SIGNED_IN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { listUnitOptions } from '../units/units.queries';
import { canManage, objectiveLine, withFieldErrors, yearOf } from './objectives.http';
import { registerApprovalRoutes } from './objectives.approval.routes';
import { registerReadingRoutes } from './objectives.readings.routes';
import { isComputed } from './objectives.model';
import { progressOf, progressOfAll } from './objectives.progress';
import {
  findObjective,
  findSet,
  listObjectives,
  listOwnerOptions,
  listProcedureChoices,
  listSetYears,
  type ObjectiveRow,
  type ObjectiveValues,
} from './objectives.queries';
import { CancelForm, crossFieldProblem, ObjectiveEditForm, ObjectiveForm, type ObjectiveFormValues } from './objectives.schemas';
import { cancelObjective, createObjective, editObjective } from './objectives.service';
import { COMPARISONS, FREQUENCIES, INDICATORS } from './objectives.tables';
import { periodsChart, ratioText, STATUS_BADGE, valueText, yearChart } from './objectives.view';

/**
 * The quality objectives (ISO 9001:2015 clause 6.2): the year's list with its progress chart (GET /objectives?year=),
 * one objective with its plan, its periods and its chart (GET /objectives/:id), writing and changing them (quality
 * officer, admin), cancelling one with a reason; readings, approval, print view and exports in their own files.
 * Objectives are communicated to everyone (6.2.2): every signed-in user reads them, staff included.
 */
const FORM = 'objectives/form';
export function objectivesRoutes(ctx: AppContext): RouteTable {
  const formLocals = async (year: number, extra: Record<string, unknown> = {}) => ({
    year,
    unitOptions: await listUnitOptions(ctx.db),
    ownerOptions: (await listOwnerOptions(ctx.db)).map((u) => ({ value: u.id, label: u.full_name })),
    procedureOptions: (await listProcedureChoices(ctx.db)).map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` })),
    indicatorOptions: INDICATORS.map((value) => ({ value })),
    comparisonOptions: COMPARISONS.map((value) => ({ value })),
    frequencyOptions: FREQUENCIES.map((value) => ({ value })),
    ...extra,
  });
  const toValues = (f: ObjectiveFormValues | ReturnType<typeof ObjectiveForm.parse>): ObjectiveValues => ({
    unit_id: f.unit_id ?? null,
    objective: f.objective,
    indicator: f.indicator,
    procedure_id: f.procedure_id ?? null,
    comparison: f.comparison,
    target: f.target,
    unit: isComputed(f.indicator) ? '%' : f.unit!,
    frequency: f.frequency,
    owner_id: f.owner_id,
    plan_what: f.plan_what,
    plan_resources: f.plan_resources,
    plan_who: f.plan_who,
    plan_when: f.plan_when,
    plan_evaluation: f.plan_evaluation,
  });
  const checkCross = (f: ObjectiveFormValues | ReturnType<typeof ObjectiveForm.parse>, body: Record<string, unknown>, view: FormView) => {
    const problem = crossFieldProblem(f);
    if (problem) failField(problem[0], problem[1], body, view);
  };
  const load = async (req: Request) => {
    const o = await findObjective(ctx.db, idParam(req));
    if (!o) throw new NotFound();
    return o;
  };
  const showLocals = async (req: Request, res: Response, o: ObjectiveRow) => {
    const lang = req.lang ?? 'vi';
    const today = todayOf(res);
    const [progress, set] = await Promise.all([progressOf(ctx.db, o, today), findSet(ctx.db, o.year)]);
    const open = o.status === 'active' && set?.status !== 'submitted';
    const manage = canManage(req.user?.role);
    return {
      pageTitle: 'objectives.show',
      objective: objectiveLine(o, lang),
      set,
      progress,
      badge: STATUS_BADGE[progress.status],
      yearValue: valueText(progress.year.value, o.unit, lang),
      yearRatio: ratioText(progress.year.ratio, lang),
      periods: progress.periods.map((p) => ({
        ...p,
        valueText: p.started ? valueText(p.value, o.unit, lang) : '',
        ratioText: ratioText(p.ratio, lang),
        readings: p.readings.map((r) => ({ ...r, valueText: valueText(Number(r.value), o.unit, lang), current: r.id === p.reading?.id })),
        canRead: manage && open && o.indicator === 'manual' && o.locked === 1 && p.started,
      })),
      chart: periodsChart(o, progress, lang),
      manual: o.indicator === 'manual',
      canEdit: manage && open && o.locked === 0,
      canCancel: manage && open,
      needsApproval: o.indicator === 'manual' && o.locked === 0 && o.status === 'active',
      errors: {},
      values: { version: o.version },
    };
  };

  const table = new RouteTable();
  registerApprovalRoutes(table, ctx);
  table
    .get('/objectives', SIGNED_IN, async (req, res) => {
      const year = yearOf(req, res);
      const lang = req.lang ?? 'vi';
      const [objectives, set, years] = await Promise.all([listObjectives(ctx.db, year), findSet(ctx.db, year), listSetYears(ctx.db)]);
      const progress = await progressOfAll(ctx.db, objectives, todayOf(res));
      const active = objectives.filter((o) => o.status === 'active').map((o) => ({ o, p: progress.get(o.id)! }));
      const thisYear = Number(todayOf(res).slice(0, 4));
      res.render('objectives/index', {
        pageTitle: 'objectives.title',
        year,
        set,
        years: [...new Set([thisYear + 1, thisYear, year, ...years])].sort((a, b) => b - a),
        rows: active.map(({ o, p }) => ({
          ...objectiveLine(o, lang),
          status: p.status,
          badge: STATUS_BADGE[p.status],
          yearValue: valueText(p.year.value, o.unit, lang),
          yearRatio: ratioText(p.year.ratio, lang),
        })),
        cancelled: objectives.filter((o) => o.status === 'cancelled').map((o) => objectiveLine(o, lang)),
        chart: yearChart(active, year, lang),
        canManage: canManage(req.user?.role),
      });
    })
    .get('/objectives/new', QUALITY, async (req, res) => {
      const year = yearOf(req, res);
      res.render(FORM, {
        pageTitle: 'objectives.new',
        ...(await formLocals(year)),
        values: { year, comparison: 'gte', frequency: 'quarterly', indicator: 'on_time_rate', owner_id: req.user!.id },
        errors: {},
      });
    })
    .post('/objectives', QUALITY, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const year = Number(body.year) || Number(todayOf(res).slice(0, 4));
      const view: FormView = { view: FORM, locals: { pageTitle: 'objectives.new', ...(await formLocals(year)) } };
      const form = parseForm(ObjectiveForm, body, view);
      checkCross(form, body, view);
      const id = await withFieldErrors(body, view, () => createObjective(ctx, form.year, toValues(form), req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'objectives.flash.created' });
      res.redirect(303, `/objectives/${id}`);
    });
  registerReadingRoutes(table, ctx);
  return table
    .get('/objectives/:id', SIGNED_IN, async (req, res) => {
      res.render('objectives/show', await showLocals(req, res, await load(req)));
    })
    .get('/objectives/:id/edit', QUALITY, async (req, res) => {
      const o = await load(req);
      if (o.locked === 1 || o.status !== 'active') throw new Conflict('objectives.locked');
      const values = { ...o, target: String(o.target).replace('.', req.lang === 'en' ? '.' : ',') };
      res.render(FORM, { pageTitle: 'objectives.edit', objective: o, ...(await formLocals(o.year)), values, errors: {} });
    })
    .post('/objectives/:id', QUALITY, async (req, res) => {
      const o = await load(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const view: FormView = { view: FORM, locals: { pageTitle: 'objectives.edit', objective: o, ...(await formLocals(o.year)) } };
      const form = parseForm(ObjectiveEditForm, body, view);
      checkCross(form, body, view);
      await withFieldErrors(body, view, () => editObjective(ctx, o.id, toValues(form), form.version, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/objectives/${o.id}`);
    })
    .post('/objectives/:id/cancel', QUALITY, async (req, res) => {
      const o = await load(req);
      const form = parseForm(CancelForm, req.body, { view: 'objectives/show', locals: await showLocals(req, res, o) });
      await cancelObjective(ctx, o.id, form.reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'objectives.flash.cancelled' });
      res.redirect(303, `/objectives/${o.id}`);
    });
}
