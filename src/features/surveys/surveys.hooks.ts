import type { Db } from '../../core/db/database';
import type { SurveyCriterion } from './surveys.tables';

/** A question answered at or below the organisation's low score (organisation.survey_low_score). */
export interface SurveyLowScore {
  questionId: number;
  seq: number;
  criterion: SurveyCriterion;
  textVi: string;
  textEn: string;
  score: number;
}

/** An answer that needs triage: a low score on some question, or a comment (as the organisation's settings say). */
export interface SurveyFeedbackInput {
  organisationId: number;
  responseId: number;
  procedureId: number;
  unitId: number | null;
  dossierCode: string | null;
  /** The local date the answer was given. */
  answeredOn: string;
  comment: string | null;
  lowScores: SurveyLowScore[];
  at: Date;
}

/**
 * What an answer needing triage opens in other features, in the transaction that stores the answer: the feedback
 * register opens a feedback record for it (wired in src/features/hooks.ts, so that surveys imports no feature that
 * answers it).
 */
export type SurveyFeedbackHook = (trx: Db, input: SurveyFeedbackInput) => Promise<void>;
export const surveyFeedbackHooks: SurveyFeedbackHook[] = [];

/** An answer discarded as spam, with the reason given. */
export interface SurveyDiscardInput {
  organisationId: number;
  responseId: number;
  reason: string;
  actorId: number;
  at: Date;
}

/**
 * What discarding an answer does in other features, in the transaction of the discarding: the feedback register
 * cancels the record the answer opened while nobody has answered it yet (wired in src/features/hooks.ts).
 */
export type SurveyDiscardHook = (trx: Db, input: SurveyDiscardInput) => Promise<void>;
export const surveyDiscardHooks: SurveyDiscardHook[] = [];
