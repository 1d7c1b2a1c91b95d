import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { queryText } from '../../core/http/params';
import { MANAGERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { translate } from '../../core/i18n';
import { listFields } from '../procedures/procedures.queries';
import { listUnitOptions } from '../units/units.queries';
import { STATUSES, type ComplianceStatus } from './reports.compliance';
import { safeFileName, toCsv } from './reports.csv';
import { summaryTable, summaryXlsx } from './reports.exports';
import { letterheadFor, periodOf, pickerFor, sendDownload, sendPeriodProblem, todayOf } from './reports.http';
import { presetPeriods, type Period } from './reports.periods';
import { buildSummary, type SummaryQuery } from './reports.summary';

/**
 * GET /reports/summary (printable HTML), .csv and .xlsx: every active procedure with its status and key
 * figures, filtered by field, unit and status, with a totals line. Without dates it shows this quarter.
 */
type Format = 'html' | 'csv' | 'xlsx';

interface Filters {
  field?: string;
  unit?: string;
  status?: string;
}

function filtersOf(req: Request): { query: SummaryQuery; raw: Filters } {
  const field = queryText(req, 'field', 200);
  const unit = queryText(req, 'unit', 12);
  const status = queryText(req, 'status', 20);
  const query: SummaryQuery = {
    field,
    unitId: unit && /^[1-9]\d{0,9}$/.test(unit) ? Number(unit) : undefined,
    status: status && (STATUSES as readonly string[]).includes(status) ? (status as ComplianceStatus) : undefined,
  };
  return { query, raw: { field, unit: query.unitId ? unit : undefined, status: query.status } };
}

async function load(ctx: AppContext, req: Request, res: Response, format: Format) {
  const { query, raw } = filtersOf(req);
  const today = todayOf(ctx, res);
  let period: Period;
  if (req.query.from === undefined && req.query.to === undefined) {
    const quarter = presetPeriods(today)[0]!;
    period = { from: quarter.from, to: quarter.to };
  } else {
    const parsed = periodOf(req);
    if ('problem' in parsed) {
      sendPeriodProblem(req, res, format, parsed.problem, { picker: pickerFor('/reports/summary', undefined, today, { ...raw }) });
      return undefined;
    }
    period = parsed.period;
  }
  return { summary: await buildSummary(ctx, period, query), raw, today };
}

const fileName = (period: Period, ext: string) => safeFileName(`tong-hop-tuan-thu-${period.from}-${period.to}.${ext}`);

export function addSummaryRoutes(table: RouteTable, ctx: AppContext): RouteTable {
  return table
    .get('/reports/summary.csv', MANAGERS, async (req, res) => {
      const loaded = await load(ctx, req, res, 'csv');
      if (!loaded) return;
      const t = summaryTable(loaded.summary, req.lang ?? 'vi');
      sendDownload(res, toCsv([t.keys, ...t.rows, t.totals]), 'text/csv; charset=utf-8', fileName(loaded.summary.period, 'csv'));
    })
    .get('/reports/summary.xlsx', MANAGERS, async (req, res) => {
      const loaded = await load(ctx, req, res, 'xlsx');
      if (!loaded) return;
      const lang = req.lang ?? 'vi';
      const body = await summaryXlsx(loaded.summary, lang, translate(lang, 'reports.summary.sheet'));
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName(loaded.summary.period, 'xlsx'));
    })
    .get('/reports/summary', MANAGERS, async (req, res) => {
      const loaded = await load(ctx, req, res, 'html');
      if (!loaded) return;
      const { summary, raw, today } = loaded;
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...raw, from: summary.period.from, to: summary.period.to })) if (v) q.set(k, v);
      res.render('reports/summary', {
        pageTitle: 'reports.summary.title',
        summary,
        filter: raw,
        fields: await listFields(ctx.db),
        unitOptions: await listUnitOptions(ctx.db),
        statuses: STATUSES,
        picker: pickerFor('/reports/summary', summary.period, today, { ...raw }),
        lh: letterheadFor(ctx, res),
        exports: { csv: `/reports/summary.csv?${q}`, xlsx: `/reports/summary.xlsx?${q}` },
        periodQuery: `from=${summary.period.from}&to=${summary.period.to}`,
      });
    });
}
