import { randomBytes } from 'node:crypto';
import type { Db } from '../../core/db/database';
import { deploymentOf } from '../../core/db/dialect/engine';
import { organisationOf } from '../../core/db/scope';
import { renderNoticeMail } from './notifications.mail';
import { queueMail } from './notifications.outbox';
import { preferencesOf } from './notifications.preferences';
import type { NoticeKind } from './notifications.tables';

/** Something that waits for one person (see NotificationsTable). */
export interface Notice {
  userId: number;
  kind: NoticeKind;
  /** The record: an audit-log entity name and its id. */
  entity: string;
  entityId: string | number;
  /** The record's page, a path of this app. */
  link: string;
  /** What the message shows: codes, titles, dates. Never a citizen's personal data. */
  params?: Record<string, string | number | null>;
  dueOn?: string | null;
  /** The same key for the same person is stored once (`action_assigned:12`, `due_soon:7:nc_action:12:2026-12-10`). */
  dedupeKey: string;
}

/**
 * Puts the notice in the person's inbox, in the caller's transaction, once per dedupe key; then, when e-mail is
 * configured, the person has an address and wants this kind immediately, queues its e-mail in the same transaction
 * (people who chose the weekly digest get it there). An inactive person, or one of another organisation, gets
 * nothing. The notification's id, or undefined when nothing new was stored.
 */
export async function notify(trx: Db, notice: Notice, at: Date): Promise<number | undefined> {
  const organisationId = organisationOf(trx);
  const user = await trx
    .selectFrom('users')
    .select(['id', 'email', 'active', 'full_name'])
    .where('id', '=', notice.userId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!user || !Number(user.active)) return undefined;
  const now = at.toISOString();
  const params = notice.params ?? {};
  const inserted = await trx
    .insertInto('notifications')
    .values({
      organisation_id: organisationId,
      user_id: user.id,
      kind: notice.kind,
      entity: notice.entity,
      entity_id: String(notice.entityId),
      link: notice.link,
      params: JSON.stringify(params),
      due_on: notice.dueOn ?? null,
      dedupe_key: notice.dedupeKey,
      created_at: now,
      read_at: null,
      mailed_at: null,
    })
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return undefined;
  const id = Number(inserted.id);
  const deployment = deploymentOf(trx);
  if (!deployment.mailEnabled || !user.email) return id;
  const prefs = await preferencesOf(trx, user.id);
  if (prefs.emailMode !== 'immediate' || prefs.muted.includes(notice.kind)) return id;
  const mail = renderNoticeMail(prefs.lang, { kind: notice.kind, link: notice.link, params, dueOn: notice.dueOn ?? null }, deployment.publicUrl, {
    name: user.full_name,
  });
  await queueMail(
    trx,
    {
      kind: 'notice',
      userId: user.id,
      notificationId: id,
      to: user.email,
      lang: prefs.lang,
      ...mail,
      idempotencyKey: `notice.${id}.${randomBytes(8).toString('hex')}`,
    },
    at,
  );
  await trx.updateTable('notifications').set({ mailed_at: now }).where('id', '=', id).execute();
  return id;
}
