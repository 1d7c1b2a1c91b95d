import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { AuditChecklistItemsTable, AuditEvidenceFilesTable, AuditFindingsTable, FindingGrade, ItemResult } from './audits.tables';

/**
 * Checklist items, the findings they become, and their evidence files. The lists read the rows of an audit the
 * caller found among the organisation's (findAudit), so they need no second organisation filter; the lookups and
 * writes by an item's or a finding's own id carry it.
 */
export type ChecklistItemRow = Pick<
  Selectable<AuditChecklistItemsTable>,
  | 'id'
  | 'audit_id'
  | 'position'
  | 'procedure_id'
  | 'clause'
  | 'question'
  | 'result'
  | 'evidence'
  | 'statement'
  | 'found_on'
  | 'follows_finding_id'
  | 'assessed_by'
  | 'assessed_at'
  | 'version'
> & {
  procedure_code: string | null;
  procedure_title: string | null;
};

const itemBase = (db: Db) =>
  db
    .selectFrom('audit_checklist_items as i')
    .leftJoin('procedures', 'procedures.id', 'i.procedure_id')
    .select([
      'i.id',
      'i.audit_id',
      'i.position',
      'i.procedure_id',
      'procedures.code as procedure_code',
      'procedures.title as procedure_title',
      'i.clause',
      'i.question',
      'i.result',
      'i.evidence',
      'i.statement',
      'i.found_on',
      'i.follows_finding_id',
      'i.assessed_by',
      'i.assessed_at',
      'i.version',
    ]);

export function listChecklistItems(db: Db, auditId: number): Promise<ChecklistItemRow[]> {
  return itemBase(db).where('i.audit_id', '=', auditId).orderBy('i.position').orderBy('i.id').execute();
}

export function findChecklistItem(db: Db, auditId: number, itemId: number): Promise<ChecklistItemRow | undefined> {
  return itemBase(db).where('i.audit_id', '=', auditId).where('i.id', '=', itemId).executeTakeFirst();
}

export async function countChecklist(db: Db, auditId: number): Promise<{ total: number; assessed: number }> {
  const row = await db
    .selectFrom('audit_checklist_items')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('result').as('assessed')])
    .where('audit_id', '=', auditId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), assessed: Number(row.assessed) };
}

export interface NewChecklistItem {
  procedure_id: number | null;
  clause: string | null;
  question: string;
  follows_finding_id?: number | null;
  /** The library question and revision it was built from, and the previous audit's item it was copied from. */
  question_id?: number | null;
  question_revision?: number | null;
  copied_from_item_id?: number | null;
}

/** Appends items after the last position; returns their ids. */
export async function insertChecklistItems(trx: Db, auditId: number, items: NewChecklistItem[], at: string): Promise<number[]> {
  if (items.length === 0) return [];
  const last = await trx
    .selectFrom('audit_checklist_items')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('audit_id', '=', auditId)
    .executeTakeFirst();
  let position = Number(last?.p ?? 0);
  const organisation_id = organisationOf(trx);
  const ids: number[] = [];
  for (const item of items) {
    position += 1;
    const row = await trx
      .insertInto('audit_checklist_items')
      .values({
        organisation_id,
        audit_id: auditId,
        position,
        procedure_id: item.procedure_id,
        clause: item.clause,
        question: item.question,
        question_id: item.question_id ?? null,
        question_revision: item.question_revision ?? null,
        copied_from_item_id: item.copied_from_item_id ?? null,
        follows_finding_id: item.follows_finding_id ?? null,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}

export interface ItemChanges {
  procedure_id: number | null;
  clause: string | null;
  question: string;
  result: ItemResult | null;
  evidence: string;
  statement: string;
  found_on: string | null;
  assessed_by: number | null;
  assessed_at: string | null;
}

export async function updateChecklistItem(trx: Db, id: number, changes: ItemChanges, version: number, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('audit_checklist_items')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How a finding is referred to: PH-01, PH-02, … within its audit. */
export const findingRef = (seq: number) => `PH-${String(seq).padStart(2, '0')}`;

export type FindingRow = Pick<
  Selectable<AuditFindingsTable>,
  | 'id'
  | 'audit_id'
  | 'seq'
  | 'checklist_item_id'
  | 'grade'
  | 'statement'
  | 'evidence'
  | 'clause'
  | 'procedure_id'
  | 'found_on'
  | 'status'
  | 'withdrawn_reason'
  | 'nonconformity_id'
> & {
  ref: string;
  procedure_code: string | null;
  nonconformity_code: string | null;
  nonconformity_status: string | null;
};

const findingBase = (db: Db) =>
  db
    .selectFrom('audit_findings as f')
    .leftJoin('procedures', 'procedures.id', 'f.procedure_id')
    .leftJoin('nonconformities as nc', 'nc.id', 'f.nonconformity_id')
    .select([
      'f.id',
      'f.audit_id',
      'f.seq',
      'f.checklist_item_id',
      'f.grade',
      'f.statement',
      'f.evidence',
      'f.clause',
      'f.procedure_id',
      'procedures.code as procedure_code',
      'f.found_on',
      'f.status',
      'f.withdrawn_reason',
      'f.nonconformity_id',
      'nc.code as nonconformity_code',
      'nc.status as nonconformity_status',
    ]);

/** Findings of an audit in order; withdrawn ones only when asked. */
const withRef = <T extends { seq: number }>(row: T): T & { ref: string } => ({ ...row, ref: findingRef(row.seq) });

export async function listFindings(db: Db, auditId: number, includeWithdrawn = false): Promise<FindingRow[]> {
  let q = findingBase(db).where('f.audit_id', '=', auditId);
  if (!includeWithdrawn) q = q.where('f.status', '=', 'active');
  return (await q.orderBy('f.seq').execute()).map(withRef);
}

export async function findFindingByItem(db: Db, itemId: number): Promise<FindingRow | undefined> {
  const row = await findingBase(db).where('f.organisation_id', '=', organisationOf(db)).where('f.checklist_item_id', '=', itemId).executeTakeFirst();
  return row && withRef(row);
}

export interface FindingValues {
  grade: FindingGrade;
  statement: string;
  evidence: string;
  clause: string | null;
  procedure_id: number | null;
  found_on: string;
}

export async function insertFinding(
  trx: Db,
  auditId: number,
  itemId: number,
  values: FindingValues,
  actorId: number | null,
  at: string,
): Promise<{ id: number; seq: number }> {
  const last = await trx
    .selectFrom('audit_findings')
    .select((eb) => eb.fn.max('seq').as('s'))
    .where('audit_id', '=', auditId)
    .executeTakeFirst();
  const seq = Number(last?.s ?? 0) + 1;
  const row = await trx
    .insertInto('audit_findings')
    .values({
      organisation_id: organisationOf(trx),
      audit_id: auditId,
      seq,
      checklist_item_id: itemId,
      ...values,
      created_by: actorId,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, seq };
}

export async function updateFinding(
  trx: Db,
  id: number,
  changes: Partial<FindingValues> & { status?: 'active' | 'withdrawn'; withdrawn_reason?: string | null; nonconformity_id?: number },
  at: string,
): Promise<void> {
  await trx
    .updateTable('audit_findings')
    .set({ ...changes, updated_at: at })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .execute();
}

/** Active NC-grade findings that have no linked nonconformity (the closing gate). */
export function listUnlinkedNcFindings(db: Db, auditId: number): Promise<{ id: number; seq: number }[]> {
  return db
    .selectFrom('audit_findings')
    .select(['id', 'seq'])
    .where('audit_id', '=', auditId)
    .where('status', '=', 'active')
    .where('grade', 'in', ['major_nc', 'minor_nc'])
    .where('nonconformity_id', 'is', null)
    .orderBy('seq')
    .execute();
}

/** The audit finding that raised a nonconformity, for the nonconformity's page. */
export function findAuditFindingForNonconformity(
  db: Db,
  nonconformityId: number,
): Promise<{ finding_id: number; seq: number; grade: FindingGrade; audit_id: number; audit_code: string; audit_title: string } | undefined> {
  return db
    .selectFrom('audit_findings')
    .innerJoin('audits', 'audits.id', 'audit_findings.audit_id')
    .select([
      'audit_findings.id as finding_id',
      'audit_findings.seq',
      'audit_findings.grade',
      'audits.id as audit_id',
      'audits.code as audit_code',
      'audits.title as audit_title',
    ])
    .where('audit_findings.organisation_id', '=', organisationOf(db))
    .where('audit_findings.nonconformity_id', '=', nonconformityId)
    .executeTakeFirst();
}

export type EvidenceFileRow = Pick<Selectable<AuditEvidenceFilesTable>, 'id' | 'checklist_item_id' | 'file_sha256' | 'file_name' | 'uploaded_at'> & {
  uploaded_by_name: string | null;
};

export function listEvidenceFiles(db: Db, auditId: number, itemId?: number): Promise<EvidenceFileRow[]> {
  let q = db
    .selectFrom('audit_evidence_files as e')
    .leftJoin('users', 'users.id', 'e.uploaded_by')
    .select(['e.id', 'e.checklist_item_id', 'e.file_sha256', 'e.file_name', 'e.uploaded_at', 'users.full_name as uploaded_by_name'])
    .where('e.audit_id', '=', auditId);
  if (itemId !== undefined) q = q.where('e.checklist_item_id', '=', itemId);
  return q.orderBy('e.id').execute();
}

export function findEvidenceFile(db: Db, auditId: number, fileId: number): Promise<EvidenceFileRow | undefined> {
  return db
    .selectFrom('audit_evidence_files as e')
    .leftJoin('users', 'users.id', 'e.uploaded_by')
    .select(['e.id', 'e.checklist_item_id', 'e.file_sha256', 'e.file_name', 'e.uploaded_at', 'users.full_name as uploaded_by_name'])
    .where('e.audit_id', '=', auditId)
    .where('e.id', '=', fileId)
    .executeTakeFirst();
}

export async function insertEvidenceFile(
  trx: Db,
  row: { audit_id: number; checklist_item_id: number; file_sha256: string; file_name: string; uploaded_by: number | null },
  at: string,
): Promise<number> {
  const inserted = await trx
    .insertInto('audit_evidence_files')
    .values({ ...row, organisation_id: organisationOf(trx), uploaded_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Number of evidence files per checklist item of an audit. */
export async function countEvidenceByItem(db: Db, auditId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('audit_evidence_files')
    .select(['checklist_item_id', sql<number>`count(*)`.as('n')])
    .where('audit_id', '=', auditId)
    .groupBy('checklist_item_id')
    .execute();
  return new Map(rows.map((r) => [r.checklist_item_id, Number(r.n)]));
}
