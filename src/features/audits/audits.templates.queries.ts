import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { AuditChecklistTemplatesTable } from './audits.tables';

/** The organisation's library of reusable checklist templates (a name is unique within the organisation). */
export type TemplateRow = Pick<Selectable<AuditChecklistTemplatesTable>, 'id' | 'name' | 'description' | 'active' | 'retired_reason' | 'version'>;

const COLUMNS = ['id', 'name', 'description', 'active', 'retired_reason', 'version'] as const;

export function findTemplate(db: Db, id: number): Promise<TemplateRow | undefined> {
  return db.selectFrom('audit_checklist_templates').select(COLUMNS).where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

export function findTemplateByName(db: Db, name: string): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('audit_checklist_templates')
    .select(COLUMNS)
    .where('organisation_id', '=', organisationOf(db))
    .where('name', '=', name)
    .executeTakeFirst();
}

export function listTemplates(db: Db, onlyActive = false): Promise<(TemplateRow & { question_count: number })[]> {
  let q = db
    .selectFrom('audit_checklist_templates as t')
    .select(['t.id', 't.name', 't.description', 't.active', 't.retired_reason', 't.version'])
    .where('t.organisation_id', '=', organisationOf(db))
    .select((eb) =>
      eb
        .selectFrom('audit_checklist_template_questions as q')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('q.template_id', '=', 't.id')
        .as('question_count'),
    );
  if (onlyActive) q = q.where('t.active', '=', 1);
  return q.orderBy('t.active', 'desc').orderBy('t.name').execute() as Promise<(TemplateRow & { question_count: number })[]>;
}

/** The questions of a template the caller found among the organisation's (findTemplate). */
export function listTemplateQuestions(db: Db, templateId: number): Promise<{ clause: string | null; question: string }[]> {
  return db
    .selectFrom('audit_checklist_template_questions')
    .select(['clause', 'question'])
    .where('template_id', '=', templateId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function insertTemplate(trx: Db, values: { name: string; description: string }, at: string): Promise<number> {
  const row = await trx
    .insertInto('audit_checklist_templates')
    .values({ ...values, organisation_id: organisationOf(trx), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTemplate(
  trx: Db,
  id: number,
  changes: Partial<{ name: string; description: string; active: number; retired_reason: string | null }>,
  version: number,
  at: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('audit_checklist_templates')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Replaces the questions of a template (its versions are kept in the audit log). */
export async function replaceTemplateQuestions(trx: Db, templateId: number, questions: { clause: string | null; question: string }[]): Promise<void> {
  await trx.deleteFrom('audit_checklist_template_questions').where('template_id', '=', templateId).execute();
  if (questions.length === 0) return;
  const organisation_id = organisationOf(trx);
  await trx
    .insertInto('audit_checklist_template_questions')
    .values(questions.map((q, i) => ({ organisation_id, template_id: templateId, position: i + 1, clause: q.clause, question: q.question })))
    .execute();
}
