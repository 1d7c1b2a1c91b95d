import type { Generated } from 'kysely';

/** How a piece of feedback reached the office. */
export const FEEDBACK_CHANNELS = ['counter', 'phone', 'email', 'portal', 'survey', 'other'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];

/** Phản ánh (feedback), kiến nghị (recommendation), khiếu nại (complaint). */
export const FEEDBACK_KINDS = ['feedback', 'recommendation', 'complaint'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

export const FEEDBACK_STATUSES = ['open', 'answered', 'closed', 'cancelled'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export type FeedbackOutcome = 'closed' | 'nonconformity';

/** One piece of citizens' feedback (migration 2026_12_15_1000_feedback): never deleted; frozen once closed or cancelled. */
export interface FeedbackTable {
  id: Generated<number>;
  organisation_id: number;
  /** PA-YYYY-NNN, numbered per organisation and year of receipt. */
  code: string;
  channel: FeedbackChannel;
  kind: FeedbackKind;
  sender_name: string | null;
  sender_contact: string | null;
  content: string;
  procedure_id: number | null;
  /** The dossier code as given by the citizen. */
  dossier_code: string | null;
  /** The organisation's dossier with that code, when there is one. */
  dossier_id: number | null;
  unit_id: number | null;
  received_on: string;
  /** The legal deadline to answer (default: the organisation's answer days, in working days after receipt). */
  answer_due_on: string;
  assignee_id: number | null;
  answer: string | null;
  answered_on: string | null;
  answered_by: number | null;
  outcome: FeedbackOutcome | null;
  nonconformity_id: number | null;
  closed_at: string | null;
  closed_by: number | null;
  status: Generated<FeedbackStatus>;
  cancel_reason: string | null;
  cancelled_at: string | null;
  cancelled_by: number | null;
  survey_response_id: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface FeedbackCountersTable {
  organisation_id: number;
  year: number;
  last_no: number;
}

export interface FeedbackTables {
  feedback: FeedbackTable;
  feedback_counters: FeedbackCountersTable;
}
