import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { BadRequest } from '../../core/http/errors';
import { READERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { todayOf } from '../../core/http/today';
import { pagePeriod, periodPresets } from '../dossiers/dossiers.period';
import { safeFileName, toCsv } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { resultsTable, resultsXlsx } from './surveys.exports';
import { surveyFigures } from './surveys.figures';
import { filterOptions, latestComments } from './surveys.results.queries';
import { resultsView } from './surveys.results.view';

/**
 * The satisfaction survey results (issue 24, clause 9.1.2): GET /surveys/results with the dossiers' period filter, a
 * procedure and a unit, and its CSV and XLSX. Read by the managers and the inspector (READERS), as the apologies and
 * the reports are. A bad from/to answers 400 with the page-level message (the exports: 400 alone), a procedure or
 * unit not the organisation's likewise.
 */
const COMMENTS = 20;

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : '');

/** A positive id among the choices, undefined for none (empty or absent), or false when not one of them. */
function choice(v: unknown, ids: readonly number[]): number | undefined | false {
  const s = str(v);
  if (s === undefined || s === '') return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(s)) return false;
  return ids.includes(Number(s)) ? Number(s) : false;
}

async function filterOf(ctx: AppContext, req: Request, res: Response) {
  const today = todayOf(res);
  const q = req.query as Record<string, unknown>;
  const { period, problem } = pagePeriod({ from: str(q.from), to: str(q.to) }, today);
  const options = await filterOptions(ctx.db);
  const procedure = choice(
    q.procedure,
    options.procedures.map((p) => p.id),
  );
  const unit = choice(
    q.unit,
    options.units.map((u) => u.id),
  );
  const bad = procedure === false || unit === false;
  return {
    filter: { ...period, procedureId: procedure || undefined, unitId: unit || undefined },
    period,
    problem: problem ?? (bad ? 'surveys.results.bad_filter' : undefined),
    periodDefault: problem !== undefined,
    options,
    presets: periodPresets(today),
  };
}

const queryOf = (f: { from: string; to: string; procedureId?: number; unitId?: number }) =>
  `from=${f.from}&to=${f.to}${f.procedureId ? `&procedure=${f.procedureId}` : ''}${f.unitId ? `&unit=${f.unitId}` : ''}`;

const fileName = (from: string, to: string, ext: string) => safeFileName(`khao-sat-hai-long-${from}-${to}.${ext}`);

export function surveyResultsRoutes(ctx: AppContext): RouteTable {
  const exportFigures = async (req: Request, res: Response) => {
    const { filter, problem } = await filterOf(ctx, req, res);
    if (problem) throw new BadRequest(problem);
    return surveyFigures(ctx.db, filter);
  };
  return new RouteTable()
    .get('/surveys/results.csv', READERS, async (req, res) => {
      const f = await exportFigures(req, res);
      const t = resultsTable(f, req.lang ?? 'vi');
      sendDownload(res, toCsv([t.keys, ...t.rows]), 'text/csv; charset=utf-8', fileName(f.from, f.to, 'csv'));
    })
    .get('/surveys/results.xlsx', READERS, async (req, res) => {
      const f = await exportFigures(req, res);
      sendDownload(
        res,
        await resultsXlsx(f, req.lang ?? 'vi'),
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName(f.from, f.to, 'xlsx'),
      );
    })
    .get('/surveys/results', READERS, async (req, res) => {
      const { filter, period, problem, periodDefault, options, presets } = await filterOf(ctx, req, res);
      const lang = req.lang ?? 'vi';
      const [figures, comments] = await Promise.all([surveyFigures(ctx.db, filter), latestComments(ctx.db, filter, COMMENTS)]);
      res.status(problem ? 400 : 200).render('surveys/results', {
        pageTitle: 'surveys.results.title',
        period,
        periodProblem: problem,
        periodDefault,
        presets,
        filterQuery: `${filter.procedureId ? `&procedure=${filter.procedureId}` : ''}${filter.unitId ? `&unit=${filter.unitId}` : ''}`,
        filter,
        options,
        figures,
        view: resultsView(figures, lang),
        comments,
        exportQuery: queryOf(filter),
      });
    });
}
