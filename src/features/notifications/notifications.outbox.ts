import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { Lang } from '../../core/i18n';
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
