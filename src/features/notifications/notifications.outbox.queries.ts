import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { OutboxStatus } from './notifications.tables';

/**
 * The outbox's statements: the sender's (find due rows across the organisations, claim one with a lease, record the
 * answer) and the admin's page (counts, the list, resend). Every statement on one message is scoped to its
 * organisation; the sender's search for due rows alone runs over all of them (it then works per organisation).
 */

/** Due: waiting and its time has come, or claimed by a sender whose lease ran out (it stopped before recording). */
export async function listDueOutbox(db: Db, now: string, limit: number, organisationId?: number): Promise<{ id: number; organisation_id: number }[]> {
  let q = db
    .selectFrom('outbox')
    .select(['id', 'organisation_id'])
    .where((eb) =>
      eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]),
    );
  if (organisationId !== undefined) q = q.where('organisation_id', '=', organisationId);
  const rows = await q.orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), organisation_id: Number(r.organisation_id) }));
}

/**
 * Claims one due message for `owner` until `leaseUntil`, counting the attempt, in one statement: of several senders
 * trying at once, one changes the row and the others change nothing. A row taken over from an expired lease is marked
 * as possibly sent twice (its sender may have sent it before it stopped). True when this sender has it.
 */
export async function claimOutbox(db: Db, id: number, owner: string, now: string, leaseUntil: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({
      status: 'sending',
      lease_owner: owner,
      lease_until: leaseUntil,
      attempts: sql<number>`attempts + 1`,
      possible_duplicate: sql<number>`case when status = 'sending' then 1 else possible_duplicate end`,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where((eb) =>
      eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findOutboxMessage(db: Db, id: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'to_address', 'subject', 'text_body', 'html_body', 'idempotency_key', 'status', 'attempts', 'possible_duplicate', 'lease_owner'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

/** Records the SMTP answer of a message this sender still holds; false when its lease was taken over meanwhile. */
export async function markOutboxSent(db: Db, id: number, owner: string, at: string, response: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: at, smtp_response: response, last_error: null, lease_owner: null, lease_until: null, updated_at: at })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records a failed attempt: waiting again until `retryAt`, or failed for good when `retryAt` is null. */
export async function markOutboxFailedAttempt(db: Db, id: number, owner: string, at: string, error: string, retryAt: string | null): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({
      status: retryAt ? 'pending' : 'failed',
      next_attempt_at: retryAt ?? at,
      last_error: error,
      lease_owner: null,
      lease_until: null,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'sending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type OutboxFilter = 'pending' | 'sent' | 'failed' | 'duplicate';
export const OUTBOX_FILTERS: readonly OutboxFilter[] = ['pending', 'sent', 'failed', 'duplicate'];

/** How many messages of the organisation are in each status, and how many may have been sent twice. */
export async function countOutbox(db: Db): Promise<Record<OutboxStatus, number> & { duplicates: number; total: number }> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('possible_duplicate').as('dup')])
    .where('organisation_id', '=', organisationOf(db))
    .groupBy('status')
    .execute();
  const counts = { pending: 0, sending: 0, sent: 0, failed: 0, duplicates: 0, total: 0 };
  for (const r of rows) {
    counts[r.status] = Number(r.n);
    counts.duplicates += Number(r.dup ?? 0);
    counts.total += Number(r.n);
  }
  return counts;
}

/** The organisation's latest messages, newest first, of one filter (or all). */
export async function listOutbox(db: Db, filter: OutboxFilter | undefined, limit: number) {
  let q = db
    .selectFrom('outbox')
    .select([
      'id',
      'kind',
      'to_address',
      'subject',
      'status',
      'attempts',
      'next_attempt_at',
      'last_error',
      'smtp_response',
      'possible_duplicate',
      'sent_at',
      'created_at',
    ])
    .where('organisation_id', '=', organisationOf(db));
  if (filter === 'pending') q = q.where('status', 'in', ['pending', 'sending']);
  else if (filter === 'sent' || filter === 'failed') q = q.where('status', '=', filter);
  else if (filter === 'duplicate') q = q.where('possible_duplicate', '=', 1);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export async function findOutboxForResend(db: Db, id: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'status', 'attempts', 'last_error', 'to_address', 'subject'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

/** A failed message waits again from now, its attempts counted afresh; false when it is not failed (any more). */
export async function updateOutboxResend(db: Db, id: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: at, attempts: 0, updated_at: at })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The signed-in person's address, for the test message. */
export async function findUserEmail(db: Db, userId: number): Promise<string | null> {
  const row = await db.selectFrom('users').select('email').where('id', '=', userId).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
  return row?.email ?? null;
}
