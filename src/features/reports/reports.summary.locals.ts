import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import type { Lang } from '../../core/i18n';
import { printLetterheadFor } from './reports.http';
import type { Period } from './reports.periods';
import { predecessorViews, WITH_PREDECESSORS } from './reports.lineage';
import type { Summary } from './reports.summary';
import { pageRows, totalsViewOf } from './reports.summary.views';

export interface Filters {
  field?: string;
  unit?: string;
  status?: string;
  /** 'predecessors' when the predecessors' figures are included (kept by the pager, the picker and the exports). */
  with?: string;
}

/** The filters and the period, as query parameters for the pager, the print and export links. */
export function periodQuery(raw: Filters, period: Period): Record<string, string | undefined> {
  return { ...raw, from: period.from, to: period.to };
}

export const queryString = (keep: Record<string, string | undefined>, extra: Record<string, string> = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...keep, ...extra })) if (v) q.set(k, v);
  return q.toString();
};

export const timeZoneOf = (ctx: AppContext, res: Response) => String(res.locals.timeZone ?? ctx.config.timeZone);

/** What both HTML forms share: the period, the status counts and the totals of every matching procedure. */
export async function documentLocals(ctx: AppContext, req: Request, res: Response, summary: Summary, lang: Lang) {
  return {
    period: summary.period,
    asOf: summary.asOf,
    notOver: summary.asOf < summary.period.to,
    byStatus: summary.totals.byStatus,
    totals: totalsViewOf(summary.totals, lang),
    ...(await printLetterheadFor(ctx, req, res, 'summary')),
    periodQuery: `from=${summary.period.from}&to=${summary.period.to}${summary.predecessors ? `&with=${WITH_PREDECESSORS}` : ''}`,
    predecessors: summary.predecessors ? predecessorViews(summary.predecessors, timeZoneOf(ctx, res)) : undefined,
  };
}

/** The print's view model, every matching row: the printed page renders it and the Word file writes it. */
export async function printLocals(ctx: AppContext, req: Request, res: Response, loaded: { summary: Summary; raw: Filters }) {
  const { summary, raw } = loaded;
  const lang = req.lang ?? 'vi';
  const q = queryString(periodQuery(raw, summary.period));
  return {
    pageTitle: 'reports.summary.print_title',
    ...(await documentLocals(ctx, req, res, summary, lang)),
    rows: pageRows(summary.rows, 1, Math.max(1, summary.rows.length), lang, timeZoneOf(ctx, res)),
    back: `/reports/summary?${q}`,
    docx: `/reports/summary.docx?${q}`,
  };
}

export type SummaryPrintLocals = Awaited<ReturnType<typeof printLocals>>;
