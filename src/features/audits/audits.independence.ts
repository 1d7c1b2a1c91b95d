import type { Db } from '../../core/db/database';
import { Forbidden } from '../../core/http/errors';
import { listAuthorshipConflicts, listOwnershipConflicts } from './audits.links.queries';
import { findAuditScope } from './audits.queries';
import { listAuditedUnitsOfUser } from './audits.recording.queries';

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

/**
 * Independence at recording (9.2.2 b/c), whatever happened at planning: nobody records results, findings, evidence
 * or conclusions for what they are responsible for. For a checklist item of a procedure, that is the procedure their
 * own unit owns or one of whose documents they authored a revision of; for an item without procedure and for the
 * audit as a whole (its conclusion, issuing its report), being of an audited unit or responsible for any procedure
 * of the scope. Internal audits only, like planning: an external audit is recorded for an outside body.
 */
export type RecordingTarget = { kind: 'item'; procedureIds: number[]; general: boolean } | { kind: 'audit' };

/** The refusal (i18n key and parameters) for the first reason the user may not record, or undefined. */
export async function recordingRefusal(
  db: Db,
  audit: { id: number; code: string; type: string },
  userId: number,
  target: RecordingTarget,
): Promise<{ key: string; params: Record<string, string | number> } | undefined> {
  if (audit.type !== 'internal') return undefined;
  if (target.kind === 'item' && target.procedureIds.length > 0) {
    const [first] = (await independenceConflicts(db, [userId], target.procedureIds)).get(userId) ?? [];
    if (first) return refusal('', first, audit.code);
  }
  if (target.kind === 'item' && !target.general) return undefined;
  const [unit] = await listAuditedUnitsOfUser(db, audit.id, userId);
  if (unit) return { key: 'audits.independence.refused_audited_unit', params: { audit: audit.code, unit: unit.unit_code } };
  const [first] = (await independenceConflicts(db, [userId], (await findAuditScope(db, audit.id)).procedureIds)).get(userId) ?? [];
  return first ? refusal('audit_', first, audit.code) : undefined;
}

function refusal(prefix: string, c: IndependenceConflict, audit: string): { key: string; params: Record<string, string | number> } {
  const { key, params } = describeConflict(c);
  return { key: key.replace('audits.independence.', `audits.independence.refused_${prefix}`), params: { ...params, audit } };
}

/** Throws a 403 that says why when the user may not record for the target (inside the caller's transaction). */
export async function assertMayRecord(db: Db, audit: { id: number; code: string; type: string }, userId: number, target: RecordingTarget): Promise<void> {
  const refused = await recordingRefusal(db, audit, userId, target);
  if (refused) throw new Forbidden(refused.key, refused.params);
}

/** The target of a checklist item whose procedure is (or becomes) one of `procedureIds`; null: a general question. */
export function itemTarget(...procedureIds: (number | null)[]): RecordingTarget {
  const ids = [...new Set(procedureIds.filter((p): p is number => p !== null))];
  return { kind: 'item', procedureIds: ids, general: procedureIds.some((p) => p === null) };
}
