import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { NewChecklistItem } from './audits.checklist.queries';
import type { AuditQuestionRevisionsTable, AuditQuestionsTable, ItemResult } from './audits.tables';

/**
 * The organisation's audit question library, its revisions, checklist items built from it, and what the previous
 * audit of the same scope found for each copied item.
 */
export type QuestionRow = Pick<
  Selectable<AuditQuestionsTable>,
  'id' | 'clause' | 'procedure_id' | 'position' | 'text_vi' | 'text_en' | 'revision' | 'active' | 'retired_reason' | 'version'
> & { procedure_code: string | null };

const questionBase = (db: Db) =>
  db
    .selectFrom('audit_questions as q')
    .leftJoin('procedures', 'procedures.id', 'q.procedure_id')
    .select([
      'q.id',
      'q.clause',
      'q.procedure_id',
      'procedures.code as procedure_code',
      'q.position',
      'q.text_vi',
      'q.text_en',
      'q.revision',
      'q.active',
      'q.retired_reason',
      'q.version',
    ])
    .where('q.organisation_id', '=', organisationOf(db));

export interface QuestionFilter {
  clause?: string;
  procedureId?: number;
  status?: 'active' | 'retired';
}

/** Questions in position order (the caller sorts by clause); a clause filter takes its sub-clauses too. */
export function listQuestions(db: Db, filter: QuestionFilter = {}): Promise<QuestionRow[]> {
  let q = questionBase(db);
  if (filter.clause) {
    const clause = filter.clause;
    q = q.where((eb) => eb.or([eb('q.clause', '=', clause), eb('q.clause', 'like', `${clause}.%`)]));
  }
  if (filter.procedureId) q = q.where('q.procedure_id', '=', filter.procedureId);
  if (filter.status) q = q.where('q.active', '=', filter.status === 'active' ? 1 : 0);
  return q.orderBy('q.position').orderBy('q.id').execute();
}

export function findQuestion(db: Db, id: number): Promise<QuestionRow | undefined> {
  return questionBase(db).where('q.id', '=', id).executeTakeFirst();
}

export async function countQuestions(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_questions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function nextQuestionPosition(trx: Db): Promise<number> {
  const row = await trx
    .selectFrom('audit_questions')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('organisation_id', '=', organisationOf(trx))
    .executeTakeFirst();
  return Number(row?.p ?? 0) + 10;
}

export interface QuestionValues {
  clause: string;
  procedure_id: number | null;
  text_vi: string;
  text_en: string;
}

export async function insertQuestion(trx: Db, values: QuestionValues & { position: number }, at: string): Promise<number> {
  const row = await trx
    .insertInto('audit_questions')
    .values({ ...values, organisation_id: organisationOf(trx), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateQuestion(
  trx: Db,
  id: number,
  changes: Partial<QuestionValues> & { revision?: number; active?: number; retired_reason?: string | null },
  version: number,
  at: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('audit_questions')
    .set({ ...changes, version: version + 1, updated_at: at })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type RevisionRow = Pick<
  Selectable<AuditQuestionRevisionsTable>,
  'id' | 'revision' | 'clause' | 'procedure_id' | 'text_vi' | 'text_en' | 'changed_at' | 'reason'
> & { changed_by_name: string | null; procedure_code: string | null };

export async function insertQuestionRevision(
  trx: Db,
  row: QuestionValues & { question_id: number; revision: number; changed_by: number | null; reason: string },
  at: string,
): Promise<void> {
  await trx
    .insertInto('audit_question_revisions')
    .values({ ...row, organisation_id: organisationOf(trx), changed_at: at })
    .execute();
}

/** Every published wording of a question, newest first. */
export function listQuestionRevisions(db: Db, questionId: number): Promise<RevisionRow[]> {
  return db
    .selectFrom('audit_question_revisions as r')
    .leftJoin('users', 'users.id', 'r.changed_by')
    .leftJoin('procedures', 'procedures.id', 'r.procedure_id')
    .select(['r.id', 'r.revision', 'r.clause', 'r.procedure_id', 'procedures.code as procedure_code', 'r.text_vi', 'r.text_en', 'r.changed_at', 'r.reason'])
    .select('users.full_name as changed_by_name')
    .where('r.organisation_id', '=', organisationOf(db))
    .where('r.question_id', '=', questionId)
    .orderBy('r.revision', 'desc')
    .execute();
}

/** A checklist item built from the library or copied from the previous audit. */
export interface LibraryItem extends NewChecklistItem {
  question_id: number | null;
  question_revision: number | null;
  copied_from_item_id?: number | null;
}

/** The items of an audit as they are copied into the next one (what was asked, not what was found). */
export function listItemsToCopy(db: Db, auditId: number): Promise<(LibraryItem & { id: number })[]> {
  return db
    .selectFrom('audit_checklist_items')
    .select(['id', 'procedure_id', 'clause', 'question', 'question_id', 'question_revision'])
    .where('audit_id', '=', auditId)
    .where('organisation_id', '=', organisationOf(db))
    .orderBy('position')
    .orderBy('id')
    .execute();
}

const sameSet = <T>(a: T[], b: T[]) => a.length === b.length && [...new Set(a)].every((x) => b.includes(x));

/**
 * The most recent earlier audit of the organisation (not cancelled, not this one, planned no later) whose procedure
 * set and clause set equal the given ones and that has checklist items.
 */
export async function findPreviousAuditOfScope(
  db: Db,
  audit: { id: number; planned_start: string },
  scope: { procedureIds: number[]; clauses: string[] },
): Promise<{ id: number; code: string } | undefined> {
  const candidates = await db
    .selectFrom('audits as a')
    .select(['a.id', 'a.code'])
    .where('a.organisation_id', '=', organisationOf(db))
    .where('a.id', '<>', audit.id)
    .where('a.status', '<>', 'cancelled')
    .where('a.planned_start', '<=', audit.planned_start)
    .where((eb) => eb.exists(eb.selectFrom('audit_checklist_items as i').select('i.id').whereRef('i.audit_id', '=', 'a.id')))
    .orderBy('a.planned_start', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
  if (candidates.length === 0) return undefined;
  const ids = candidates.map((c) => c.id);
  const [procedures, clauses] = await Promise.all([
    db.selectFrom('audit_procedures').select(['audit_id', 'procedure_id']).where('audit_id', 'in', ids).execute(),
    db.selectFrom('audit_clauses').select(['audit_id', 'clause']).where('audit_id', 'in', ids).execute(),
  ]);
  return candidates.find(
    (c) =>
      sameSet(
        procedures.filter((p) => p.audit_id === c.id).map((p) => p.procedure_id),
        scope.procedureIds,
      ) &&
      sameSet(
        clauses.filter((p) => p.audit_id === c.id).map((p) => p.clause),
        scope.clauses,
      ),
  );
}

export interface PreviousFinding {
  /** The previous item's finding grade, or its result when it raised no finding (conform, not applicable). */
  grade: ItemResult;
  statement: string;
  auditCode: string;
}

/** For each item of an audit copied from the previous audit's item that was assessed: what was found last time. */
export async function previousFindingsByItem(db: Db, auditId: number): Promise<Map<number, PreviousFinding>> {
  const rows = await db
    .selectFrom('audit_checklist_items as i')
    .innerJoin('audit_checklist_items as p', 'p.id', 'i.copied_from_item_id')
    .innerJoin('audits as a', 'a.id', 'p.audit_id')
    .leftJoin('audit_findings as f', (join) => join.onRef('f.checklist_item_id', '=', 'p.id').on('f.status', '=', 'active'))
    .select(['i.id', 'p.result', 'p.statement', 'f.grade', 'f.statement as finding_statement', 'a.code'])
    .where('i.audit_id', '=', auditId)
    .where('i.organisation_id', '=', organisationOf(db))
    .where('p.result', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, { grade: (r.grade ?? r.result) as ItemResult, statement: r.finding_statement ?? r.statement, auditCode: r.code }]));
}
