import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { idParam, pageParam, pager, queryText } from '../../core/http/params';
import { READERS } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { dossierCsvHeader, dossierCsvLine } from './dossiers.csv';
import { dossierFigures, dossierFiguresForAll, monthlyOnTimeSeries, sumFigures } from './dossiers.figures';
import { LIST_FILTERS, type ListFilter, type PeriodStatus } from './dossiers.figures.queries';
import { addImportRoutes } from './dossiers.import.routes';
import { listRaisableDossiers } from './dossiers.nc.queries';
import { addNonconformityRoutes, linkedNonconformities } from './dossiers.nc.routes';
import { MAX_SERIES_MONTHS, monthSpan, pagePeriod, periodPresets, type Period } from './dossiers.period';
import { countDossiers, eachDossier, findDossier, findOwnProcedureByCode, listDossiers, listProceduresByIds, type DossierFilter } from './dossiers.queries';
import { todayOf } from '../../core/http/today';
import { yearsOfRange, yearsWithoutCalendar } from '../holidays/holidays.coverage';
import { yearsWithDueDates } from './dossiers.due';

const PAGE_SIZE = 50;

/** Badge class and symbol of a period status (never colour alone). */
const BADGES: Record<PeriodStatus, { badge: string; symbol: string }> = {
  early: { badge: 'badge-ok', symbol: '✓' },
  on_time: { badge: 'badge-ok', symbol: '✓' },
  late: { badge: 'badge-bad', symbol: '⚠' },
  pending_on_track: { badge: 'badge-info', symbol: '…' },
  pending_overdue: { badge: 'badge-bad', symbol: '⚠' },
};

const isQuality = (req: Request) => req.user!.role === 'admin' || req.user!.role === 'quality_officer';
const codeHref = (code: string) => `/dossiers/procedures/${encodeURIComponent(code)}`;

export function dossiersRoutes(ctx: AppContext): RouteTable {
  /** Period of a page from ?from&to (this year to date by default), with presets and any problem to show. */
  const periodOf = (req: Request, res: Response) => {
    const now = todayOf(res);
    const { period, problem } = pagePeriod({ from: queryText(req, 'from', 40), to: queryText(req, 'to', 40) }, now);
    return { period, problem, presets: periodPresets(now) };
  };

  const series = async (procedureId: number | null, period: Period) =>
    monthSpan(period) <= MAX_SERIES_MONTHS ? monthlyOnTimeSeries(ctx.db, procedureId, period.from, period.to) : null;

  /** The organisation's procedure of the path's code: another organisation's code is a 404, as an unknown one. */
  const procedureOr404 = async (req: Request) => {
    const procedure = await findOwnProcedureByCode(ctx.db, String(req.params.code));
    if (!procedure) throw new NotFound();
    return procedure;
  };

  const listFilterOf = (req: Request, procedureId: number, period: Period): DossierFilter & { query: Record<string, string | undefined> } => {
    const asked = queryText(req, 'status', 20);
    const status: ListFilter = (LIST_FILTERS as readonly string[]).includes(asked ?? '') ? (asked as ListFilter) : 'received';
    const q = queryText(req, 'q', 100);
    return { procedureId, ...period, status, q, query: { ...period, status: status === 'received' ? undefined : status, q } };
  };

  const table = new RouteTable()
    .get('/dossiers', READERS, async (req, res) => {
      const { period, problem, presets } = periodOf(req, res);
      const figures = await dossierFiguresForAll(ctx.db, period.from, period.to);
      const procedures = await listProceduresByIds(ctx.db, [...figures.keys()]);
      const periodWithoutCalendar = await yearsWithoutCalendar(ctx.db, yearsOfRange(period.from, period.to));
      // This year's and next year's due dates: those that can still move once the year's holidays are declared.
      const thisYear = Number(todayOf(res).slice(0, 4));
      const pendingWithoutCalendar = await yearsWithDueDates(ctx.db, await yearsWithoutCalendar(ctx.db, [thisYear, thisYear + 1]));
      res.status(problem ? 400 : 200).render('dossiers/index', {
        pageTitle: 'dossiers.title',
        period,
        periodWithoutCalendar: periodWithoutCalendar.join(', '),
        pendingWithoutCalendar: pendingWithoutCalendar.join(', '),
        periodProblem: problem,
        presets,
        rows: procedures.map((p) => ({ ...p, href: codeHref(p.code), figures: figures.get(p.id)! })),
        total: sumFigures(figures.values()),
        series: await series(null, period),
        canImport: isQuality(req),
      });
    })
    .get('/dossiers/procedures/:code', READERS, async (req, res) => {
      const procedure = await procedureOr404(req);
      const { period, problem, presets } = periodOf(req, res);
      const filter = listFilterOf(req, procedure.id, period);
      const page = pageParam(req);
      const total = await countDossiers(ctx.db, filter);
      const dossiers = await listDossiers(ctx.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
      const figures = await dossierFigures(ctx.db, procedure.id, period.from, period.to);
      res.status(problem ? 400 : 200).render('dossiers/procedure', {
        pageTitle: 'dossiers.procedure_title',
        procedure,
        href: codeHref(procedure.code),
        period,
        periodProblem: problem,
        presets,
        filter: filter.query,
        filters: LIST_FILTERS,
        figures,
        dossiers: (await linkedNonconformities(ctx, dossiers)).map((d) => ({ ...d, ...(d.period_status ? BADGES[d.period_status] : {}) })),
        total,
        pager: pager(page, PAGE_SIZE, total, filter.query),
        series: await series(procedure.id, period),
        raisable:
          isQuality(req) && figures.late + figures.pendingOverdue > 0 ? (await listRaisableDossiers(ctx.db, procedure.id, period.from, period.to)).length : 0,
      });
    })
    .get('/dossiers/procedures/:code/export.csv', READERS, async (req, res) => {
      const procedure = await procedureOr404(req);
      const { period } = periodOf(req, res);
      const filter = listFilterOf(req, procedure.id, period);
      const lang = req.lang;
      const timeZone = String(res.locals.timeZone);
      // The first rows are read before anything is sent: a failure there still answers with a clean error page.
      const rows = eachDossier(ctx.db, filter);
      let next = await rows.next();
      res.type('text/csv; charset=utf-8');
      res.attachment(`ho-so-${procedure.code.replace(/[^\w.-]+/g, '_')}-${period.from}-${period.to}.csv`);
      res.write(dossierCsvHeader(lang));
      for (; !next.done; next = await rows.next()) {
        if (!res.write(dossierCsvLine(next.value, lang, timeZone))) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    });

  addImportRoutes(table, ctx);

  table.get('/dossiers/:id', READERS, async (req, res) => {
    const dossier = await findDossier(ctx.db, idParam(req));
    if (!dossier) throw new NotFound();
    const [linked] = await linkedNonconformities(ctx, [dossier]);
    const now = todayOf(res);
    const late = dossier.outcome === 'returned' && dossier.returned_on! > dossier.due_on;
    const overdue = dossier.returned_on === null && dossier.due_on < now;
    res.render('dossiers/show', {
      pageTitle: 'dossiers.dossier_title',
      dossier: linked,
      procedureHref: codeHref(dossier.procedure_code),
      late,
      overdue,
      // A computed due date walked over these years' working days: without their holidays it may still move.
      dueWithoutCalendar: dossier.due_computed ? (await yearsWithoutCalendar(ctx.db, yearsOfRange(dossier.received_on, dossier.due_on))).join(', ') : '',
      canRaise: isQuality(req) && (late || overdue),
    });
  });
  addNonconformityRoutes(table, ctx);
  return table;
}
