import { translate, type Lang } from '../../core/i18n';
import type { NoticeKind } from './notifications.tables';

/** An e-mail ready for the outbox: a subject and the same message as plain text and as HTML. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface NoticeForMail {
  kind: NoticeKind;
  link: string;
  params: Record<string, string | number | null>;
  dueOn: string | null;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The address of a page of the app in an e-mail: PUBLIC_URL + path, or the path alone when PUBLIC_URL is not set. */
export function absoluteLink(publicUrl: string | undefined, link: string): string {
  return publicUrl ? `${publicUrl.replace(/\/$/, '')}${link}` : link;
}

/** One notification's e-mail, in the recipient's language, with a link to the record. */
export function renderNoticeMail(lang: Lang, notice: NoticeForMail, publicUrl: string | undefined): RenderedMail {
  const title = translate(lang, `notifications.kind.${notice.kind}`);
  const what = [notice.params.code, notice.params.title].filter((x) => x !== null && x !== undefined && x !== '').join(' — ');
  const subject = what ? `${title}: ${what}` : title;
  const url = absoluteLink(publicUrl, notice.link);
  const open = translate(lang, 'notifications.mail.open_record');
  return {
    subject,
    text: `${subject}\n\n${open}: ${url}\n`,
    html: `<p>${escapeHtml(subject)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(open)}</a></p>`,
  };
}
