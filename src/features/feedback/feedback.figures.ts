import type { Db } from '../../core/db/database';
import { listForFigures } from './feedback.queries';
import { FEEDBACK_CHANNELS, FEEDBACK_KINDS, type FeedbackChannel, type FeedbackKind, type FeedbackStatus } from './feedback.tables';

/**
 * The feedback register's figures for a period [from, to] (issue 24), counted as of `asOf` — the period's end, or
 * today when the period ends later (a record due tomorrow is not overdue yet). A cancelled record was entered by
 * mistake: it counts under `cancelled` and nowhere else.
 * - received: records received in the period (received_on in [from, to]), by channel and by kind;
 * - answered: records answered in the period (answered_on in [from, to]), whenever received, split into
 *   answeredOnTime (answered_on ≤ answer_due_on) and answeredLate (answered_on > answer_due_on);
 * - openAtEnd: records received by `asOf` and not answered by it (no answer, or answered after `asOf`), of which
 *   overdueAtEnd: their answer's deadline is before `asOf`;
 * - raisedAsNc: records raised as a nonconformity in the period (the NC's detection date in [from, to]);
 * - cancelled: records received in the period and cancelled.
 * Always: answered = answeredOnTime + answeredLate; the byChannel and byKind counts each add up to received.
 */
export interface FeedbackFigures {
  received: number;
  byChannel: Record<FeedbackChannel, number>;
  byKind: Record<FeedbackKind, number>;
  answered: number;
  answeredOnTime: number;
  answeredLate: number;
  openAtEnd: number;
  overdueAtEnd: number;
  raisedAsNc: number;
  cancelled: number;
}

/** The single-number figures, in the order the page and the exports show them. */
export const FIGURE_KEYS = ['received', 'answered', 'answeredOnTime', 'answeredLate', 'openAtEnd', 'overdueAtEnd', 'raisedAsNc', 'cancelled'] as const;

export interface FigureInput {
  channel: FeedbackChannel;
  kind: FeedbackKind;
  status: FeedbackStatus;
  received_on: string;
  answer_due_on: string;
  answered_on: string | null;
  raised_on: string | null;
}

export function emptyFeedbackFigures(): FeedbackFigures {
  return {
    received: 0,
    byChannel: Object.fromEntries(FEEDBACK_CHANNELS.map((c) => [c, 0])) as Record<FeedbackChannel, number>,
    byKind: Object.fromEntries(FEEDBACK_KINDS.map((k) => [k, 0])) as Record<FeedbackKind, number>,
    answered: 0,
    answeredOnTime: 0,
    answeredLate: 0,
    openAtEnd: 0,
    overdueAtEnd: 0,
    raisedAsNc: 0,
    cancelled: 0,
  };
}

/** The figures of the records (pure: no database, no clock). */
export function countFeedback(rows: readonly FigureInput[], from: string, to: string, asOf: string): FeedbackFigures {
  const f = emptyFeedbackFigures();
  for (const r of rows) {
    const inPeriod = r.received_on >= from && r.received_on <= to;
    if (r.status === 'cancelled') {
      if (inPeriod) f.cancelled += 1;
      continue;
    }
    if (inPeriod) {
      f.received += 1;
      f.byChannel[r.channel] += 1;
      f.byKind[r.kind] += 1;
    }
    if (r.answered_on !== null && r.answered_on >= from && r.answered_on <= to) {
      f.answered += 1;
      if (r.answered_on <= r.answer_due_on) f.answeredOnTime += 1;
      else f.answeredLate += 1;
    }
    if (r.received_on <= asOf && (r.answered_on === null || r.answered_on > asOf)) {
      f.openAtEnd += 1;
      if (r.answer_due_on < asOf) f.overdueAtEnd += 1;
    }
    if (r.raised_on !== null && r.raised_on >= from && r.raised_on <= to) f.raisedAsNc += 1;
  }
  return f;
}

/**
 * The organisation's feedback figures for a period, as of `asOf` (≤ to): the register page, its exports, the
 * management review's data pack and the annual report's satisfaction section use this.
 */
export async function feedbackFigures(db: Db, from: string, to: string, asOf: string = to): Promise<FeedbackFigures> {
  return countFeedback(await listForFigures(db, to), from, to, asOf);
}
