import type { Generated } from 'kysely';

/** The criteria a survey question is on (the usual ones of the satisfaction surveys of administrative services). */
export const SURVEY_CRITERIA = ['information', 'procedure', 'attitude', 'time', 'result', 'other'] as const;
export type SurveyCriterion = (typeof SURVEY_CRITERIA)[number];

/** An organisation's question set, versioned (migration 2026_12_15_0900_surveys): edited as a draft, frozen once used. */
export interface SurveyQuestionSetsTable {
  id: Generated<number>;
  organisation_id: number;
  version: number;
  status: Generated<'draft' | 'active' | 'retired'>;
  note: Generated<string>;
  created_by: number | null;
  created_at: string;
  activated_at: string | null;
  activated_by: number | null;
  retired_at: string | null;
}

export interface SurveyQuestionsTable {
  id: Generated<number>;
  question_set_id: number;
  seq: number;
  criterion: SurveyCriterion;
  text_vi: string;
  text_en: string;
}

/** One answer given through the public survey page; never changed, discarded with a reason. */
export interface SurveyResponsesTable {
  id: Generated<number>;
  organisation_id: number;
  procedure_id: number;
  /** The unit that handled the procedure when the answer was given. */
  unit_id: number | null;
  question_set_id: number;
  dossier_code: string | null;
  counter: string | null;
  comment: string | null;
  language: 'vi' | 'en';
  /** The local date (organisation's time zone) the answer was given. */
  answered_on: string;
  created_at: string;
  status: Generated<'counted' | 'discarded'>;
  discard_reason: string | null;
  discarded_at: string | null;
  discarded_by: number | null;
}

export interface SurveyScoresTable {
  response_id: number;
  question_id: number;
  score: number;
}

export interface SurveysTables {
  survey_question_sets: SurveyQuestionSetsTable;
  survey_questions: SurveyQuestionsTable;
  survey_responses: SurveyResponsesTable;
  survey_scores: SurveyScoresTable;
}
