import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { todayLocal } from '../../core/calendar';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { Conflict, NotFound } from '../../core/http/errors';
import { surveyDiscardHooks, surveyFeedbackHooks } from './surveys.hooks';
import { triageOf } from './surveys.model';
import { findSetByStatus, findTriageSettings, listQuestions } from './surveys.queries';
import {
  discardResponseRow,
  dossierAnswered,
  findDossierProcedure,
  findResponse,
  findSurveyProcedure,
  insertResponse,
  insertScores,
} from './surveys.responses.queries';

/** The organisation has no active question set: the survey is not open. */
export class SurveyNotOpen extends Error {}
/** The dossier code names no dossier of the organisation for this procedure. */
export class DossierUnknown extends Error {}
/** An answer was already given for this dossier code. */
export class DossierAnswered extends Error {}
/** A score for a question that is not in the active set. */
export class QuestionUnknown extends Error {}

export interface SurveyAnswer {
  procedureCode: string;
  /** Question id → score 1–5; unanswered questions are absent. */
  scores: ReadonlyMap<number, number>;
  dossierCode: string | null;
  comment: string | null;
  counter: string | null;
  language: 'vi' | 'en';
}

const isUniqueViolation = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT_UNIQUE'));
};

/**
 * Stores an answer given through the public survey page, for the organisation `db` works for, in one transaction: the
 * answer (the local date in the organisation's time zone, the unit handling the procedure now, the active set), its
 * scores, its audit-log entry (no user: a citizen answered) and, when the organisation's settings say the answer needs
 * triage (a low score, or a comment), every surveyFeedbackHooks handler. Returns the answer's id.
 */
export async function submitResponse(db: Db, answer: SurveyAnswer, at: Date, timeZone: string): Promise<number> {
  try {
    return await db.transaction().execute(async (trx) => {
      const procedure = await findSurveyProcedure(trx, answer.procedureCode);
      if (!procedure) throw new NotFound();
      const set = await findSetByStatus(trx, 'active');
      if (!set) throw new SurveyNotOpen();
      const questions = await listQuestions(trx, set.id);
      for (const id of answer.scores.keys()) if (!questions.some((q) => q.id === id)) throw new QuestionUnknown();
      if (answer.dossierCode !== null) {
        const dossier = await findDossierProcedure(trx, answer.dossierCode);
        if (!dossier || dossier.procedure_id !== procedure.id) throw new DossierUnknown();
        if (await dossierAnswered(trx, answer.dossierCode)) throw new DossierAnswered();
      }
      const answeredOn = todayLocal(at, timeZone);
      const row = {
        procedure_id: procedure.id,
        unit_id: procedure.unit_id,
        question_set_id: set.id,
        dossier_code: answer.dossierCode,
        counter: answer.counter,
        comment: answer.comment,
        language: answer.language,
        answered_on: answeredOn,
      };
      const id = await insertResponse(trx, { ...row, created_at: at.toISOString() });
      await insertScores(trx, id, answer.scores);
      await record(
        trx,
        {
          userId: null,
          action: 'create',
          entity: 'survey_response',
          entityId: id,
          new: { ...row, procedure_code: procedure.code, scores: Object.fromEntries(answer.scores) },
        },
        at,
      );
      const triage = triageOf(await findTriageSettings(trx), questions, answer.scores, answer.comment);
      if (triage.needed) {
        const input = {
          organisationId: set.organisation_id,
          responseId: id,
          procedureId: procedure.id,
          unitId: procedure.unit_id,
          dossierCode: answer.dossierCode,
          answeredOn,
          comment: answer.comment,
          lowScores: triage.lowScores,
          at,
        };
        for (const hook of surveyFeedbackHooks) await hook(trx, input);
      }
      return id;
    });
  } catch (err) {
    // Two answers for one dossier code at the same moment: the second meets the unique index.
    if (answer.dossierCode !== null && isUniqueViolation(err)) throw new DossierAnswered();
    throw err;
  }
}

/** Discards an answer (spam) with a reason: it stays, marked discarded, and counts nowhere. */
export async function discardResponse(ctx: AppContext, id: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findResponse(trx, id);
    if (!before) throw new NotFound();
    if (!(await discardResponseRow(trx, id, reason, at.toISOString(), actorId))) throw new Conflict('surveys.already_discarded');
    await record(
      trx,
      { userId: actorId, action: 'discard', entity: 'survey_response', entityId: id, old: { status: 'counted' }, new: { status: 'discarded' }, reason },
      at,
    );
    for (const hook of surveyDiscardHooks) await hook(trx, { organisationId: organisationOf(trx), responseId: id, reason, actorId, at });
  });
}
