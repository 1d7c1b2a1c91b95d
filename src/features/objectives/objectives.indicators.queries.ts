import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { notReplacedOn } from '../documents/documents.inforce.queries';

/**
 * The rows the computed indicators are counted from (objectives.indicators.ts), read once per objective and year;
 * each indicator's definition is written beside its counting there. Every read is the organisation's own.
 */

/** A closing of a nonconformity (a transition to "closed", as the compliance report's `closed` counts them). */
export interface NcClosing {
  ncId: number;
  closedOn: string;
}

/**
 * The closings of the organisation's nonconformities dated within [from, to] (nc_status_history, to_status
 * 'closed'), of NCs not rejected since: the same rows the compliance report's `closed` figure reads
 * (nonconformities.report.queries.ts listNcFiguresAt).
 */
export async function listNcClosings(db: Db, from: string, to: string): Promise<NcClosing[]> {
  const org = organisationOf(db);
  const rows = await db
    .selectFrom('nc_status_history as h')
    .innerJoin('nonconformities as n', 'n.id', 'h.nonconformity_id')
    .select(['h.nonconformity_id as ncId', 'h.changed_on as closedOn'])
    .where('n.organisation_id', '=', org)
    .where('h.organisation_id', '=', org)
    .where('h.to_status', '=', 'closed')
    .where('h.changed_on', '>=', from)
    .where('h.changed_on', '<=', to)
    .where('n.status', '<>', 'rejected')
    .orderBy('h.id')
    .execute();
  return rows.map((r) => ({ ncId: Number(r.ncId), closedOn: r.closedOn }));
}

export interface NcActionDue {
  id: number;
  ncId: number;
  dueDate: string;
  status: string;
  cancelledOn: string | null;
  /** Every change of its due date, in order: the date before and the date of the change. */
  changes: { dueBefore: string; changedOn: string }[];
}

/** The actions of these nonconformities with the history of their due dates (nc_action_due_history). */
export async function listNcActionDues(db: Db, ncIds: readonly number[]): Promise<NcActionDue[]> {
  if (ncIds.length === 0) return [];
  const org = organisationOf(db);
  const actions = await db
    .selectFrom('nc_actions')
    .select(['id', 'nonconformity_id', 'due_date', 'status', 'cancelled_on'])
    .where('organisation_id', '=', org)
    .where('nonconformity_id', 'in', [...ncIds])
    .orderBy('id')
    .execute();
  if (actions.length === 0) return [];
  const changes = await db
    .selectFrom('nc_action_due_history')
    .select(['action_id', 'due_before', 'changed_on'])
    .where('organisation_id', '=', org)
    .where(
      'action_id',
      'in',
      actions.map((a) => a.id),
    )
    .orderBy('id')
    .execute();
  return actions.map((a) => ({
    id: a.id,
    ncId: Number(a.nonconformity_id),
    dueDate: a.due_date,
    status: a.status,
    cancelledOn: a.cancelled_on,
    changes: changes.filter((c) => c.action_id === a.id).map((c) => ({ dueBefore: c.due_before, changedOn: c.changed_on })),
  }));
}

/** A planned audit of the year's audit programme (not cancelled), and the day its audit was reported, if it was. */
export interface PlannedAudit {
  itemId: number;
  month: number;
  /** The last day of fieldwork of its audit once the report was issued (status reported or closed), else null. */
  doneOn: string | null;
}

export async function listPlannedAudits(db: Db, year: number): Promise<PlannedAudit[] | undefined> {
  const org = organisationOf(db);
  const programme = await db.selectFrom('audit_programmes').select('id').where('organisation_id', '=', org).where('year', '=', year).executeTakeFirst();
  if (!programme) return undefined;
  const rows = await db
    .selectFrom('audit_programme_items as i')
    .select((eb) => [
      'i.id',
      'i.month',
      eb
        .selectFrom('audits as a')
        .select((e) => e.fn.min('a.actual_end').as('d'))
        .whereRef('a.programme_item_id', '=', 'i.id')
        .where('a.organisation_id', '=', org)
        .where('a.status', 'in', ['reported', 'closed'])
        .as('doneOn'),
    ])
    .where('i.organisation_id', '=', org)
    .where('i.programme_id', '=', programme.id)
    .where('i.status', '=', 'planned')
    .orderBy('i.id')
    .execute();
  return rows.map((r) => ({ itemId: r.id, month: Number(r.month), doneOn: r.doneOn ?? null }));
}

/** A periodic review that fell due: its due date and the day it was reviewed (null: not reviewed yet). */
export interface ReviewDue {
  due: string;
  reviewedOn: string | null;
}

/**
 * The periodic reviews of the organisation's documents that fell due within [from, to]: every review recorded
 * (document_reviews) with the due date it answered (previous_due), and every effective revision of an active document
 * whose next review date (as it stands) lies in the range and has not been reviewed yet, unless an approved revision
 * whose date has come (by `today`, before the transition is recorded: documents.inforce.queries.ts) replaces it.
 */
export async function listReviewsDue(db: Db, from: string, to: string, today: string): Promise<ReviewDue[]> {
  const org = organisationOf(db);
  const [done, pending] = await Promise.all([
    db
      .selectFrom('document_reviews')
      .select(['previous_due', 'reviewed_on'])
      .where('organisation_id', '=', org)
      .where('previous_due', '>=', from)
      .where('previous_due', '<=', to)
      .execute(),
    db
      .selectFrom('document_revisions as r')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select('r.next_review_due')
      .where('r.organisation_id', '=', org)
      .where('r.status', '=', 'effective')
      .where('d.status', '=', 'active')
      .where('r.next_review_due', '>=', from)
      .where('r.next_review_due', '<=', to)
      .where(notReplacedOn('r', today))
      .execute(),
  ]);
  return [...done.map((r) => ({ due: r.previous_due!, reviewedOn: r.reviewed_on })), ...pending.map((r) => ({ due: r.next_review_due!, reviewedOn: null }))];
}
