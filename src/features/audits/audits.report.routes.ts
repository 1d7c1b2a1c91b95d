import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { parseForm } from '../../core/http/forms';
import { MANAGERS, QUALITY, READERS } from '../../core/http/roles';
import { Forbidden } from '../../core/http/errors';
import type { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { translate } from '../../core/i18n';
import { createFollowUp, findingsToFollowUp } from './audits.followup.service';
import { loadAudit, withFieldErrors } from './audits.http';
import { findAuditScope, type AuditRow } from './audits.queries';
import { AckForm, FollowUpForm } from './audits.schemas';
import { acknowledgeReport, mayAcknowledge } from './audits.ack.service';
import { timeZoneOf } from './audits.service';
import { auditFormLocals, showLocals } from './audits.view';
import { todayOf } from '../../core/http/today';
import { sendDocx } from '../../core/docx/docx.http';
import { auditReportDocx } from './audits.report.docx';
import { auditReportLocals } from './audits.report.locals';

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
    .post('/audits/:id/acknowledge', MANAGERS, async (req, res) => {
      const audit = await loadAudit(ctx, req);
      // Who may acknowledge is checked before the form: nobody else learns anything from its messages.
      if (!(await mayAcknowledge(ctx.db, audit, req.user))) throw new Forbidden('audits.ack.not_auditee');
      const form = parseForm(AckForm, req.body, { view: 'audits/show', locals: await showLocals(ctx, req, audit) });
      await acknowledgeReport(ctx, audit.id, { name: form.ack_name, note: form.ack_note ?? '' }, form.version, req.user!);
      await setFlash(ctx, req, { kind: 'success', key: 'audits.flash.acknowledged' });
      res.redirect(303, `/audits/${audit.id}#report`);
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
