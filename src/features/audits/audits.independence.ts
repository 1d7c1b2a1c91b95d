import type { Db } from '../../core/db/database';
import { listAuthorshipConflicts, listOwnershipConflicts } from './audits.links.queries';

/**
 * Independence of auditors (ISO 9001 clause 9.2.2 c): a user cannot audit their own work, that is an
 * audit whose scope includes a procedure owned by their own unit, or a procedure for which they
 * authored a document revision. Each conflict carries what the form needs to say why.
 */
export type IndependenceConflict =
  { kind: 'own_unit'; procedureCode: string; unitCode: string } | { kind: 'authored'; procedureCode: string; documentCode: string; revisionNo: number };

export async function independenceConflicts(db: Db, userIds: number[], procedureIds: number[]): Promise<Map<number, IndependenceConflict[]>> {
  const out = new Map<number, IndependenceConflict[]>();
  const add = (userId: number, conflict: IndependenceConflict) => {
    const list = out.get(userId) ?? [];
    list.push(conflict);
    out.set(userId, list);
  };
  const users = [...new Set(userIds)];
  const procedures = [...new Set(procedureIds)];
  for (const row of await listOwnershipConflicts(db, users, procedures))
    add(row.user_id, { kind: 'own_unit', procedureCode: row.procedure_code, unitCode: row.unit_code });
  for (const row of await listAuthorshipConflicts(db, users, procedures)) {
    add(row.user_id, { kind: 'authored', procedureCode: row.procedure_code, documentCode: row.document_code, revisionNo: row.revision_no });
  }
  return out;
}

/** The i18n key and parameters that say why, one per conflict. */
export function describeConflict(c: IndependenceConflict): { key: string; params: Record<string, string | number> } {
  return c.kind === 'own_unit'
    ? { key: 'audits.independence.own_unit', params: { procedure: c.procedureCode, unit: c.unitCode } }
    : { key: 'audits.independence.authored', params: { procedure: c.procedureCode, document: c.documentCode, revision: c.revisionNo } };
}

/** The same, grouped for the form: one line per own unit (its procedures listed), one per authored document. */
export function describeConflicts(list: IndependenceConflict[]): { key: string; params: Record<string, string | number> }[] {
  const byUnit = new Map<string, string[]>();
  const out: { key: string; params: Record<string, string | number> }[] = [];
  for (const c of list) {
    if (c.kind === 'own_unit') byUnit.set(c.unitCode, [...(byUnit.get(c.unitCode) ?? []), c.procedureCode]);
    else out.push(describeConflict(c));
  }
  const units = [...byUnit].map(([unit, procedures]) => ({
    key: 'audits.independence.own_unit',
    params: { unit, procedure: [...new Set(procedures)].join(', ') },
  }));
  return [...units, ...out];
}

/** Thrown by the service when an auditor is not independent of the scope; `userId` names who. */
export class NotIndependent extends Error {
  constructor(
    readonly userId: number,
    readonly role: 'lead' | 'member',
    readonly conflicts: IndependenceConflict[],
  ) {
    super('auditor not independent');
  }
}

/** Throws NotIndependent for the first auditor (lead first) who has a conflict. Internal audits only. */
export async function assertIndependent(db: Db, leadId: number, memberIds: number[], procedureIds: number[]): Promise<void> {
  const conflicts = await independenceConflicts(db, [leadId, ...memberIds], procedureIds);
  const lead = conflicts.get(leadId);
  if (lead?.length) throw new NotIndependent(leadId, 'lead', lead);
  for (const id of memberIds) {
    const list = conflicts.get(id);
    if (list?.length) throw new NotIndependent(id, 'member', list);
  }
}
