import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import { translate, type Lang } from '../../core/i18n';
import { insertChecklistItems, listFindings, type FindingRow } from './audits.checklist.queries';
import { CLOSED_NC_STATUSES } from './audits.links.queries';
import { findAudit, findAuditScope } from './audits.queries';
import { createAuditIn } from './audits.service';
import { AuditFieldError } from './audits.validate';

/**
 * A follow-up audit verifies what an earlier audit found: it is created from that audit, with its scope
 * narrowed to the findings whose nonconformities are still open, one checklist item per such finding.
 */
export async function findingsToFollowUp(db: Db, auditId: number): Promise<FindingRow[]> {
  const findings = await listFindings(db, auditId);
  return findings.filter((f) => f.nonconformity_id !== null && !(CLOSED_NC_STATUSES as readonly string[]).includes(f.nonconformity_status ?? 'closed'));
}

export interface FollowUpInput {
  title: string;
  objectives: string;
  planned_start: string;
  planned_end: string;
  lead_auditor_id: number;
  member_ids: number[];
}

export async function createFollowUp(
  ctx: AppContext,
  originId: number,
  input: FollowUpInput,
  lang: Lang,
  actorId: number,
): Promise<{ id: number; code: string }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const origin = await findAudit(trx, originId);
    if (!origin) throw new NotFound();
    if (origin.status !== 'reported' && origin.status !== 'closed') throw new Conflict('audits.wrong_status');
    const findings = await findingsToFollowUp(trx, originId);
    if (findings.length === 0) throw new AuditFieldError('_form', 'audits.follow_up.nothing_open');
    const originScope = await findAuditScope(trx, originId);
    const procedureIds = [...new Set(findings.map((f) => f.procedure_id).filter((id): id is number => id !== null))];
    const clauses = [...new Set(findings.map((f) => f.clause).filter((c): c is string => c !== null))];
    const created = await createAuditIn(
      trx,
      {
        type: 'internal',
        title: input.title,
        objectives: input.objectives,
        criteria_other: origin.criteria_other,
        external_body: null,
        auditee_unit_id: origin.auditee_unit_id,
        lead_auditor_id: input.lead_auditor_id,
        planned_start: input.planned_start,
        planned_end: input.planned_end,
        actual_start: null,
        actual_end: null,
        scope: {
          procedureIds: procedureIds.length || clauses.length ? procedureIds : originScope.procedureIds,
          unitIds: originScope.unitIds,
          clauses: procedureIds.length || clauses.length ? clauses : originScope.clauses,
          memberIds: input.member_ids,
        },
      },
      { followUpOf: originId },
      actorId,
      at,
    );
    const items = findings.map((f) => ({
      procedure_id: f.procedure_id,
      clause: f.clause,
      follows_finding_id: f.id,
      question: translate(lang, 'audits.follow_up.question', { audit: origin.code, ref: f.ref, nc: f.nonconformity_code ?? '', statement: f.statement }).slice(
        0,
        2000,
      ),
    }));
    const ids = await insertChecklistItems(trx, created.id, items, at.toISOString());
    await record(
      trx,
      {
        userId: actorId,
        action: 'checklist_follow_up',
        entity: 'audit',
        entityId: created.id,
        new: { from: origin.code, findings: findings.map((f) => f.id), items: ids },
      },
      at,
    );
    return created;
  });
}
