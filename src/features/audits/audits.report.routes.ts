import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { localDateOf } from '../../core/calendar';
import { parseForm } from '../../core/http/forms';
import { QUALITY, READERS } from '../../core/http/roles';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { clauseTitle } from '../../core/iso/clauses';
import { translate } from '../../core/i18n';
import { chosenBlock, letterheadOfKind } from '../organisation/organisation.signers.print';
import { listSignatures } from '../../core/security/signatures.queries';
import { listFindings } from './audits.checklist.queries';
import { sortClauses } from './audits.checklist.build';
import { createFollowUp, findingsToFollowUp } from './audits.followup.service';
import { loadAudit, withFieldErrors } from './audits.http';
import { findAuditScope, listAuditProcedures, listAuditTeam, listAuditUnits, type AuditRow } from './audits.queries';
import { FollowUpForm } from './audits.schemas';
import { timeZoneOf } from './audits.service';
import { auditFormLocals, gradeSummary } from './audits.view';
import { todayOf } from '../../core/http/today';
import { sendDocx } from '../../core/docx/docx.http';
import { auditReportDocx } from './audits.report.docx';

/**
 * The printable report's view model: the page renders it and the Word file (audits.report.docx.ts) writes it, so the
 * two never differ.
 */
export async function auditReportLocals(ctx: AppContext, req: Request, today: string) {
  const audit = await loadAudit(ctx, req);
  const [procedures, units, team, scope, findings, signatures] = await Promise.all([
    listAuditProcedures(ctx.db, audit.id),
    listAuditUnits(ctx.db, audit.id),
    listAuditTeam(ctx.db, audit.id),
    findAuditScope(ctx.db, audit.id),
    listFindings(ctx.db, audit.id),
    listSignatures(ctx.db, 'audit', audit.id),
  ]);
  const tz = await timeZoneOf(ctx.db, ctx.config.timeZone);
  const date = audit.report_issued_at ? localDateOf(audit.report_issued_at, tz) : today;
  return {
    pageTitle: 'audits.report.title',
    audit,
    procedures,
    units,
    team,
    clauses: sortClauses(scope.clauses).map((c) => ({ clause: c, title: clauseTitle(c, req.lang) })),
    findings,
    grades: gradeSummary(findings),
    signature: signatures.find((s) => s.id === audit.report_signature_id),
    draft: !audit.report_issued_at,
    // The head's approval is signed by hand: the print offers the signer (?signer=<id>), the head by default.
    ...(await chosenBlock(ctx.db, await letterheadOfKind(ctx.db, 'audit', date), req.query)),
  };
}

export type AuditReportLocals = Awaited<ReturnType<typeof auditReportLocals>>;

/** The printable audit report (administrative format, and as a Word file) and the follow-up audit form. */
export function registerReportRoutes(table: RouteTable, ctx: AppContext): void {
  const followUpLocals = async (req: Request, audit: AuditRow, values: Record<string, unknown>) => ({
    pageTitle: 'audits.follow_up.title',
    audit,
    carried: await findingsToFollowUp(ctx.db, audit.id),
    ...(await auditFormLocals(ctx, req.lang, { ...values, procedure_ids: (await findAuditScope(ctx.db, audit.id)).procedureIds })),
  });

  table
    .get('/audits/:id/report', READERS, async (req, res) => {
      res.render('audits/report', await auditReportLocals(ctx, req, todayOf(res)));
    })
    .get('/audits/:id/report.docx', READERS, async (req, res) => {
      const locals = await auditReportLocals(ctx, req, todayOf(res));
      const tz = await timeZoneOf(ctx.db, ctx.config.timeZone);
      sendDocx(res, await auditReportDocx(locals, req.lang, tz), `bao-cao-danh-gia-${locals.audit.code}.docx`);
    })
    .get('/audits/:id/follow-up', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const day = todayOf(res);
      const values = {
        title: translate(req.lang, 'audits.follow_up.default_title', { code: audit.code, title: audit.title }).slice(0, 300),
        lead_auditor_id: audit.lead_auditor_id,
        planned_start: day,
        planned_end: day,
      };
      res.render('audits/follow-up', { ...(await followUpLocals(req, audit, values)), values, errors: {} });
    })
    .post('/audits/:id/follow-up', QUALITY, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const view = { view: 'audits/follow-up', locals: await followUpLocals(req, audit, body) };
      const form = parseForm(FollowUpForm, body, view);
      const created = await withFieldErrors(body, view, () =>
        createFollowUp(ctx, audit.id, { ...form, objectives: form.objectives ?? '' }, req.lang, req.user!.id),
      );
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.created', params: { code: created.code } });
      res.redirect(303, `/audits/${created.id}`);
    });
}
