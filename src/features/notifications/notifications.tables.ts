import type { Generated } from 'kysely';
import type { Lang } from '../../core/i18n';

/**
 * What can wait for a person (issue 26). Events: written in the transaction of the change. Reminders: written by the
 * daily run (notifications.reminders.ts). The inbox shows them all; e-mail follows the person's preferences.
 */
export const NOTICE_KINDS = [
  // events
  'action_assigned',
  'document_acknowledge',
  'revision_review',
  'revision_approve',
  'finding_answer',
  'feedback_triage',
  'audit_participant',
  // reminders computed daily
  'due_soon',
  'overdue',
  'escalation',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const EMAIL_MODES = ['immediate', 'digest', 'off'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export type OutboxKind = 'notice' | 'digest' | 'test';

export interface NotificationsTable {
  id: Generated<number>;
  organisation_id: number;
  user_id: number;
  kind: NoticeKind;
  /** The record it is about (an audit-log entity name: nc_action, document_revision, audit_finding…) and its id. */
  entity: string;
  entity_id: string;
  /** The record's page, a path of this app (`/nonconformities/12`). */
  link: string;
  /** JSON object: what the message shows (a code, a title, a due date…): never a citizen's personal data. */
  params: Generated<string>;
  due_on: string | null;
  /** Unique per person: the same event or reminder is stored once. */
  dedupe_key: string;
  created_at: string;
  read_at: string | null;
  /** When its e-mail was queued (immediately or in a digest); null: not yet, or never. */
  mailed_at: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  organisation_id: number;
  user_id: number | null;
  notification_id: number | null;
  kind: OutboxKind;
  to_address: string;
  lang: Lang;
  subject: string;
  text_body: string;
  html_body: string;
  /** The message's identity, sent as its Message-ID; unique. */
  idempotency_key: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  smtp_response: string | null;
  /** 1: sent again after a sender stopped between sending and recording it (it may have arrived twice). */
  possible_duplicate: Generated<number>;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationPreferencesTable {
  user_id: number;
  organisation_id: number;
  lang: Generated<Lang>;
  email_mode: Generated<EmailMode>;
  /** JSON array of NoticeKind not wanted by e-mail. */
  muted_kinds: Generated<string>;
  version: Generated<number>;
  updated_at: string;
}

export interface NotificationSettingsTable {
  organisation_id: number;
  /** `7,1`: days before a due date on which to remind. */
  days_before: Generated<string>;
  escalate_after_days: Generated<number>;
  digest_weekday: Generated<number>;
  version: Generated<number>;
  updated_at: string;
}

export interface ReminderRunsTable {
  organisation_id: number;
  run_on: string;
  ran_at: string;
  notices: Generated<number>;
  digests: Generated<number>;
}

export interface NotificationsTables {
  notifications: NotificationsTable;
  outbox: OutboxTable;
  notification_preferences: NotificationPreferencesTable;
  notification_settings: NotificationSettingsTable;
  reminder_runs: ReminderRunsTable;
}
