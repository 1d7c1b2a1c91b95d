import type { Db } from '../../core/db/database';
import type { ItemResult } from './audits.tables';

/**
 * What the one-page checklist reads: the items of an audit with their procedure, and last time's finding of each item
 * copied from a previous audit. The audit was found among the organisation's (findAudit); the finding of another
 * audit is read with its own organisation filter.
 */
export interface FillItemRow {
  id: number;
  position: number;
  procedure_id: number | null;
  procedure_code: string | null;
  procedure_title: string | null;
  clause: string | null;
  question: string;
  result: ItemResult | null;
  evidence: string;
  statement: string;
  found_on: string | null;
  assessed_at: string | null;
  version: number;
}

export function listFillItems(db: Db, auditId: number): Promise<FillItemRow[]> {
  return db
    .selectFrom('audit_checklist_items as i')
    .leftJoin('procedures as p', 'p.id', 'i.procedure_id')
    .select([
      'i.id',
      'i.position',
      'i.procedure_id',
      'p.code as procedure_code',
      'p.title as procedure_title',
      'i.clause',
      'i.question',
      'i.result',
      'i.evidence',
      'i.statement',
      'i.found_on',
      'i.assessed_at',
      'i.version',
    ])
    .where('i.audit_id', '=', auditId)
    .orderBy('i.position')
    .orderBy('i.id')
    .execute();
}
