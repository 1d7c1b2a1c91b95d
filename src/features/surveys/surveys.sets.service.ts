import { record } from '../../core/audit-log/audit-log';
import type { Db } from '../../core/db/database';
import { Conflict, NotFound } from '../../core/http/errors';
import { DEFAULT_QUESTIONS, type TriageSettings } from './surveys.model';
import {
  activateDraft,
  countSets,
  deleteQuestion,
  findSet,
  findSetByStatus,
  findTriageSettings,
  insertQuestion,
  insertSet,
  listQuestions,
  nextVersion,
  retireActiveSet,
  swapQuestions,
  updateQuestion,
  updateTriageSettings,
  type QuestionRow,
  type QuestionSetRow,
  type QuestionValues,
} from './surveys.queries';

/**
 * The question sets' rules, each change in one transaction with its audit-log entry: a set is edited only as a draft
 * (the triggers refuse any change to a set in use; these checks say so first, with a message); activating a draft
 * retires the set in force. `db` works for the organisation (the request's, or a scoped handle).
 */

/** The set is not a draft: it was in use, and its questions do not change. */
export class SetInUse extends Conflict {
  constructor() {
    super('surveys.set_in_use');
  }
}

async function draftOf(trx: Db, setId: number): Promise<QuestionSetRow> {
  const set = await findSet(trx, setId);
  if (!set) throw new NotFound();
  if (set.status !== 'draft') throw new SetInUse();
  return set;
}

async function questionOf(trx: Db, setId: number, questionId: number): Promise<{ set: QuestionSetRow; question: QuestionRow; all: QuestionRow[] }> {
  const set = await draftOf(trx, setId);
  const all = await listQuestions(trx, setId);
  const question = all.find((q) => q.id === questionId);
  if (!question) throw new NotFound();
  return { set, question, all };
}

/**
 * Creates the default set (version 1, DEFAULT_QUESTIONS) and activates it, for an organisation that has no set yet;
 * undefined when it has one.
 */
export async function createDefaultSet(db: Db, actorId: number | null, at: Date): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    if ((await countSets(trx)) > 0) return undefined;
    const iso = at.toISOString();
    const id = await insertSet(trx, 1, actorId, iso);
    for (const q of DEFAULT_QUESTIONS) await insertQuestion(trx, id, { criterion: q.criterion, text_vi: q.textVi, text_en: q.textEn });
    await activateDraft(trx, id, actorId, iso);
    await record(
      trx,
      {
        userId: actorId,
        action: 'create',
        entity: 'survey_question_set',
        entityId: id,
        new: { version: 1, questions: DEFAULT_QUESTIONS.length, status: 'active' },
      },
      at,
    );
    return id;
  });
}

/** A new draft version, a copy of the set in force (empty when there is none). Refused while a draft exists. */
export async function newDraft(db: Db, actorId: number, at: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if (await findSetByStatus(trx, 'draft')) throw new Conflict('surveys.draft_exists');
    const version = await nextVersion(trx);
    const id = await insertSet(trx, version, actorId, at.toISOString());
    const active = await findSetByStatus(trx, 'active');
    const copied = active ? await listQuestions(trx, active.id) : [];
    for (const q of copied) await insertQuestion(trx, id, { criterion: q.criterion, text_vi: q.text_vi, text_en: q.text_en });
    await record(
      trx,
      { userId: actorId, action: 'create', entity: 'survey_question_set', entityId: id, new: { version, copied_from: active?.version ?? null } },
      at,
    );
    return id;
  });
}

export async function addQuestion(db: Db, setId: number, v: QuestionValues, actorId: number, at: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await draftOf(trx, setId);
    const id = await insertQuestion(trx, setId, v);
    await record(trx, { userId: actorId, action: 'create', entity: 'survey_question', entityId: id, new: { question_set_id: setId, ...v } }, at);
    return id;
  });
}

export async function editQuestion(db: Db, setId: number, questionId: number, v: QuestionValues, actorId: number, at: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { question } = await questionOf(trx, setId, questionId);
    await updateQuestion(trx, questionId, v);
    const old = { criterion: question.criterion, text_vi: question.text_vi, text_en: question.text_en };
    await record(trx, { userId: actorId, action: 'update', entity: 'survey_question', entityId: questionId, old, new: v }, at);
  });
}

export async function removeQuestion(db: Db, setId: number, questionId: number, actorId: number, at: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { question } = await questionOf(trx, setId, questionId);
    await deleteQuestion(trx, question);
    const old = { question_set_id: setId, seq: question.seq, criterion: question.criterion, text_vi: question.text_vi, text_en: question.text_en };
    await record(trx, { userId: actorId, action: 'delete', entity: 'survey_question', entityId: questionId, old }, at);
  });
}

/** Moves a question one place up or down (nothing at either end). */
export async function moveQuestion(db: Db, setId: number, questionId: number, direction: 'up' | 'down', actorId: number, at: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { question, all } = await questionOf(trx, setId, questionId);
    const i = all.indexOf(question);
    const other = all[direction === 'up' ? i - 1 : i + 1];
    if (!other) return;
    await swapQuestions(trx, question, other);
    await record(
      trx,
      { userId: actorId, action: 'update', entity: 'survey_question', entityId: questionId, old: { seq: question.seq }, new: { seq: other.seq } },
      at,
    );
  });
}

/** Activates a draft with at least one question; the set in force is retired in the same transaction. */
export async function activateSet(db: Db, setId: number, actorId: number, at: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const set = await draftOf(trx, setId);
    if ((await listQuestions(trx, setId)).length === 0) throw new Conflict('surveys.set_empty');
    const iso = at.toISOString();
    const retired = await retireActiveSet(trx, iso);
    if (retired !== undefined)
      await record(
        trx,
        { userId: actorId, action: 'retire', entity: 'survey_question_set', entityId: retired, old: { status: 'active' }, new: { status: 'retired' } },
        at,
      );
    await activateDraft(trx, setId, actorId, iso);
    await record(
      trx,
      {
        userId: actorId,
        action: 'activate',
        entity: 'survey_question_set',
        entityId: setId,
        old: { status: 'draft' },
        new: { status: 'active', version: set.version },
      },
      at,
    );
  });
}

export async function saveTriageSettings(db: Db, s: TriageSettings, actorId: number, at: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const old = await findTriageSettings(trx);
    await updateTriageSettings(trx, s);
    await record(
      trx,
      {
        userId: actorId,
        action: 'update',
        entity: 'survey_settings',
        entityId: null,
        old: { survey_low_score: old.lowScore, survey_comment_feedback: old.commentFeedback ? 1 : 0 },
        new: { survey_low_score: s.lowScore, survey_comment_feedback: s.commentFeedback ? 1 : 0 },
      },
      at,
    );
  });
}
