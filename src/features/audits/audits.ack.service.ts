import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, Forbidden, NotFound } from '../../core/http/errors';
import { findAudit, findAuditScope, type AuditRow } from './audits.queries';
import { listProceduresByIds } from './audits.links.queries';

/**
 * The auditee's acknowledgement of the audit report (9.2.2 e): once the report is issued and before the audit is
 * closed, a person of an audited unit (a unit of the scope, the auditee unit, or a unit owning a procedure of the
 * scope) who is not on the audit team records in whose name and position the report was received, and a note. Once.
 * The audit pages are for managers (staff do not see them), so in practice the unit's leader acknowledges; the
 * route admits managers only.
 */
export interface Acknowledgement {
  by: number | null;
  at: string | null;
  name: string;
  note: string;
  by_name: string | null;
}

export async function findAcknowledgement(db: Db, auditId: number): Promise<Acknowledgement | undefined> {
  const row = await db
    .selectFrom('audits')
    .leftJoin('users', 'users.id', 'audits.auditee_ack_by')
    .select([
      'audits.auditee_ack_by as by',
      'audits.auditee_ack_at as at',
      'audits.auditee_ack_name as name',
      'audits.auditee_ack_note as note',
      'users.full_name as by_name',
    ])
    .where('audits.organisation_id', '=', organisationOf(db))
    .where('audits.id', '=', auditId)
    .executeTakeFirst();
  return row?.at ? row : undefined;
}

/** The units whose people may acknowledge: the scope's units, the auditee unit, the owners of the scope's procedures. */
export async function auditeeUnitIds(db: Db, audit: AuditRow): Promise<number[]> {
  const scope = await findAuditScope(db, audit.id);
  const owners = (await listProceduresByIds(db, scope.procedureIds)).map((p) => p.unit_id);
  return [...new Set([...scope.unitIds, audit.auditee_unit_id, ...owners].filter((u): u is number => u !== null))];
}

export type Actor = { id: number; role: string; unit_id: number | null };

/** Whether the user may acknowledge the report of this audit now (the status aside): auditee, not an auditor. */
export async function mayAcknowledge(db: Db, audit: AuditRow, user: Actor | undefined): Promise<boolean> {
  if (!user || user.unit_id === null || !['admin', 'quality_officer', 'leader'].includes(user.role)) return false;
  if (user.id === audit.lead_auditor_id) return false;
  const scope = await findAuditScope(db, audit.id);
  if (scope.memberIds.includes(user.id)) return false;
  return (await auditeeUnitIds(db, audit)).includes(user.unit_id);
}

export async function acknowledgeReport(ctx: AppContext, auditId: number, input: { name: string; note: string }, version: number, actor: Actor): Promise<void> {
  const at = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const audit = await findAudit(trx, auditId);
    if (!audit) throw new NotFound();
    if (!(await mayAcknowledge(trx, audit, actor))) throw new Forbidden('audits.ack.not_auditee');
    if (audit.status !== 'reported' || !audit.report_issued_at) throw new Conflict('audits.ack.not_issued');
    if (await findAcknowledgement(trx, auditId)) throw new Conflict('audits.ack.already');
    const result = await trx
      .updateTable('audits')
      .set({ auditee_ack_by: actor.id, auditee_ack_at: at, auditee_ack_name: input.name, auditee_ack_note: input.note, updated_at: at, version: version + 1 })
      .where('id', '=', auditId)
      .where('organisation_id', '=', organisationOf(trx))
      .where('version', '=', version)
      .where('auditee_ack_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actor.id, action: 'acknowledge_report', entity: 'audit', entityId: auditId, new: { name: input.name, note: input.note } },
      new Date(at),
    );
  });
}
