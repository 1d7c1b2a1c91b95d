import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import type { Lang } from '../../core/i18n';
import { Conflict, NotFound } from '../../core/http/errors';
import { itemsFromLibrary } from './audits.checklist.build';
import { addChecklistItems, loadEditable } from './audits.checklist.service';
import { insertChecklistItems, listChecklistItems } from './audits.checklist.queries';
import {
  countQuestions,
  findPreviousAuditOfScope,
  findQuestion,
  insertQuestion,
  insertQuestionRevision,
  listItemsToCopy,
  listQuestions,
  nextQuestionPosition,
  updateQuestion,
  type LibraryItem,
  type QuestionValues,
} from './audits.library.queries';
import { STANDARD_LIBRARY } from './audits.library.seed';
import { findAuditScope, listAuditProcedures } from './audits.queries';
import { AuditFieldError } from './audits.validate';

/**
 * The question library (quality officers edit it; every wording is kept as a revision) and the checklist items
 * built from it or copied from the previous audit of the same scope. Each change commits with its audit-log entry.
 */

/** Installs the standard library for the handle's organisation when it has no question yet; returns how many. */
export async function installStandardLibrary(trx: Db, at: Date, actorId: number | null): Promise<number> {
  if ((await countQuestions(trx)) > 0) return 0;
  const iso = at.toISOString();
  for (const [index, q] of STANDARD_LIBRARY.entries()) {
    const values = { clause: q.clause, procedure_id: null, text_vi: q.vi, text_en: q.en };
    const id = await insertQuestion(trx, { ...values, position: (index + 1) * 10 }, iso);
    await insertQuestionRevision(trx, { ...values, question_id: id, revision: 1, changed_by: actorId, reason: '' }, iso);
  }
  await record(trx, { userId: actorId, action: 'install_library', entity: 'audit_question', entityId: null, new: { questions: STANDARD_LIBRARY.length } }, at);
  return STANDARD_LIBRARY.length;
}

export async function installLibrary(ctx: AppContext, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => installStandardLibrary(trx, at, actorId));
}

export async function createQuestion(ctx: AppContext, input: QuestionValues, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const id = await insertQuestion(trx, { ...input, position: await nextQuestionPosition(trx) }, at.toISOString());
    await insertQuestionRevision(trx, { ...input, question_id: id, revision: 1, changed_by: actorId, reason: '' }, at.toISOString());
    await record(trx, { userId: actorId, action: 'create', entity: 'audit_question', entityId: id, new: input }, at);
    return id;
  });
}

/** A new wording: revision + 1, kept whole in the revisions; the items built from the old one keep their revision. */
export async function editQuestion(ctx: AppContext, id: number, input: QuestionValues, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findQuestion(trx, id);
    if (!before) throw new NotFound();
    const revision = before.revision + 1;
    if (!(await updateQuestion(trx, id, { ...input, revision }, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await insertQuestionRevision(trx, { ...input, question_id: id, revision, changed_by: actorId, reason }, at.toISOString());
    const old = { clause: before.clause, procedure_id: before.procedure_id, text_vi: before.text_vi, text_en: before.text_en, revision: before.revision };
    await record(trx, { userId: actorId, action: 'update', entity: 'audit_question', entityId: id, old, new: { ...input, revision }, reason }, at);
  });
}

export async function setQuestionActive(ctx: AppContext, id: number, active: boolean, reason: string, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findQuestion(trx, id);
    if (!before) throw new NotFound();
    if ((before.active === 1) === active) throw new Conflict();
    const changes = { active: active ? 1 : 0, retired_reason: active ? null : reason };
    if (!(await updateQuestion(trx, id, changes, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const action = active ? 'reactivate' : 'retire';
    await record(
      trx,
      { userId: actorId, action, entity: 'audit_question', entityId: id, old: { active: before.active }, new: { active: changes.active }, reason },
      at,
    );
  });
}

/** Generates the checklist from the library for the audit's scope; items already there are skipped. */
export async function addItemsFromLibrary(ctx: AppContext, auditId: number, lang: Lang, actorId: number): Promise<number> {
  const [procedures, scope, questions] = await Promise.all([
    listAuditProcedures(ctx.db, auditId),
    findAuditScope(ctx.db, auditId),
    listQuestions(ctx.db, { status: 'active' }),
  ]);
  if (questions.length === 0) throw new AuditFieldError('_form', 'audits.library.empty_for_checklist');
  return addChecklistItems(ctx, auditId, itemsFromLibrary({ procedures, clauses: scope.clauses }, questions, lang), 'library', actorId);
}

/** Starts an empty checklist from the previous audit of the same scope: what was asked, none of what was found. */
export async function copyFromPreviousAudit(ctx: AppContext, auditId: number, actorId: number): Promise<{ count: number; from: string }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const audit = await loadEditable(trx, auditId);
    if ((await listChecklistItems(trx, auditId)).length > 0) throw new AuditFieldError('_form', 'audits.library.copy_not_empty');
    const previous = await findPreviousAuditOfScope(trx, audit, await findAuditScope(trx, auditId));
    if (!previous) throw new AuditFieldError('_form', 'audits.library.copy_none');
    const items: LibraryItem[] = (await listItemsToCopy(trx, previous.id)).map((i) => ({
      procedure_id: i.procedure_id,
      clause: i.clause,
      question: i.question,
      question_id: i.question_id,
      question_revision: i.question_revision,
      copied_from_item_id: i.id,
    }));
    const ids = await insertChecklistItems(trx, auditId, items, at.toISOString());
    await record(trx, { userId: actorId, action: 'checklist_copy', entity: 'audit', entityId: auditId, new: { from: previous.code, items: ids.length } }, at);
    return { count: ids.length, from: previous.code };
  });
}
