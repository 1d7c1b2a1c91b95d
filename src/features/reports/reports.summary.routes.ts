import { todayOf } from '../../core/http/today';
import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { pager, queryText } from '../../core/http/params';
import { READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { translate } from '../../core/i18n';
import { formatNumber } from '../../core/views/format';
import { STATUSES, type ComplianceStatus } from './reports.compliance';
import { safeFileName, toCsv } from './reports.csv';
import { summaryTable, summaryXlsx } from './reports.exports';
import { calendarWarnings, periodOf, pickerFor, sendDownload, sendPeriodProblem } from './reports.http';
import { presetPeriods, type Period } from './reports.periods';
import { reportPredecessors, wantsPredecessors, WITH_PREDECESSORS } from './reports.lineage';
import { buildSummary, summaryOptions, type SummaryQuery } from './reports.summary';
import { pageRows } from './reports.summary.views';
import { sendDocx } from '../../core/docx/docx.http';
import { summaryDocx } from './reports.summary.docx';
import { documentLocals, periodQuery, printLocals, queryString, timeZoneOf, type Filters } from './reports.summary.locals';

/**
 * GET /reports/summary (on screen, SUMMARY_PAGE_SIZE procedures a page), /reports/summary/print (the printable
 * document with every row; .docx the same as a Word file), .csv and .xlsx (every row): every active procedure with its status and key figures,
 * filtered by field, unit and status, with a totals line over all the matching procedures. Without dates it shows
 * this quarter.
 */
export const SUMMARY_PAGE_SIZE = 100;

type Format = 'html' | 'csv' | 'xlsx' | 'docx';

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
  // The option only means something for an organisation with predecessors: elsewhere it is dropped, changing nothing.
  const lineage = await reportPredecessors(ctx);
  const included = wantsPredecessors(req) && lineage.length > 0 ? lineage : [];
  if (included.length > 0) raw.with = WITH_PREDECESSORS;
  const today = todayOf(res);
  let period: Period;
  if (req.query.from === undefined && req.query.to === undefined) {
    const quarter = presetPeriods(today)[0];
    period = { from: quarter.from, to: quarter.to };
  } else {
    const parsed = periodOf(req);
    if ('problem' in parsed) {
      sendPeriodProblem(req, res, format, parsed.problem, { picker: pickerFor('/reports/summary', undefined, today, { ...raw }) });
      return undefined;
    }
    period = parsed.period;
  }
  return { summary: await buildSummary(ctx, period, query, today, included), raw, today, lineage };
}

/** `page` as asked: absent or empty → 1; a whole number ≥ 1 → that number; anything else (0, -1, abc, repeated) → null. */
function pageAsked(req: Request): number | null {
  const raw = req.query.page;
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^\s*\d{1,15}\s*$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

const fileName = (period: Period, ext: string) => safeFileName(`tong-hop-tuan-thu-${period.from}-${period.to}.${ext}`);

export function addSummaryRoutes(table: RouteTable, ctx: AppContext): RouteTable {
  return (
    table
      .get('/reports/summary.csv', READERS, async (req, res) => {
        const loaded = await load(ctx, req, res, 'csv');
        if (!loaded) return;
        const t = summaryTable(loaded.summary, req.lang ?? 'vi');
        sendDownload(res, toCsv([t.keys, ...t.rows, t.totals]), 'text/csv; charset=utf-8', fileName(loaded.summary.period, 'csv'));
      })
      .get('/reports/summary.xlsx', READERS, async (req, res) => {
        const loaded = await load(ctx, req, res, 'xlsx');
        if (!loaded) return;
        const lang = req.lang ?? 'vi';
        const body = await summaryXlsx(loaded.summary, lang, translate(lang, 'reports.summary.sheet'));
        sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName(loaded.summary.period, 'xlsx'));
      })
      /** The printable document: every matching row, never cut to a page. */
      .get('/reports/summary/print', READERS, async (req, res) => {
        const loaded = await load(ctx, req, res, 'html');
        if (loaded) res.render('reports/summary-print', await printLocals(ctx, req, res, loaded));
      })
      /** The same document as a Word file, from the same view model (landscape pages for the wide table). */
      .get('/reports/summary.docx', READERS, async (req, res) => {
        const loaded = await load(ctx, req, res, 'docx');
        if (!loaded) return;
        const body = await summaryDocx(await printLocals(ctx, req, res, loaded), req.lang ?? 'vi', timeZoneOf(ctx, res));
        sendDocx(res, body, fileName(loaded.summary.period, 'docx'));
      })
      /** On screen, one page of rows; the counts and the totals line still cover every matching procedure. */
      .get('/reports/summary', READERS, async (req, res) => {
        const asked = pageAsked(req);
        const loaded = await load(ctx, req, res, 'html');
        if (!loaded) return;
        const { summary, raw, today, lineage } = loaded;
        const lang = req.lang ?? 'vi';
        const keep = periodQuery(raw, summary.period);
        const total = summary.rows.length;
        const pages = Math.max(1, Math.ceil(total / SUMMARY_PAGE_SIZE));
        if (asked === null || asked > pages) {
          res.status(400).render('reports/summary-page-error', {
            pageTitle: 'reports.summary.bad_page_title',
            messageKey: pages > 1 ? 'reports.summary.bad_page' : 'reports.summary.bad_page_one',
            asked: String(req.query.page).slice(0, 20),
            pages,
            firstHref: `/reports/summary?${queryString(keep)}`,
            lastHref: pages > 1 ? `/reports/summary?${queryString(keep, { page: String(pages) })}` : undefined,
          });
          return;
        }
        const page = asked;
        const options = await summaryOptions(ctx);
        const first = (page - 1) * SUMMARY_PAGE_SIZE;
        const q = queryString(keep);
        res.render('reports/summary', {
          pageTitle: 'reports.summary.title',
          ...(await documentLocals(ctx, req, res, summary, lang)),
          calendar: await calendarWarnings(ctx, summary.period.from, summary.asOf),
          rows: pageRows(summary.rows, page, SUMMARY_PAGE_SIZE, lang, timeZoneOf(ctx, res)),
          docClass: pages > 1 ? 'no-print' : undefined,
          filter: raw,
          // The checkbox only for an organisation with predecessors (a single office sees nothing new).
          lineageOption: lineage.length > 0 ? { checked: !!summary.predecessors } : undefined,
          fields: options.fields,
          unitOptions: options.unitOptions,
          statuses: STATUSES,
          picker: pickerFor('/reports/summary', summary.period, today, { ...raw }),
          exports: {
            csv: `/reports/summary.csv?${q}`,
            xlsx: `/reports/summary.xlsx?${q}`,
            print: `/reports/summary/print?${q}`,
            docx: `/reports/summary.docx?${q}`,
          },
          pager: pager(page, SUMMARY_PAGE_SIZE, total, keep),
          paging: {
            page,
            pages,
            total,
            several: pages > 1,
            pageSize: SUMMARY_PAGE_SIZE,
            firstText: formatNumber(Math.min(first + 1, total), lang),
            lastText: formatNumber(Math.min(first + SUMMARY_PAGE_SIZE, total), lang),
            hidden: Object.entries(keep)
              .filter((e): e is [string, string] => !!e[1])
              .map(([name, value]) => ({ name, value })),
          },
        });
      })
  );
}
