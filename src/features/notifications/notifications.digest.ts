import { addDays } from '../../core/calendar';
import type { Db } from '../../core/db/database';
import { deploymentOf } from '../../core/db/dialect/engine';
import { organisationOf } from '../../core/db/scope';
import { translate, type Lang } from '../../core/i18n';
import { formatDate } from '../../core/views/format';
import { absoluteLink, escapeHtml } from './notifications.mail';
import { queueMail } from './notifications.outbox';
import { paramsOf, recordOf, type NoticeParams } from './notifications.params';
import { preferencesOf } from './notifications.preferences';
import type { NoticeKind } from './notifications.tables';

/** One line of a digest: a notification not yet mailed. */
export interface DigestItem {
  id: number;
  kind: NoticeKind;
  link: string;
  params: NoticeParams;
  dueOn: string | null;
}

/** The digest's e-mail in the person's language: one line per notification, with its due date and its link. */
export function renderDigest(lang: Lang, items: DigestItem[], publicUrl: string | undefined): { subject: string; text: string; html: string } {
  const subject = translate(lang, 'notifications.digest.subject', { n: items.length });
  const lines = items.map((item) => {
    const what = recordOf(item.params);
    const label = translate(lang, `notifications.kind.${item.kind}`);
    const due = item.dueOn ? ` (${translate(lang, 'notifications.digest.due', { date: formatDate(item.dueOn, 'UTC') })})` : '';
    return { line: `${label}${what ? `: ${what}` : ''}${due}`, url: absoluteLink(publicUrl, item.link) };
  });
  const intro = translate(lang, 'notifications.digest.intro');
  const footer = translate(lang, 'notifications.digest.footer');
  return {
    subject,
    text: `${intro}\n\n${lines.map((l) => `- ${l.line}\n  ${l.url}`).join('\n')}\n\n${footer}\n`,
    html:
      `<p>${escapeHtml(intro)}</p><ul>` +
      lines.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.line)}</a></li>`).join('') +
      `</ul><p>${escapeHtml(footer)}</p>`,
  };
}

/** The Monday of the ISO week of a date: the week's digest key. */
function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
}

/**
 * The weekly digests of the handle's organisation, in the caller's transaction (the daily run's, on the digest
 * weekday): for each active person who chose the digest and has an e-mail address, one mail listing their
 * notifications not yet mailed (except the kinds they do not want by e-mail), which are then marked mailed. Nothing
 * without e-mail configured. The idempotency key is per person and week, so a week's digest is queued once.
 */
export async function runDigest(trx: Db, today: string, at: Date): Promise<number> {
  const deployment = deploymentOf(trx);
  if (!deployment.mailEnabled) return 0;
  const organisationId = organisationOf(trx);
  const people = await trx
    .selectFrom('notification_preferences as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.id', 'u.email'])
    .where('p.organisation_id', '=', organisationId)
    .where('u.organisation_id', '=', organisationId)
    .where('p.email_mode', '=', 'digest')
    .where('u.active', '=', 1)
    .where('u.email', 'is not', null)
    .where('u.email', '<>', '')
    .orderBy('u.id')
    .execute();
  let queued = 0;
  for (const person of people) {
    const prefs = await preferencesOf(trx, person.id);
    const rows = await trx
      .selectFrom('notifications')
      .select(['id', 'kind', 'link', 'params', 'due_on'])
      .where('user_id', '=', person.id)
      .where('organisation_id', '=', organisationId)
      .where('mailed_at', 'is', null)
      .orderBy('id')
      .execute();
    const items = rows
      .filter((r) => !prefs.muted.includes(r.kind))
      .map((r) => ({ id: r.id, kind: r.kind, link: r.link, params: paramsOf(r.params), dueOn: r.due_on }));
    if (items.length === 0) continue;
    const mail = renderDigest(prefs.lang, items, deployment.publicUrl);
    const key = `digest.${organisationId}.${person.id}.${mondayOf(today)}`;
    const id = await queueMail(
      trx,
      { kind: 'digest', userId: person.id, notificationId: null, to: person.email!, lang: prefs.lang, ...mail, idempotencyKey: key },
      at,
    );
    if (id === undefined) continue;
    await trx
      .updateTable('notifications')
      .set({ mailed_at: at.toISOString() })
      .where(
        'id',
        'in',
        items.map((i) => i.id),
      )
      .execute();
    queued += 1;
  }
  return queued;
}
