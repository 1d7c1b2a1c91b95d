import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import type { Lang } from '../../core/i18n';
import { Conflict, NotFound } from '../../core/http/errors';
import { itemsFromLibrary } from './audits.checklist.build';
import { listChecklistItems } from './audits.checklist.queries';
import {
  countQuestions,
  findPreviousAuditOfScope,
  findQuestion,
  insertLibraryItems,
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
import { findAudit, findAuditScope, listAuditProcedures, type AuditRow } from './audits.queries';
import { EDITABLE } from './audits.service';
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

async function loadEditable(trx: Db, auditId: number): Promise<AuditRow> {
  const audit = await findAudit(trx, auditId);
  if (!audit) throw new NotFound();
  if (!EDITABLE.includes(audit.status)) throw new Conflict('audits.not_editable');
  return audit;
}

const keyOf = (i: { procedure_id: number | null; clause: string | null; question: string }) => `${i.procedure_id ?? ''}|${i.clause ?? ''}|${i.question}`;

/** Generates the checklist from the library for the audit's scope; items already there are skipped. */
export async function addItemsFromLibrary(ctx: AppContext, auditId: number, lang: Lang, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await loadEditable(trx, auditId);
    const [procedures, scope, questions, existing] = await Promise.all([
      listAuditProcedures(trx, auditId),
      findAuditScope(trx, auditId),
      listQuestions(trx, { status: 'active' }),
      listChecklistItems(trx, auditId),
    ]);
    if (questions.length === 0) throw new AuditFieldError('_form', 'audits.library.empty_for_checklist');
    const seen = new Set(existing.map(keyOf));
    const fresh = itemsFromLibrary({ procedures, clauses: scope.clauses }, questions, lang).filter((i) => {
      if (seen.has(keyOf(i))) return false;
      seen.add(keyOf(i));
      return true;
    });
    const ids = await insertLibraryItems(trx, auditId, fresh, at.toISOString());
    if (ids.length)
      await record(trx, { userId: actorId, action: 'checklist_library', entity: 'audit', entityId: auditId, new: { items: ids.length, ids } }, at);
    return ids.length;
  });
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
    const ids = await insertLibraryItems(trx, auditId, items, at.toISOString());
    await record(trx, { userId: actorId, action: 'checklist_copy', entity: 'audit', entityId: auditId, new: { from: previous.code, items: ids.length } }, at);
    return { count: ids.length, from: previous.code };
  });
}
