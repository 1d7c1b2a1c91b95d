import { randomBytes } from 'node:crypto';
import { record } from '../../core/audit-log/audit-log';
import type { AppContext } from '../../core/context';
import { Conflict, NotFound } from '../../core/http/errors';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { Lang } from '../../core/i18n';
import { renderTestMail } from './notifications.mail';
import { findOutboxForResend, updateOutboxResend } from './notifications.outbox.queries';
import { preferencesOf } from './notifications.preferences';
import type { OutboxKind } from './notifications.tables';

/** An e-mail to queue: written to the outbox in the caller's transaction, sent later by the sender. */
export interface QueuedMail {
  kind: OutboxKind;
  userId: number | null;
  notificationId: number | null;
  to: string;
  lang: Lang;
  subject: string;
  text: string;
  html: string;
  /** The message's identity (its Message-ID): a second mail with the same key is not queued. */
  idempotencyKey: string;
}

/** Queues the mail in the caller's transaction; its outbox id, or undefined when one with its key is already queued. */
export async function queueMail(trx: Db, mail: QueuedMail, at: Date): Promise<number | undefined> {
  const now = at.toISOString();
  const row = await trx
    .insertInto('outbox')
    .values({
      organisation_id: organisationOf(trx),
      user_id: mail.userId,
      notification_id: mail.notificationId,
      kind: mail.kind,
      to_address: mail.to,
      lang: mail.lang,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      idempotency_key: mail.idempotencyKey,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/** A failed message waits again from now (its attempts counted afresh), with its audit-log entry, in one transaction. */
export async function resendOutbox(ctx: AppContext, id: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findOutboxForResend(trx, id);
    if (!before) throw new NotFound();
    // sent meanwhile, or already waiting again
    if (!(await updateOutboxResend(trx, id, at.toISOString()))) throw new Conflict('notifications.outbox.not_failed');
    await record(
      trx,
      {
        userId: actorId,
        action: 'resend',
        entity: 'outbox',
        entityId: id,
        old: { status: before.status, attempts: before.attempts, last_error: before.last_error },
        new: { status: 'pending', attempts: 0, next_attempt_at: at.toISOString() },
      },
      at,
    );
  });
}

/** Queues a test message to the admin's own address, with its audit-log entry; its outbox id. */
export async function queueTestMail(ctx: AppContext, user: { id: number; email: string; full_name: string }): Promise<number | undefined> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { lang } = await preferencesOf(trx, user.id);
    const mail = renderTestMail(lang, ctx.config.publicUrl, { name: user.full_name });
    const key = `test.${user.id}.${randomBytes(8).toString('hex')}`;
    const id = await queueMail(trx, { kind: 'test', userId: user.id, notificationId: null, to: user.email, lang, ...mail, idempotencyKey: key }, at);
    await record(trx, { userId: user.id, action: 'create', entity: 'outbox', entityId: id ?? null, new: { kind: 'test', to: user.email } }, at);
    return id;
  });
}
