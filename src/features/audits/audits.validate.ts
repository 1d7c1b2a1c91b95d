import type { Db } from '../../core/db/database';
import { isClause } from '../../core/iso/clauses';
import { assertIndependent, NotIndependent } from './audits.independence';
import { listProceduresByIds, listUnitsByIds, listUsersByIds } from './audits.links.queries';
import type { AuditScope, AuditValues } from './audits.queries';

/** A rule about one form field, checked inside the service; the route turns it into a 422 next to the field. */
export class AuditFieldError extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(key);
  }
}

export interface AuditInput extends AuditValues {
  scope: AuditScope;
}

const uniq = <T>(list: T[]) => [...new Set(list)];

/** Normalises the scope (no duplicates, the lead not also a member) and checks every rule that reads the database. */
export async function validateAuditInput(trx: Db, input: AuditInput, previous?: AuditScope): Promise<AuditInput> {
  const scope: AuditScope = {
    procedureIds: uniq(input.scope.procedureIds).sort((a, b) => a - b),
    unitIds: uniq(input.scope.unitIds).sort((a, b) => a - b),
    clauses: uniq(input.scope.clauses),
    memberIds: uniq(input.scope.memberIds.filter((id) => id !== input.lead_auditor_id)).sort((a, b) => a - b),
  };
  if (input.planned_end < input.planned_start) throw new AuditFieldError('planned_end', 'validation.date_order');
  if (input.actual_end && (!input.actual_start || input.actual_end < input.actual_start)) throw new AuditFieldError('actual_end', 'validation.date_order');

  const [lead] = await listUsersByIds(trx, [input.lead_auditor_id]);
  if (!lead || lead.active !== 1) throw new AuditFieldError('lead_auditor_id', 'validation.invalid_choice');
  // The lead auditor signs the report in the application, which staff accounts cannot open.
  if (lead.role === 'staff') throw new AuditFieldError('lead_auditor_id', 'audits.lead_must_sign');
  const members = await listUsersByIds(trx, scope.memberIds);
  const knownMembers = new Set(members.filter((m) => m.active === 1 || previous?.memberIds.includes(m.id)).map((m) => m.id));
  if (scope.memberIds.some((id) => !knownMembers.has(id))) throw new AuditFieldError('member_ids', 'validation.invalid_choice');

  const procedures = await listProceduresByIds(trx, scope.procedureIds);
  const usable = new Set(procedures.filter((p) => p.status === 'active' || previous?.procedureIds.includes(p.id)).map((p) => p.id));
  if (scope.procedureIds.some((id) => !usable.has(id))) throw new AuditFieldError('procedure_ids', 'validation.invalid_choice');
  const units = await listUnitsByIds(trx, uniq([...scope.unitIds, ...(input.auditee_unit_id ? [input.auditee_unit_id] : [])]));
  const knownUnits = new Set(units.map((u) => u.id));
  if (scope.unitIds.some((id) => !knownUnits.has(id))) throw new AuditFieldError('unit_ids', 'validation.invalid_choice');
  if (input.auditee_unit_id && !knownUnits.has(input.auditee_unit_id)) throw new AuditFieldError('auditee_unit_id', 'validation.invalid_choice');
  if (scope.clauses.some((c) => !isClause(c))) throw new AuditFieldError('clauses', 'validation.clause');
  if (scope.procedureIds.length === 0 && scope.clauses.length === 0) throw new AuditFieldError('procedure_ids', 'audits.scope_required');

  if (input.type === 'internal') {
    try {
      await assertIndependent(trx, input.lead_auditor_id, scope.memberIds, scope.procedureIds);
    } catch (err) {
      if (err instanceof NotIndependent) {
        const who = err.role === 'lead' ? lead.full_name : (members.find((m) => m.id === err.userId)?.full_name ?? String(err.userId));
        const first = err.conflicts[0];
        const params: Record<string, string | number> =
          first.kind === 'own_unit'
            ? { name: who, procedure: first.procedureCode, unit: first.unitCode }
            : { name: who, procedure: first.procedureCode, document: first.documentCode, revision: first.revisionNo };
        throw new AuditFieldError(err.role === 'lead' ? 'lead_auditor_id' : 'member_ids', `audits.not_independent.${first.kind}`, params);
      }
      throw err;
    }
  }
  return { ...input, scope };
}
