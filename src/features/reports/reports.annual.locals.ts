import { todayOf } from '../../core/http/today';
import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { listSignatures } from '../../core/security/signatures.queries';
import { withNumber, type Letterhead } from '../organisation/organisation.print';
import { percentText } from './reports.procedure';
import { computeAnnualFigures, NARRATIVE_SECTIONS, parseNarratives, type AnnualFigures, type Narratives } from './reports.annual.figures';
import { findAnnualReport, type AnnualReportRow } from './reports.annual.queries';
import { ANNUAL_ENTITY } from './reports.annual.service';
import { onTimeChart } from './reports.charts';
import { printLetterheadFor } from './reports.http';
import type { SignerChooser } from '../organisation/organisation.signers.print';
import { satisfactionView } from './reports.satisfaction';

interface AnnualView {
  year: number;
  row: AnnualReportRow | undefined;
  issued: boolean;
  figures: AnnualFigures;
  narratives: Narratives;
  lh: Letterhead;
  signerChooser?: SignerChooser;
}

export async function annualView(ctx: AppContext, req: Request, res: Response, year: number): Promise<AnnualView> {
  const row = await findAnnualReport(ctx.db, year);
  const narratives = parseNarratives(row?.narratives ?? '{}');
  if (row?.status === 'issued' && row.figures_json && row.letterhead_json) {
    // withNumber: a report issued with "215/BC-…" typed as its number printed the symbol twice; read it as number and symbol
    const lh = withNumber(JSON.parse(row.letterhead_json) as Letterhead);
    return { year, row, issued: true, figures: JSON.parse(row.figures_json) as AnnualFigures, narratives, lh };
  }
  const timeZone = String(res.locals.timeZone ?? ctx.config.timeZone);
  const today = todayOf(res);
  const figures = await computeAnnualFigures(ctx.db, year, today, timeZone);
  return { year, row, issued: false, figures, narratives, ...(await printLetterheadFor(ctx, req, res, 'annual', row?.number_text ?? '')) };
}

/** The printed report's view model: the page renders it and the Word file (reports.annual.docx.ts) writes it. */
export async function showLocals(ctx: AppContext, req: Request, res: Response, year: number) {
  const view = await annualView(ctx, req, res, year);
  const signatures = view.row ? await listSignatures(ctx.db, ANNUAL_ENTITY, view.row.id) : [];
  return {
    pageTitle: 'reports.annual.title',
    ...view,
    sections: NARRATIVE_SECTIONS.map((s) => ({ id: s, text: view.narratives[s] })),
    assessment: (['advantages', 'difficulties', 'causes'] as const).map((s) => ({ id: s, text: view.narratives[s] })),
    // Reports issued before the split was counted keep their frozen figures, shown without it.
    ncSplit: view.figures.nonconformities.overdueCorrectiveActions !== undefined,
    onTimeRateText: percentText(view.figures.dossiers.onTimeRate, req.lang ?? 'vi'),
    chart: onTimeChart('chart-annual', view.figures.monthly, view.figures.period, null, req.lang ?? 'vi'),
    satisfaction: satisfactionView(view.figures.satisfaction, req.lang ?? 'vi'),
    signature: signatures.find((s) => s.meaning === 'issue'),
    canEdit: !view.issued,
    canIssue: !view.issued && view.row !== undefined && req.user!.role === 'leader',
    errors: {},
    values: {},
  };
}

export type AnnualLocals = Awaited<ReturnType<typeof showLocals>>;
