import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { todayLocal } from '../../core/calendar';
import { Conflict, Forbidden, NotFound } from '../../core/http/errors';
import { contentHash, sign, type Signer } from '../../core/security/signatures';
import { countChecklist, listFindings } from './audits.checklist.queries';
import { assertMayRecord } from './audits.independence';
import { findAudit, findAuditScope, updateAudit, type AuditRow } from './audits.queries';
import { timeZoneOf } from './audits.service';
import { AuditFieldError } from './audits.validate';

/**
 * Issuing the audit report: the lead auditor signs it (re-entered password, checked before the call).
 * It needs every checklist item assessed, a conclusion and the last day of fieldwork; the audit becomes
 * "reported" and the report is fixed.
 */
export async function reportContentHash(db: Db, audit: AuditRow, actualEnd: string): Promise<string> {
  const scope = await findAuditScope(db, audit.id);
  const findings = (await listFindings(db, audit.id)).map((f) => ({
    seq: f.seq,
    grade: f.grade,
    statement: f.statement,
    evidence: f.evidence,
    clause: f.clause,
    procedure: f.procedure_code,
    nc: f.nonconformity_code,
  }));
  return contentHash(
    audit.code,
    audit.title,
    audit.objectives,
    JSON.stringify(scope),
    audit.actual_start,
    actualEnd,
    audit.conclusion,
    JSON.stringify(findings),
  );
}

export async function issueReport(ctx: AppContext, auditId: number, signer: Signer, actualEnd: string, version: number): Promise<void> {
  const at = ctx.clock.now();
  const today = todayLocal(at, await timeZoneOf(ctx.db, ctx.config.timeZone));
  await ctx.db.transaction().execute(async (trx) => {
    const audit = await findAudit(trx, auditId);
    if (!audit) throw new NotFound();
    if (audit.lead_auditor_id !== signer.userId) throw new Forbidden('audits.report.lead_only');
    if (audit.status !== 'in_progress') throw new Conflict('audits.wrong_status');
    await assertMayRecord(trx, audit, signer.userId, { kind: 'audit' });
    if (audit.version !== version) throw new Conflict('error.edit_conflict');
    if (actualEnd > today) throw new AuditFieldError('actual_end', 'audits.date_in_future');
    if (!audit.actual_start || actualEnd < audit.actual_start) throw new AuditFieldError('actual_end', 'validation.date_order');
    const checklist = await countChecklist(trx, auditId);
    if (checklist.total === 0) throw new AuditFieldError('_form', 'audits.report.no_checklist');
    if (checklist.assessed < checklist.total) throw new AuditFieldError('_form', 'audits.report.unassessed', { n: checklist.total - checklist.assessed });
    if (audit.conclusion.trim() === '') throw new AuditFieldError('_form', 'audits.report.no_conclusion');
    const sha = await reportContentHash(trx, audit, actualEnd);
    const signatureId = await sign(trx, signer, { entity: 'audit', entityId: auditId, meaning: 'report_issued', contentSha256: sha }, at);
    const changes = { status: 'reported' as const, actual_end: actualEnd, report_issued_at: at.toISOString(), report_signature_id: signatureId };
    if (!(await updateAudit(trx, auditId, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: signer.userId,
        action: 'issue_report',
        entity: 'audit',
        entityId: auditId,
        old: { status: audit.status },
        new: { status: 'reported', actual_end: actualEnd, signature: signatureId },
      },
      at,
    );
  });
}
