import type { Request, Response } from 'express';
import { chosenBlock, letterheadOfKind } from '../organisation/organisation.signers.print';
import type { AppContext } from '../../core/context';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { Forbidden, NotFound } from '../../core/http/errors';
import { idParam, queryText } from '../../core/http/params';
import { QUALITY, READERS, SIGNED_IN, type Role } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import type { SessionUser } from '../../core/http/session.queries';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { safeFileName, toCsv } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { NewActionForm } from '../nonconformities/nonconformities.actions.schemas';
import { actionBadge } from '../nonconformities/nonconformities.actions.model';
import { listActionsOfRisk } from '../nonconformities/nonconformities.actions.queries';
import { newActionFormLocals, userOptions } from '../nonconformities/nonconformities.actions.view';
import { heatMap, riskFigures } from './risks.figures';
import { EFFECTIVENESS, isMatrix, levelBadge, RISK_KINDS, RISK_LEVELS, SCORES, TREATMENTS_OF, type RiskKind } from './risks.model';
import { findMatrix, findRisk, listProcedureOptions, listReviews, listRisks, type RiskFilter, type RiskRow } from './risks.queries';
import { CloseForm, MatrixForm, ResetMatrixForm, ReviewForm, RiskEditForm, RiskForm } from './risks.schemas';
import { actionTypeOf, addRiskAction, closeRisk, createRisk, editRisk, reviewRisk, RiskFieldError, setRiskMatrix } from './risks.service';
import { risksTable, risksXlsx } from './risks.exports';

/**
 * The register of risks and opportunities (clause 6.1, issue 23): the list with its figures and heat maps, its
 * CSV/XLSX and print view (readers: managers and the inspector); one entry with its actions and reviews (readers,
 * its owner and the owners of its actions); entering and correcting entries and setting the matrix (quality
 * officers); reviewing an entry and planning its actions (quality officers and the entry's owner); closing one.
 */
const isQualityRole = (role: Role | undefined) => role !== undefined && (QUALITY as readonly string[]).includes(role);
const isReader = (role: Role | undefined) => role !== undefined && (READERS as readonly string[]).includes(role);

/** Who works an entry: the quality officers and its owner. */
const works = (u: SessionUser, r: RiskRow) => isQualityRole(u.role) || r.owner_id === u.id;

export function risksRoutes(ctx: AppContext): RouteTable {
  const load = async (req: Request) => {
    const risk = await findRisk(ctx.db, idParam(req));
    if (!risk) throw new NotFound();
    return risk;
  };
  /** An entry is seen by the readers of the register, its owner and the owners of its actions. */
  const loadVisible = async (req: Request) => {
    const risk = await load(req);
    const u = req.user!;
    if (isReader(u.role) || risk.owner_id === u.id) return risk;
    if ((await listActionsOfRisk(ctx.db, risk.id)).some((a) => a.owner_id === u.id)) return risk;
    throw new Forbidden();
  };
  const loadWorkable = async (req: Request) => {
    const risk = await load(req);
    if (!works(req.user!, risk)) throw new Forbidden();
    return risk;
  };

  const formLocals = async (extra: Record<string, unknown>) => ({
    procedureOptions: (await listProcedureOptions(ctx.db)).map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` })),
    userOptions: await userOptions(ctx),
    kindOptions: RISK_KINDS.map((value) => ({ value })),
    scoreOptions: SCORES.map((value) => ({ value, label: String(value) })),
    treatmentOptions: [...new Set(Object.values(TREATMENTS_OF).flat())].map((value) => ({ value })),
    ...extra,
  });

  const pageLocals = async (req: Request, res: Response, risk: RiskRow) => {
    const u = req.user!;
    const actions = (await listActionsOfRisk(ctx.db, risk.id)).map((a) => ({ ...a, statusClass: actionBadge(a.status) }));
    const open = risk.status === 'open';
    return {
      pageTitle: 'risks.show',
      risk: decorate(risk, todayOf(res)),
      actions,
      reviews: await listReviews(ctx.db, risk.id),
      effectivenessOptions: EFFECTIVENESS.map((value) => ({ value })),
      scoreOptions: SCORES.map((value) => ({ value, label: String(value) })),
      can: { edit: open && isQualityRole(u.role), review: open && works(u, risk), act: open && works(u, risk), close: open && isQualityRole(u.role) },
      errors: {},
      values: {},
    };
  };

  const fail = (err: unknown, body: Record<string, unknown>, view: FormView): never => {
    if (err instanceof RiskFieldError) failField(err.field, err.key, body, view);
    throw err;
  };

  const register = async (req: Request, res: Response) => {
    const today = todayOf(res);
    const kind = queryText(req, 'kind');
    const status = queryText(req, 'status') ?? 'open';
    const procedure = queryText(req, 'procedure');
    const filter: RiskFilter = {
      kind: (RISK_KINDS as readonly string[]).includes(kind ?? '') ? (kind as RiskKind) : undefined,
      status: status === 'all' ? undefined : status === 'closed' ? 'closed' : 'open',
      procedureId: procedure && /^[1-9]\d{0,15}$/.test(procedure) ? Number(procedure) : undefined,
    };
    const [all, { matrix, custom }] = await Promise.all([listRisks(ctx.db), findMatrix(ctx.db)]);
    const rows = (await listRisks(ctx.db, filter)).map((r) => decorate(r, today));
    return { today, all, rows, matrix, custom, filter: { kind: filter.kind, status: filter.status ?? 'all', procedure: filter.procedureId } };
  };

  return new RouteTable()
    .get('/risks.csv', READERS, async (req, res) => {
      const t = risksTable(await listRisks(ctx.db), req.lang ?? 'vi');
      sendDownload(res, toCsv([t.keys, ...t.rows]), 'text/csv; charset=utf-8', safeFileName(`rui-ro-co-hoi-${todayOf(res)}.csv`));
    })
    .get('/risks.xlsx', READERS, async (req, res) => {
      const body = await risksXlsx(await listRisks(ctx.db), req.lang ?? 'vi');
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', safeFileName(`rui-ro-co-hoi-${todayOf(res)}.xlsx`));
    })
    .get('/risks', READERS, async (req, res) => {
      const r = await register(req, res);
      res.render('risks/index', {
        pageTitle: 'risks.title',
        rows: r.rows,
        figures: riskFigures(r.all, r.today),
        inherent: heatMap(r.all, r.matrix, 'inherent'),
        residual: heatMap(r.all, r.matrix, 'residual'),
        impacts: SCORES,
        custom: r.custom,
        filter: r.filter,
        kindOptions: RISK_KINDS.map((value) => ({ value })),
        procedureOptions: (await listProcedureOptions(ctx.db)).map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` })),
        canManage: isQualityRole(req.user?.role),
      });
    })
    .get('/risks/print', READERS, async (req, res) => {
      const today = todayOf(res);
      const [rows, { matrix }] = await Promise.all([listRisks(ctx.db, { status: 'open' }), findMatrix(ctx.db)]);
      const { lh, signerChooser } = await chosenBlock(ctx.db, await letterheadOfKind(ctx.db, 'risks', today), req.query);
      res.render('risks/print', {
        pageTitle: 'risks.print_title',
        lh: { ...lh, hideNumber: true },
        signerChooser,
        today,
        rows: rows.map((r, i) => ({ ...decorate(r, today), no: i + 1 })),
        figures: riskFigures(rows, today),
        inherent: heatMap(rows, matrix, 'inherent'),
        impacts: SCORES,
      });
    })
    .get('/risks/matrix', QUALITY, async (_req, res) => {
      const { matrix, custom } = await findMatrix(ctx.db);
      res.render('risks/matrix', { pageTitle: 'risks.matrix', ...matrixLocals(matrix), custom, errors: {} });
    })
    .post('/risks/matrix', QUALITY, async (req, res) => {
      const { matrix: current, custom } = await findMatrix(ctx.db);
      const view: FormView = { view: 'risks/matrix', locals: { pageTitle: 'risks.matrix', ...matrixLocals(current), custom } };
      const body = (req.body ?? {}) as Record<string, unknown>;
      let matrix: string | null = null;
      if (body.reset !== undefined) parseForm(ResetMatrixForm, body, view);
      else {
        const form = parseForm(MatrixForm, body, view);
        matrix = [1, 2, 3, 4, 5].flatMap((l) => [1, 2, 3, 4, 5].map((i) => String(form[`c${l}${i}`]))).join('');
        if (!isMatrix(matrix)) failField('c11', 'validation.invalid_choice', body, view);
      }
      const n = await setRiskMatrix(ctx, matrix, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'risks.flash.matrix', params: { n } });
      res.redirect(303, '/risks');
    })
    .get('/risks/new', QUALITY, async (req, res) => {
      const today = todayOf(res);
      res.render('risks/form', {
        ...(await formLocals({ pageTitle: 'risks.new' })),
        values: { kind: queryText(req, 'kind') === 'opportunity' ? 'opportunity' : 'risk', identified_on: today, owner_id: req.user!.id },
        errors: {},
      });
    })
    .post('/risks', QUALITY, async (req, res) => {
      const view: FormView = { view: 'risks/form', locals: await formLocals({ pageTitle: 'risks.new' }) };
      const form = parseForm(RiskForm, req.body, view);
      let id: number;
      try {
        id = await createRisk(ctx, form, req.user!.id);
      } catch (err) {
        return fail(err, req.body, view);
      }
      const risk = await findRisk(ctx.db, id);
      await setFlash(ctx, req, { kind: 'success', key: 'risks.flash.created', params: { code: risk?.code ?? '' } });
      res.redirect(303, `/risks/${id}`);
    })
    .get('/risks/:id', SIGNED_IN, async (req, res) => {
      const risk = await loadVisible(req);
      res.render('risks/show', await pageLocals(req, res, risk));
    })
    .get('/risks/:id/edit', QUALITY, async (req, res) => {
      const risk = await load(req);
      if (risk.status !== 'open') throw new NotFound();
      res.render('risks/form', { ...(await formLocals({ pageTitle: 'risks.edit', risk })), values: risk, errors: {} });
    })
    .post('/risks/:id', QUALITY, async (req, res) => {
      const risk = await load(req);
      const view: FormView = { view: 'risks/form', locals: await formLocals({ pageTitle: 'risks.edit', risk }) };
      // an entry keeps its kind (the form does not offer it): a risk stays a risk
      const form = parseForm(RiskEditForm, { ...req.body, kind: risk.kind }, view);
      try {
        await editRisk(ctx, risk.id, form.version, form, req.user!.id);
      } catch (err) {
        return fail(err, req.body, view);
      }
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/risks/${risk.id}`);
    })
    .post('/risks/:id/reviews', SIGNED_IN, async (req, res) => {
      const risk = await loadWorkable(req);
      const view: FormView = { view: 'risks/show', locals: await pageLocals(req, res, risk) };
      const form = parseForm(ReviewForm, req.body, view);
      try {
        await reviewRisk(ctx, risk.id, form, req.user!.id);
      } catch (err) {
        return fail(err, req.body, view);
      }
      await setFlash(ctx, req, { kind: 'success', key: 'risks.flash.reviewed' });
      res.redirect(303, `/risks/${risk.id}`);
    })
    .post('/risks/:id/close', QUALITY, async (req, res) => {
      const risk = await load(req);
      const view: FormView = { view: 'risks/show', locals: await pageLocals(req, res, risk) };
      const form = parseForm(CloseForm, req.body, view);
      await closeRisk(ctx, risk.id, form.version, form.reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'risks.flash.closed' });
      res.redirect(303, `/risks/${risk.id}`);
    })
    .get('/risks/:id/actions/new', SIGNED_IN, async (req, res) => {
      const risk = await loadWorkable(req);
      if (risk.status !== 'open') throw new NotFound();
      res.render('actions/form', { ...(await actionForm(ctx, risk)), values: { kind: 'general', type: actionTypeOf(risk) }, errors: {} });
    })
    .post('/risks/:id/actions', SIGNED_IN, async (req, res) => {
      const risk = await loadWorkable(req);
      const view: FormView = { view: 'actions/form', locals: await actionForm(ctx, risk) };
      const form = parseForm(NewActionForm, req.body, view);
      if (form.type !== actionTypeOf(risk)) failField('type', 'validation.invalid_choice', req.body, view);
      if (form.kind === 'revise_document' && form.document_id === undefined) failField('document_id', 'actions.error.document_required', req.body, view);
      let id: number;
      try {
        id = await addRiskAction(
          ctx,
          risk.id,
          { kind: form.kind, documentId: form.document_id ?? null, description: form.description, ownerId: form.owner_id, dueDate: form.due_date },
          req.user!.id,
        );
      } catch (err) {
        return fail(err, req.body, view);
      }
      await setFlash(ctx, req, { kind: 'success', key: 'risks.flash.action' });
      res.redirect(303, `/risks/${risk.id}#action-${id}`);
    });
}

function actionForm(ctx: AppContext, risk: RiskRow) {
  return newActionFormLocals(ctx, { label: `risks.kind.${risk.kind}`, href: `/risks/${risk.id}`, code: risk.code, title: risk.description }, [
    actionTypeOf(risk),
  ]);
}

/** An entry as the lists show it: its badges and whether its review is overdue. */
export function decorate(r: RiskRow, today: string) {
  return {
    ...r,
    levelClass: levelBadge(r.level),
    residualClass: levelBadge(r.residual_level),
    reviewOverdue: r.status === 'open' && r.review_due < today,
    subject: r.procedure_code ? `${r.procedure_code} — ${r.procedure_title ?? ''}` : (r.process ?? ''),
  };
}

/** The matrix as the form shows it: likelihood 5 at the top, each cell with its level. */
function matrixLocals(matrix: string) {
  return {
    levelOptions: RISK_LEVELS.map((level, i) => ({ value: i + 1, label: `risks.level.${level}` })),
    rows: [...SCORES].reverse().map((l) => ({
      likelihood: l,
      cells: SCORES.map((i) => ({
        name: `c${l}${i}`,
        likelihood: l,
        impact: i,
        value: Number(matrix[(l - 1) * 5 + (i - 1)]),
        level: RISK_LEVELS[Number(matrix[(l - 1) * 5 + (i - 1)]) - 1],
      })),
    })),
    impacts: SCORES,
  };
}
