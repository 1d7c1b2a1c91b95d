import type { Request, Response } from 'express';
import { letterheadOfKind } from '../organisation/organisation.signers.print';
import { listRecipientsByKind } from '../organisation/organisation.signers.queries';
import type { AppContext } from '../../core/context';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { BadRequest, NotFound } from '../../core/http/errors';
import { idParam } from '../../core/http/params';
import { QUALITY, READERS, type Role } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { todayOf } from '../../core/http/today';
import { formatDate } from '../../core/views/format';
import { translate } from '../../core/i18n';
import { findDossier, type DossierRow } from '../dossiers/dossiers.queries';
import { pagePeriod, periodPresets } from '../dossiers/dossiers.period';
import { findOrganisation } from '../organisation/organisation.queries';
import { safeFileName, toCsv } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { sendDocx } from '../../core/docx/docx.http';
import { apologyDocx } from './apologies.docx';
import { apologiesTable, apologiesXlsx } from './apologies.exports';
import { apologyFigures, FIGURE_KEYS, workList } from './apologies.figures';
import { findSlip, listSlipsOfDossier, type SlipRow } from './apologies.queries';
import { CancelForm, SlipForm } from './apologies.schemas';
import {
  cancelSlip,
  IssuedBeforeReceived,
  NewDateBeforeIssued,
  NewDateNotAfterDue,
  NotAfterSlipInForce,
  recordSlip,
  SlipNumberTaken,
  takesSlip,
} from './apologies.service';

/**
 * Apology slips for late dossiers (issue 24): the figures of a period with the work list of the late and overdue
 * dossiers that still need a slip (GET /apologies, its CSV and XLSX), one dossier's slips with the form to record
 * one (GET /apologies/dossiers/:id), a slip's print view in the prescribed form, and cancelling one recorded by
 * mistake. The quality officer (or the admin) records slips — in the offices the one-stop unit's officer who holds
 * that role —, the leader signs them on paper, and the readers (managers, inspector) read the figures.
 */
const DOSSIER = 'apologies/dossier';
const canRecord = (role: Role | undefined) => role !== undefined && (QUALITY as readonly string[]).includes(role);

function periodOf(req: Request, res: Response) {
  const today = todayOf(res);
  const q = req.query as { from?: unknown; to?: unknown };
  const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : '');
  const { period, problem } = pagePeriod({ from: str(q.from), to: str(q.to) }, today);
  // a period that ends after today is counted as of today (REPORTING.md): a dossier not yet due is not overdue
  return { period, asOf: period.to > today ? today : period.to, problem, presets: periodPresets(today) };
}

const fileName = (from: string, to: string, ext: string) => safeFileName(`phieu-xin-loi-${from}-${to}.${ext}`);

/** A slip's state among its dossier's slips: in force (the latest recorded), replaced by a later one, or cancelled. */
function withStates(slips: SlipRow[]) {
  const inForce = slips.find((s) => s.status === 'recorded');
  return slips.map((s) => ({ ...s, state: s.status === 'cancelled' ? 'cancelled' : s === inForce ? 'in_force' : 'replaced' }));
}

export function apologiesRoutes(ctx: AppContext): RouteTable {
  const loadDossier = async (req: Request): Promise<DossierRow> => {
    const d = await findDossier(ctx.db, idParam(req));
    if (!d) throw new NotFound();
    return d;
  };
  const dossierLocals = async (req: Request, res: Response, d: DossierRow) => {
    const slips = withStates(await listSlipsOfDossier(ctx.db, d.id));
    const today = todayOf(res);
    return {
      pageTitle: 'apologies.dossier_title',
      dossier: d,
      slips,
      late: d.outcome === 'returned' && d.returned_on! > d.due_on,
      overdue: d.returned_on === null && d.due_on < today,
      takesSlip: takesSlip(d),
      canRecord: canRecord(req.user?.role) && takesSlip(d),
      canCancel: canRecord(req.user?.role),
      errors: {},
    };
  };
  const loadSlip = async (req: Request) => {
    const s = await findSlip(ctx.db, idParam(req));
    if (!s) throw new NotFound();
    return s;
  };
  /** The slip as printed: the page renders this view model and the Word file (apologies.docx.ts) writes it. */
  const printLocals = async (req: Request) => {
    const s = await loadSlip(req);
    const d = (await findDossier(ctx.db, s.dossier_id))!;
    const slash = s.slip_no.indexOf('/');
    const base = await letterheadOfKind(ctx.db, 'apology', s.issued_on);
    const own = (await listRecipientsByKind(ctx.db)).apology ?? '';
    const lh = {
      ...base,
      numberText: slash < 0 ? s.slip_no : s.slip_no.slice(0, slash),
      numberSuffix: slash < 0 ? 'PXL' : s.slip_no.slice(slash + 1),
      signerName: s.signer_name,
      signerTitle: s.signer_title,
      // the slips' own recipients when set; else the citizen and the archive (not the reports' general list)
      recipients:
        own.trim() !== '' ? base.recipients : [translate(req.lang ?? 'vi', 'apologies.doc_recipient'), translate(req.lang ?? 'vi', 'apologies.doc_archive')],
    };
    return { pageTitle: 'apologies.print_title', slip: s, dossier: d, lh };
  };
  const figuresFor = async (req: Request, res: Response) => {
    const { period, asOf, problem } = periodOf(req, res);
    if (problem) throw new BadRequest(problem);
    return { period, figures: await apologyFigures(ctx.db, period.from, asOf) };
  };
  return new RouteTable()
    .get('/apologies.csv', READERS, async (req, res) => {
      const { period, figures } = await figuresFor(req, res);
      const t = apologiesTable(figures, period.from, period.to, req.lang ?? 'vi');
      sendDownload(res, toCsv([t.keys, ...t.rows]), 'text/csv; charset=utf-8', fileName(period.from, period.to, 'csv'));
    })
    .get('/apologies.xlsx', READERS, async (req, res) => {
      const { period, figures } = await figuresFor(req, res);
      const body = await apologiesXlsx(figures, period.from, period.to, req.lang ?? 'vi');
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName(period.from, period.to, 'xlsx'));
    })
    .get('/apologies', READERS, async (req, res) => {
      const { period, asOf, problem, presets } = periodOf(req, res);
      const figures = await apologyFigures(ctx.db, period.from, asOf);
      res.status(problem ? 400 : 200).render('apologies/index', {
        pageTitle: 'apologies.title',
        period,
        periodProblem: problem,
        presets,
        keys: FIGURE_KEYS,
        total: figures.total,
        byProcedure: figures.byProcedure,
        work: workList(figures, asOf),
        asOf: asOf === period.to ? undefined : asOf,
        exportQuery: `from=${period.from}&to=${period.to}`,
        canRecord: canRecord(req.user?.role),
      });
    })
    .get('/apologies/dossiers/:id', READERS, async (req, res) => {
      const d = await loadDossier(req);
      const org = await findOrganisation(ctx.db);
      const locals = await dossierLocals(req, res, d);
      res.render(DOSSIER, { ...locals, values: { issued_on: todayOf(res), signer_name: org?.signer_name ?? '', signer_title: org?.signer_title ?? '' } });
    })
    .post('/apologies/dossiers/:id', QUALITY, async (req, res) => {
      const d = await loadDossier(req);
      const view: FormView = { view: DOSSIER, locals: await dossierLocals(req, res, d) };
      const form = parseForm(SlipForm, req.body, view);
      if (form.issued_on > todayOf(res)) failField('issued_on', 'apologies.date_future', req.body, view);
      let id: number;
      try {
        id = await recordSlip(
          ctx,
          d.id,
          {
            slipNo: form.slip_no,
            issuedOn: form.issued_on,
            reason: form.reason,
            newDueOn: form.new_due_on,
            signerName: form.signer_name,
            signerTitle: form.signer_title,
          },
          req.user!.id,
        );
      } catch (err) {
        const date = (iso: string) => formatDate(iso, ctx.config.timeZone);
        if (err instanceof SlipNumberTaken) failField('slip_no', 'apologies.number_taken', req.body, view);
        if (err instanceof IssuedBeforeReceived) failField('issued_on', 'apologies.before_received', req.body, view, { date: date(d.received_on) });
        if (err instanceof NewDateNotAfterDue) failField('new_due_on', 'apologies.not_after_due', req.body, view, { date: date(d.due_on) });
        if (err instanceof NewDateBeforeIssued) failField('new_due_on', 'apologies.before_issued', req.body, view);
        if (err instanceof NotAfterSlipInForce) failField(err.field, `apologies.not_after_in_force.${err.field}`, req.body, view, { date: date(err.date) });
        throw err;
      }
      await setFlash(ctx, req, { kind: 'success', key: 'apologies.flash.recorded' });
      res.redirect(303, `/apologies/dossiers/${d.id}#slip-${id}`);
    })
    .get('/apologies/:id/print', READERS, async (req, res) => {
      res.render('apologies/print', await printLocals(req));
    })
    .get('/apologies/:id/print.docx', READERS, async (req, res) => {
      const locals = await printLocals(req);
      sendDocx(
        res,
        await apologyDocx(locals, req.lang ?? 'vi', String(res.locals.timeZone ?? ctx.config.timeZone)),
        `phieu-xin-loi-${locals.dossier.code}.docx`,
      );
    })
    .post('/apologies/:id/cancel', QUALITY, async (req, res) => {
      const s = await loadSlip(req);
      const d = (await findDossier(ctx.db, s.dossier_id))!;
      const org = await findOrganisation(ctx.db);
      const view: FormView = {
        view: DOSSIER,
        locals: {
          ...(await dossierLocals(req, res, d)),
          values: { issued_on: todayOf(res), signer_name: org?.signer_name ?? '', signer_title: org?.signer_title ?? '' },
        },
      };
      const form = parseForm(CancelForm, req.body, view);
      await cancelSlip(ctx, s.id, form.cancel_reason, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'apologies.flash.cancelled' });
      res.redirect(303, `/apologies/dossiers/${d.id}`);
    });
}
