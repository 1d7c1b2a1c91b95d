import type { Request } from 'express';
import type { AppContext } from '../../core/context';
import { localDateOf } from '../../core/calendar';
import { clauseTitle } from '../../core/iso/clauses';
import { chosenBlock, letterheadOfKind } from '../organisation/organisation.signers.print';
import { listSignatures } from '../../core/security/signatures.queries';
import { listFindings } from './audits.checklist.queries';
import { sortClauses } from './audits.checklist.build';
import { loadAudit } from './audits.http';
import { findAuditScope, listAuditProcedures, listAuditTeam, listAuditUnits } from './audits.queries';
import { timeZoneOf } from './audits.service';
import { gradeSummary } from './audits.view';
import { findAcknowledgement } from './audits.ack.service';
import { listAssessors } from './audits.recording.queries';
import { groupAssessors, groupFindings } from './audits.report.groups';

/**
 * The printable report's view model: the page renders it and the Word file (audits.report.docx.ts) writes it, so the
 * two never differ.
 */
export async function auditReportLocals(ctx: AppContext, req: Request, today: string) {
  const audit = await loadAudit(ctx, req);
  const [procedures, units, team, scope, findings, signatures, assessors, ack] = await Promise.all([
    listAuditProcedures(ctx.db, audit.id),
    listAuditUnits(ctx.db, audit.id),
    listAuditTeam(ctx.db, audit.id),
    findAuditScope(ctx.db, audit.id),
    listFindings(ctx.db, audit.id),
    listSignatures(ctx.db, 'audit', audit.id),
    listAssessors(ctx.db, audit.id),
    findAcknowledgement(ctx.db, audit.id),
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
    groups: groupFindings(findings, procedures),
    assessors: groupAssessors(assessors, procedures),
    ack,
    signature: signatures.find((s) => s.id === audit.report_signature_id),
    draft: !audit.report_issued_at,
    // The head's approval is signed by hand: the print offers the signer (?signer=<id>), the head by default.
    ...(await chosenBlock(ctx.db, await letterheadOfKind(ctx.db, 'audit', date), req.query)),
  };
}

export type AuditReportLocals = Awaited<ReturnType<typeof auditReportLocals>>;
