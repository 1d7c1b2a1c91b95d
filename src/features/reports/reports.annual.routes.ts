import { todayOf } from '../../core/http/today';
import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { Conflict, NotFound } from '../../core/http/errors';
import { failField, parseForm } from '../../core/http/forms';
import { LEADERS, MANAGERS, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { checkSigner } from '../../core/security/signatures';
import { NARRATIVE_SECTIONS, parseNarratives, type Narratives } from './reports.annual.figures';
import { findAnnualReport, listAnnualReports, type AnnualReportRow } from './reports.annual.queries';
import { issueAnnualReport, saveAnnualDraft } from './reports.annual.service';
import { sendDownload } from './reports.http';
import { annualTable } from './reports.annual.exports';
import { safeFileName, toCsv } from './reports.csv';
import { tableXlsx } from './reports.xlsx';
import { translate } from '../../core/i18n';
import { AnnualDraftForm, AnnualIssueForm, NARRATIVE_MAX } from './reports.schemas';
import { sendDocx } from '../../core/docx/docx.http';
import { annualDocx } from './reports.annual.docx';
import { annualView, showLocals } from './reports.annual.locals';

/**
 * The annual QMS report: list, printable page (live figures while a draft, the frozen snapshot once issued),
 * narrative editing, and issuing by a leader's e-signature.
 */
function yearOf(ctx: AppContext, req: Request, res: Response): number {
  const raw = req.params.year;
  if (typeof raw !== 'string' || !/^\d{4}$/.test(raw)) throw new NotFound();
  const year = Number(raw);
  if (year < 2000 || year > Number(todayOf(res).slice(0, 4))) throw new NotFound();
  return year;
}

function draftValues(row: AnnualReportRow | undefined): Record<string, unknown> {
  const n = parseNarratives(row?.narratives ?? '{}');
  const values: Record<string, unknown> = { number_text: row?.number_text ?? '', version: row?.version };
  for (const s of NARRATIVE_SECTIONS) values[`narrative_${s}`] = n[s];
  return values;
}

export function addAnnualRoutes(table: RouteTable, ctx: AppContext): RouteTable {
  const formLocals = (year: number, row: AnnualReportRow | undefined) => ({
    pageTitle: 'reports.annual.edit',
    year,
    row,
    sections: NARRATIVE_SECTIONS,
    max: NARRATIVE_MAX,
  });

  return table
    .get('/reports/annual', READERS, async (_req, res) => {
      const reports = await listAnnualReports(ctx.db);
      const thisYear = Number(todayOf(res).slice(0, 4));
      const have = new Set(reports.map((r) => r.year));
      res.render('reports/annual-index', {
        pageTitle: 'reports.annual.title',
        reports,
        missing: [thisYear - 1, thisYear].filter((y) => !have.has(y)),
      });
    })
    .get('/reports/annual/:year/figures.csv', READERS, async (req, res) => {
      const year = yearOf(ctx, req, res);
      const table = annualTable((await annualView(ctx, req, res, year)).figures, req.lang ?? 'vi');
      sendDownload(res, toCsv([table.keys, ...table.rows]), 'text/csv; charset=utf-8', safeFileName(`bao-cao-nam-${year}.csv`));
    })
    .get('/reports/annual/:year/figures.xlsx', READERS, async (req, res) => {
      const year = yearOf(ctx, req, res);
      const lang = req.lang ?? 'vi';
      const table = annualTable((await annualView(ctx, req, res, year)).figures, lang);
      const body = await tableXlsx(`${translate(lang, 'reports.annual.sheet')} ${year}`, table.headers, table.rows, 28);
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', safeFileName(`bao-cao-nam-${year}.xlsx`));
    })
    .get('/reports/annual/:year.docx', READERS, async (req, res) => {
      const year = yearOf(ctx, req, res);
      const body = await annualDocx(await showLocals(ctx, req, res, year), req.lang ?? 'vi', String(res.locals.timeZone ?? ctx.config.timeZone));
      sendDocx(res, body, `bao-cao-nam-${year}.docx`);
    })
    .get('/reports/annual/:year', READERS, async (req, res) => {
      res.render('reports/annual', await showLocals(ctx, req, res, yearOf(ctx, req, res)));
    })
    .get('/reports/annual/:year/edit', MANAGERS, async (req, res) => {
      const year = yearOf(ctx, req, res);
      const row = await findAnnualReport(ctx.db, year);
      if (row?.status === 'issued') throw new Conflict('reports.annual.already_issued');
      res.render('reports/annual-form', { ...formLocals(year, row), values: draftValues(row), errors: {} });
    })
    .post('/reports/annual/:year', MANAGERS, async (req, res) => {
      const year = yearOf(ctx, req, res);
      const row = await findAnnualReport(ctx.db, year);
      const form = parseForm(AnnualDraftForm, req.body, { view: 'reports/annual-form', locals: formLocals(year, row) });
      const narratives = {} as Narratives;
      for (const s of NARRATIVE_SECTIONS) narratives[s] = form[`narrative_${s}`] ?? '';
      await saveAnnualDraft(ctx, year, { narratives, numberText: form.number_text ?? null, version: form.version }, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, `/reports/annual/${year}`);
    })
    .post('/reports/annual/:year/issue', LEADERS, async (req, res) => {
      const year = yearOf(ctx, req, res);
      const locals = await showLocals(ctx, req, res, year);
      const view = { view: 'reports/annual', locals };
      const form = parseForm(AnnualIssueForm, req.body, view);
      const signer = await checkSigner(ctx, req.user!.id, form.password);
      if (!signer) failField('password', 'reports.annual.bad_password', {}, view);
      await issueAnnualReport(ctx, year, form.version, signer);
      await setFlash(ctx, req, { kind: 'success', key: 'reports.annual.issued_flash', params: { year } });
      res.redirect(303, `/reports/annual/${year}`);
    });
}
