import { todayOf } from '../../core/http/today';
import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import type { Lang } from '../../core/i18n';
import { onTimeChart } from './reports.charts';
import { calendarWarnings, printLetterheadFor, pickerFor, statusBadge } from './reports.http';
import { percentText, type ProcedureReportData } from './reports.procedure';
import type { Check } from './reports.compliance';
import { satisfactionView } from './reports.satisfaction';
import { predecessorViews, WITH_PREDECESSORS } from './reports.lineage';
import type { LineageStep } from '../organisation/organisation.reorg.queries';

export type WithLineage<T> = T & { lineage: LineageStep[] };

export function checkView(c: Check, detail: string) {
  const kind = c.passed === true ? 'pass' : c.passed === false ? 'fail' : 'null';
  return {
    id: c.id,
    severity: c.severity,
    kind,
    symbol: kind === 'pass' ? '✓' : kind === 'fail' ? '✗' : '–',
    badge: kind === 'pass' ? 'badge-ok' : kind === 'null' ? 'badge-muted' : c.severity === 'critical' ? 'badge-bad' : 'badge-warn',
    detail,
  };
}

/**
 * The printable report's view model: the HTML page renders it and the Word file (reports.procedure.docx.ts) writes
 * it, so the figures and the letterhead of the two can never differ.
 */
export async function procedureLocals(ctx: AppContext, req: Request, res: Response, data: WithLineage<ProcedureReportData>) {
  const lang: Lang = req.lang ?? 'vi';
  const { report } = data;
  const base = `/reports/procedures/${encodeURIComponent(report.procedure.code)}`;
  const included = report.predecessors !== undefined;
  const query = `?from=${report.period.from}&to=${report.period.to}${included ? `&with=${WITH_PREDECESSORS}` : ''}`;
  const timeZone = String(res.locals.timeZone ?? ctx.config.timeZone);
  return {
    pageTitle: 'reports.procedure.title',
    report,
    statusView: statusBadge(report.status),
    procedure: data.procedure,
    acknowledgement: data.acknowledgement,
    lastAuditDate: data.lastAuditDate,
    openMajorAtEnd: data.openMajorAtEnd,
    openMinorAtEnd: data.openMinorAtEnd,
    checks: data.checks.map((c, i) => checkView(c, report.checks[i].detail)),
    failedCount: data.checks.filter((c) => c.passed === false).length,
    notOver: report.asOf < report.period.to,
    calendar: await calendarWarnings(ctx, report.period.from, report.asOf),
    percents: {
      target: percentText(data.procedure.on_time_target, lang),
      ack: percentText(data.acknowledgement?.rate, lang),
      onTimeRate: percentText(report.dossiers.onTimeRate, lang),
    },
    satisfaction: satisfactionView(report.satisfaction, lang),
    chart: onTimeChart('chart-on-time', data.monthly, { from: report.period.from, to: report.asOf }, data.procedure.on_time_target, lang),
    picker: pickerFor(base, report.period, todayOf(res), { with: included ? WITH_PREDECESSORS : undefined }),
    // The checkbox only for an organisation with predecessors; the note says whose figures are included.
    lineageOption: data.lineage.length > 0 ? { checked: included, action: base } : undefined,
    predecessors: report.predecessors ? predecessorViews(data.lineage, timeZone) : undefined,
    ...(await printLetterheadFor(ctx, req, res, 'compliance')),
    exports: { json: `${base}.json${query}`, csv: `${base}.csv${query}`, docx: `${base}.docx${query}` },
  };
}

export type ProcedureLocals = Awaited<ReturnType<typeof procedureLocals>>;
