import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../core/clock';
import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { scopedDb, withoutOrganisation } from '../../core/db/scope';
import { claimOutbox, findOutboxMessage, listDueOutbox, markOutboxFailedAttempt, markOutboxSent } from './notifications.outbox.queries';
import { mailTransportOf, SendError, sendErrorOf, type MailTransport } from './notifications.transport';

/**
 * The sender (issue 26): delivers the outbox's due messages, exactly once when nothing stops it, at most twice (and
 * then marked) when a sender stops between sending a message and recording it.
 * - Each message is claimed in one UPDATE that succeeds for one sender only (status, lease owner and end, the attempt
 *   counted), so several processes on one PostgreSQL database or SQLite file never send a message twice.
 * - It is sent with its idempotency key as Message-ID, then `sent`, its time and the SMTP answer are recorded.
 * - A failure is recorded (`last_error`) and retried after a growing delay, up to MAX_ATTEMPTS; a 5xx answer of the
 *   SMTP server (the address does not exist, the message is refused) fails at once.
 * - A message whose lease ran out while `sending` (its sender died after sending, or before) is claimed again, sent
 *   again and marked `possible_duplicate`, which the admin's outbox page shows.
 * No network call runs inside a transaction: each statement commits on its own.
 */

/** Minutes to wait after the 1st, 2nd, … failed attempt (the last one repeats). */
export const BACKOFF_MINUTES = [1, 5, 15, 60, 240, 720] as const;
/** Attempts before a message counts as failed (about 18 hours of retries). */
export const MAX_ATTEMPTS = 7;
/** How long a claim lasts: longer than the transport's timeouts for one message (notifications.transport.ts). */
export const LEASE_MS = 5 * 60_000;

export interface SendOptions {
  transport: MailTransport;
  /** The app's clock (ctx.clock): every time written and compared comes from it. */
  clock: Clock;
  /** This sender's name in `lease_owner`; default host:pid:random. */
  owner?: string;
  /** At most this many messages in one call (default 100). */
  limit?: number;
  /** Only this organisation's messages (default: every organisation of the database). */
  organisationId?: number;
  maxAttempts?: number;
  leaseMs?: number;
  /** Tests only (config.testSenderPauseMs): wait this long between sending and recording. */
  pauseAfterSendMs?: number;
}

export interface SendSummary {
  /** Sent and recorded. */
  sent: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  /** Failed for good (a 5xx answer, or the last attempt). */
  failed: number;
  /** Sent again after an expired lease: possibly received twice. */
  duplicates: number;
}

export const defaultOwner = (): string => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** When to try again after `attempts` failed attempts, or null when it is the last. */
export function retryAt(at: Date, attempts: number, maxAttempts = MAX_ATTEMPTS): string | null {
  if (attempts >= maxAttempts) return null;
  const minutes = BACKOFF_MINUTES[Math.min(Math.max(attempts, 1), BACKOFF_MINUTES.length) - 1];
  return new Date(at.getTime() + minutes * 60_000).toISOString();
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Delivers the due messages (of every organisation, or of `options.organisationId`) once through `options.transport`;
 * what happened to them. Safe to run in several processes at once. The one entry point for the server's loop
 * (startSender) and for `npm run qms -- notify:run`.
 */
export async function sendDue(db: Db, options: SendOptions): Promise<SendSummary> {
  const base = withoutOrganisation(db);
  const owner = options.owner ?? defaultOwner();
  const summary: SendSummary = { sent: 0, retrying: 0, failed: 0, duplicates: 0 };
  const due = await listDueOutbox(base, options.clock.now().toISOString(), options.limit ?? 100, options.organisationId);
  for (const { id, organisation_id } of due) {
    const scoped = scopedDb(base, organisation_id);
    const claimedAt = options.clock.now();
    const leaseUntil = new Date(claimedAt.getTime() + (options.leaseMs ?? LEASE_MS)).toISOString();
    if (!(await claimOutbox(scoped, id, owner, claimedAt.toISOString(), leaseUntil))) continue; // another sender has it
    const message = await findOutboxMessage(scoped, id);
    if (!message) continue;
    if (Number(message.possible_duplicate) === 1) summary.duplicates++;
    let response: string;
    try {
      response = await options.transport.send({
        to: message.to_address,
        subject: message.subject,
        text: message.text_body,
        html: message.html_body,
        messageId: `<${message.idempotency_key}@${options.transport.host}>`,
      });
    } catch (err) {
      const failure = err instanceof SendError ? err : sendErrorOf(err);
      const at = options.clock.now();
      const next = failure.permanent ? null : retryAt(at, Number(message.attempts), options.maxAttempts);
      await markOutboxFailedAttempt(scoped, id, owner, at.toISOString(), failure.message, next);
      if (next) summary.retrying++;
      else summary.failed++;
      continue;
    }
    if (options.pauseAfterSendMs) await pause(options.pauseAfterSendMs);
    await markOutboxSent(scoped, id, owner, options.clock.now().toISOString(), response);
    summary.sent++;
  }
  return summary;
}

/**
 * One round with the configured transport (SMTP_URL), for `npm run qms -- notify:run` and other one-off callers: what
 * happened, or undefined when e-mail is not configured.
 */
export async function sendDueNow(
  ctx: Pick<AppContext, 'config' | 'db' | 'clock'>,
  options: { organisationId?: number } = {},
): Promise<SendSummary | undefined> {
  const transport = mailTransportOf(ctx.config);
  if (!transport) return undefined;
  try {
    return await sendDue(ctx.db, { transport, clock: ctx.clock, organisationId: options.organisationId });
  } finally {
    transport.close();
  }
}

export interface RunningSender {
  /** Stops polling and waits for the round under way; closes the transport. */
  stop(): Promise<void>;
}

/**
 * The server's sender: when SMTP_URL is set, delivers the due messages every `intervalMs` (default 30 s), one round
 * at a time; undefined when e-mail is not configured. A round that fails (the database unreachable) is logged and
 * the next one tries again.
 */
export function startSender(ctx: AppContext, options: { intervalMs?: number; owner?: string } = {}): RunningSender | undefined {
  const transport = mailTransportOf(ctx.config);
  if (!transport) return undefined;
  const interval = options.intervalMs ?? 30_000;
  const owner = options.owner ?? defaultOwner();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const tick = () => {
    round = sendDue(ctx.db, { transport, clock: ctx.clock, owner, pauseAfterSendMs: ctx.config.testSenderPauseMs })
      .then(() => undefined)
      .catch((err: unknown) => console.error('sending e-mail failed', err))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, interval);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await round;
      transport.close();
    },
  };
}
