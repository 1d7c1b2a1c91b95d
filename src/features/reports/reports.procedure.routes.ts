import { todayOf } from '../../core/http/today';
import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { translate } from '../../core/i18n';
import { NotFound } from '../../core/http/errors';
import { READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { safeFileName, toCsv } from './reports.csv';
import { procedureReportRows } from './reports.exports';
import { periodOf, pickerFor, sendDownload, sendPeriodProblem } from './reports.http';
import { buildProcedureFigures, buildProcedureReport, type ProcedureFiguresData, type ProcedureReportData } from './reports.procedure';
import { reportPredecessors, wantsPredecessors } from './reports.lineage';
import { sendDocx } from '../../core/docx/docx.http';
import { procedureDocx } from './reports.procedure.docx';
import { procedureLocals, type WithLineage } from './reports.procedure.locals';

const timeZoneOf = (ctx: AppContext, res: Response) => String(res.locals.timeZone ?? ctx.config.timeZone);

/**
 * GET /reports/procedures/:code (printable HTML), …/:code.json, …/:code.csv and …/:code.docx (Word), each with from and to
 * (REPORTING.md). A bad period is a 400 with a clear message; an unknown procedure a 404.
 */
type Format = 'html' | 'json' | 'csv' | 'docx';

const codeOf = (req: Request): string => {
  const code = req.params.code;
  if (typeof code !== 'string' || code.length === 0 || code.length > 100) throw new NotFound('reports.unknown_procedure');
  return code;
};

/**
 * The report, or the answer already sent (400 / 404): the printable page's data for the HTML form, the figures alone
 * for JSON and CSV.
 */
async function load(ctx: AppContext, req: Request, res: Response, format: 'html' | 'docx'): Promise<WithLineage<ProcedureReportData> | undefined>;
async function load(ctx: AppContext, req: Request, res: Response, format: 'json' | 'csv'): Promise<WithLineage<ProcedureFiguresData> | undefined>;
async function load(ctx: AppContext, req: Request, res: Response, format: Format): Promise<WithLineage<ProcedureFiguresData> | undefined> {
  const code = codeOf(req);
  const parsed = periodOf(req);
  if ('problem' in parsed) {
    const raw = { from: typeof req.query.from === 'string' ? req.query.from : undefined, to: typeof req.query.to === 'string' ? req.query.to : undefined };
    sendPeriodProblem(req, res, format, parsed.problem, { picker: pickerFor(`/reports/procedures/${encodeURIComponent(code)}`, raw, todayOf(res)), code });
    return undefined;
  }
  // `?with=predecessors` adds the predecessors' figures; for an organisation without any it changes nothing.
  const lineage = await reportPredecessors(ctx);
  const included = wantsPredecessors(req) ? lineage : [];
  // `?include=satisfaction` adds the satisfaction survey's figures to the JSON (the printable page always shows them).
  const data =
    format === 'html' || format === 'docx'
      ? await buildProcedureReport(ctx, code, parsed.period, req.lang ?? 'vi', todayOf(res), included)
      : await buildProcedureFigures(ctx, code, parsed.period, req.lang ?? 'vi', todayOf(res), included, req.query.include === 'satisfaction');
  if (!data) {
    if (format === 'json') {
      res.status(404).json({ error: 'reports.unknown_procedure', message: translate(req.lang ?? 'vi', 'reports.unknown_procedure'), params: { code } });
      return undefined;
    }
    throw new NotFound('reports.unknown_procedure');
  }
  return { ...data, lineage };
}

export function procedureJsonHandler(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const data = await load(ctx, req, res, 'json');
    if (data) res.json(data.report);
  };
}

export function procedureCsvHandler(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const data = await load(ctx, req, res, 'csv');
    if (!data) return;
    const { code } = data.report.procedure;
    const { from, to } = data.report.period;
    sendDownload(res, toCsv(procedureReportRows(data, req.lang ?? 'vi')), 'text/csv; charset=utf-8', safeFileName(`bao-cao-${code}-${from}-${to}.csv`));
  };
}

export function procedureHtmlHandler(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const data = await load(ctx, req, res, 'html');
    if (!data) return;
    res.render('reports/procedure', await procedureLocals(ctx, req, res, data));
  };
}

export function procedureDocxHandler(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const data = await load(ctx, req, res, 'docx');
    if (!data) return;
    const locals = await procedureLocals(ctx, req, res, data);
    const { code } = data.report.procedure;
    const { from, to } = data.report.period;
    sendDocx(res, await procedureDocx(locals, req.lang ?? 'vi', timeZoneOf(ctx, res)), `bao-cao-${code}-${from}-${to}.docx`);
  };
}

export function addProcedureReportRoutes(table: RouteTable, ctx: AppContext): RouteTable {
  return table
    .get('/reports/procedures/:code.json', READERS, procedureJsonHandler(ctx))
    .get('/reports/procedures/:code.csv', READERS, procedureCsvHandler(ctx))
    .get('/reports/procedures/:code.docx', READERS, procedureDocxHandler(ctx))
    .get('/reports/procedures/:code', READERS, procedureHtmlHandler(ctx));
}
