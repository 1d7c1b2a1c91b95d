import type { Request, Response } from 'express';
import { chosenBlock, letterheadSourceOf, signedBlock, type PrintBlock } from '../organisation/organisation.signers.print';
import type { AppContext } from '../../core/context';
import { NotFound } from '../../core/http/errors';
import { failField, parseForm, type FormView } from '../../core/http/forms';
import { LEADERS, MANAGERS, QUALITY, SIGNED_IN } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { timeZoneOf, todayOf } from '../../core/http/today';
import { localDateOf } from '../../core/calendar/zone';
import { checkSigner } from '../../core/security/signatures';
import { translate } from '../../core/i18n';
import { letterheadOf } from '../organisation/organisation.print';
import { safeFileName, toCsv } from '../reports/reports.csv';
import { sendDownload } from '../reports/reports.http';
import { objectivesTable, objectivesXlsx } from './objectives.exports';
import { canManage, objectiveLine, withFieldErrors, yearOf } from './objectives.http';
import { progressOfAll } from './objectives.progress';
import { findSet, listApprovals, listObjectives } from './objectives.queries';
import { ApproveForm, ReturnForm, SubmitForm } from './objectives.schemas';
import { approveSet, cancelledSinceApproval, returnSet, submitSet } from './objectives.service';
import { STATUS_BADGE, valueText } from './objectives.view';

/**
 * The year's approval (GET /objectives/approval?year=: the objectives submitted, the history of approvals; submit by
 * the quality officer, return by the quality officer or a leader, approve by a leader with an electronic signature),
 * the printed objectives in the administrative format (GET /objectives/print?year=) and the exports.
 */
const APPROVAL = 'objectives/approval';

export function registerApprovalRoutes(table: RouteTable, ctx: AppContext): void {
  const approvalLocals = async (req: Request, res: Response) => {
    const year = yearOf(req, res);
    const lang = req.lang ?? 'vi';
    const [set, objectives] = await Promise.all([findSet(ctx.db, year), listObjectives(ctx.db, year)]);
    const approvals = set ? await listApprovals(ctx.db, set.id) : [];
    const role = req.user?.role;
    const active = objectives.filter((o) => o.status === 'active');
    return {
      pageTitle: 'objectives.approval.title',
      year,
      set,
      objectives: active.map((o) => ({ ...objectiveLine(o, lang), added: o.locked === 0 })),
      cancelledSince: cancelledSinceApproval(objectives, approvals),
      approvals: approvals.map((a) => {
        const changes = parseChanges(a.changes);
        const codes = (seqs: number[]) => seqs.map((seq) => translate(lang, 'objectives.code', { seq })).join(', ') || '—';
        return {
          ...a,
          amended: changes.added.length + changes.cancelled.length > 0 && a.revision > 1,
          added: codes(changes.added),
          cancelled: codes(changes.cancelled),
        };
      }),
      canSubmit: canManage(role) && set?.status === 'draft' && active.length > 0,
      canReturn: (MANAGERS as readonly string[]).includes(role ?? '') && set?.status === 'submitted',
      canApprove: role === 'leader' && set?.status === 'submitted',
      errors: {},
      values: { version: set?.version },
    };
  };
  const setAction = (req: Request, res: Response) => async () => {
    const locals = await approvalLocals(req, res);
    if (!locals.set) throw new NotFound();
    return { locals, set: locals.set, view: { view: APPROVAL, locals } satisfies FormView };
  };
  const yearData = async (req: Request, res: Response) => {
    const year = yearOf(req, res);
    const [objectives, set] = await Promise.all([listObjectives(ctx.db, year), findSet(ctx.db, year)]);
    return { year, objectives, set, progress: await progressOfAll(ctx.db, objectives, todayOf(res)) };
  };
  const fileName = (year: number, ext: string) => safeFileName(`muc-tieu-chat-luong-${year}.${ext}`);

  table
    .get('/objectives.csv', SIGNED_IN, async (req, res) => {
      const d = await yearData(req, res);
      const t = objectivesTable(d.objectives, d.progress, d.set?.status, req.lang ?? 'vi');
      sendDownload(res, toCsv([t.keys, ...t.rows]), 'text/csv; charset=utf-8', fileName(d.year, 'csv'));
    })
    .get('/objectives.xlsx', SIGNED_IN, async (req, res) => {
      const d = await yearData(req, res);
      const body = await objectivesXlsx(d.objectives, d.progress, d.set?.status, req.lang ?? 'vi');
      sendDownload(res, body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName(d.year, 'xlsx'));
    })
    .get('/objectives/print', SIGNED_IN, async (req, res) => {
      const d = await yearData(req, res);
      const lang = req.lang ?? 'vi';
      const org = await letterheadSourceOf(ctx.db);
      const [approval] = d.set ? await listApprovals(ctx.db, d.set.id) : [];
      // a plan (kế hoạch): "Số: …/KH-<suffix>"; dated the day of the approval in force, else today (a draft)
      const approved = d.set?.status === 'approved';
      const dated = letterheadOf(org, approval && approved ? localDateOf(approval.approved_at, timeZoneOf(res)) : todayOf(res), '', 'objectives');
      // approved: the approver's block (KT. … when a deputy approved); a draft: the signer chosen on the page, the head by default
      const signed: PrintBlock | undefined =
        approved && approval ? { lh: await signedBlock(ctx.db, dated, { user_id: approval.approved_by, signer_name: approval.signer_name }) } : undefined;
      const { lh: base, signerChooser } = signed ?? (await chosenBlock(ctx.db, dated, req.query));
      const lh = { ...base, numberSuffix: base.numberSuffix.replace(/^BC/, 'KH') };
      res.render('objectives/print', {
        pageTitle: 'objectives.print_title',
        year: d.year,
        lh,
        signerChooser,
        approved,
        signature: approved && approval ? { signer_name: approval.signer_name, signed_at: approval.approved_at } : undefined,
        rows: d.objectives
          .filter((o) => o.status === 'active')
          .map((o, i) => {
            const p = d.progress.get(o.id)!;
            return { ...objectiveLine(o, lang), no: i + 1, yearValue: valueText(p.year.value, o.unit, lang), status: p.status, badge: STATUS_BADGE[p.status] };
          }),
      });
    })
    .get('/objectives/approval', SIGNED_IN, async (req, res) => {
      res.render(APPROVAL, await approvalLocals(req, res));
    })
    .post('/objectives/approval/submit', QUALITY, async (req, res) => {
      const { set, view } = await setAction(req, res)();
      const form = parseForm(SubmitForm, req.body, view);
      await withFieldErrors(req.body, view, () => submitSet(ctx, set.year, form.version, req.user!.id));
      await setFlash(ctx, req, { kind: 'success', key: 'objectives.flash.submitted' });
      res.redirect(303, `/objectives/approval?year=${set.year}`);
    })
    .post('/objectives/approval/return', MANAGERS, async (req, res) => {
      const { set, view } = await setAction(req, res)();
      const form = parseForm(ReturnForm, req.body, view);
      await returnSet(ctx, set.year, form.reason, form.version, req.user!.id);
      await setFlash(ctx, req, { kind: 'success', key: 'objectives.flash.returned' });
      res.redirect(303, `/objectives/approval?year=${set.year}`);
    })
    .post('/objectives/approval/approve', LEADERS, async (req, res) => {
      const { set, view } = await setAction(req, res)();
      const form = parseForm(ApproveForm, req.body, view);
      const kept = { version: form.version };
      const signer = await checkSigner(ctx, req.user!.id, form.password);
      if (!signer) failField('password', 'objectives.approval.wrong_password', kept, view);
      await withFieldErrors(kept, view, () => approveSet(ctx, set.year, signer, form.version));
      await setFlash(ctx, req, { kind: 'success', key: 'objectives.flash.approved' });
      res.redirect(303, `/objectives/approval?year=${set.year}`);
    });
}

function parseChanges(json: string): { added: number[]; cancelled: number[] } {
  try {
    const v = JSON.parse(json) as { added?: unknown; cancelled?: unknown };
    const list = (x: unknown) => (Array.isArray(x) ? x.map(Number) : []);
    return { added: list(v.added), cancelled: list(v.cancelled) };
  } catch {
    return { added: [], cancelled: [] };
  }
}
