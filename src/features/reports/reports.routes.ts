import { todayOf } from '../../core/http/today';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { queryText } from '../../core/http/params';
import { READERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { findOwnProcedureByCode } from '../dossiers/dossiers.queries';
import { addAnnualRoutes } from './reports.annual.routes';
import { periodOf, pickerFor } from './reports.http';
import { presetPeriods } from './reports.periods';
import { addProcedureReportRoutes } from './reports.procedure.routes';
import { addSummaryRoutes } from './reports.summary.routes';

/** Reports: the index, per-procedure compliance reports, the all-procedures summary and the annual QMS report. */
export function reportsRoutes(ctx: AppContext): RouteTable {
  const table = new RouteTable()
    .get('/reports', READERS, (_req, res) => {
      const today = todayOf(res);
      const quarter = presetPeriods(today)[0];
      res.render('reports/index', {
        pageTitle: 'reports.title',
        picker: pickerFor('/reports/summary', undefined, today),
        values: { from: quarter.from, to: quarter.to },
        thisYear: Number(today.slice(0, 4)),
      });
    })
    /** The index's "open a procedure's report" form (or a link with only the code): code + period → the report's address. */
    .get('/reports/open', READERS, async (req, res) => {
      const code = queryText(req, 'code', 100);
      const procedure = code ? await findOwnProcedureByCode(ctx.db, code) : undefined;
      if (!procedure) throw new NotFound('reports.unknown_procedure');
      // Without dates (a link from elsewhere), this quarter; with bad dates, the report page explains (400).
      const given = req.query.from !== undefined || req.query.to !== undefined;
      const parsed = periodOf(req);
      const period = 'period' in parsed ? parsed.period : given ? undefined : presetPeriods(todayOf(res))[0];
      const q = period ? `?from=${period.from}&to=${period.to}` : '';
      res.redirect(303, `/reports/procedures/${encodeURIComponent(procedure.code)}${q}`);
    });
  addProcedureReportRoutes(table, ctx);
  addSummaryRoutes(table, ctx);
  addAnnualRoutes(table, ctx);
  return table;
}
