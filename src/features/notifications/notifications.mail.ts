import { translate, type Lang } from '../../core/i18n';
import { formatDate } from '../../core/views/format';
import { recordOf, type NoticeParams } from './notifications.params';
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
  params: NoticeParams;
  dueOn: string | null;
}

/** Who the mail is for, as the greeting names them (a member of staff: never a citizen). */
export interface MailRecipient {
  name?: string | null;
}

/** Where people change how they are notified (the settings page of issue 26). */
export const SETTINGS_PATH = '/account/notifications';

/** Text safe inside HTML elements and quoted attributes. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The address of a page of the app in an e-mail: PUBLIC_URL + path, or the path alone when PUBLIC_URL is not set. */
export function absoluteLink(publicUrl: string | undefined, link: string): string {
  return publicUrl ? `${publicUrl.replace(/\/$/, '')}${link}` : link;
}

/** A line of one paragraph: no line breaks inside a value (a subject with a newline would forge a header). */
const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, ' ').trim();

interface Body {
  subject: string;
  greeting: string;
  paragraphs: string[];
  facts: { label: string; value: string }[];
  link?: { label: string; url: string };
  footer: string;
}

/** Plain text and plain HTML of one message: escaped values, no images, no scripts, no styles from outside. */
function compose(b: Body): RenderedMail {
  const text = [
    b.greeting,
    '',
    ...b.paragraphs,
    ...(b.facts.length ? ['', ...b.facts.map((f) => `${f.label}: ${f.value}`)] : []),
    ...(b.link ? ['', `${b.link.label}: ${b.link.url}`] : []),
    '',
    '--',
    b.footer,
    '',
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(b.subject)}</title></head><body>`,
    `<p>${escapeHtml(b.greeting)}</p>`,
    ...b.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(b.facts.length ? [`<ul>${b.facts.map((f) => `<li>${escapeHtml(f.label)}: <strong>${escapeHtml(f.value)}</strong></li>`).join('')}</ul>`] : []),
    ...(b.link ? [`<p><a href="${escapeHtml(b.link.url)}">${escapeHtml(b.link.label)}</a></p>`] : []),
    `<hr><p><small>${escapeHtml(b.footer)}</small></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: b.subject, text, html };
}

function greetingOf(lang: Lang, recipient: MailRecipient | undefined): string {
  const name = recipient?.name ? oneLine(recipient.name) : '';
  return name ? translate(lang, 'notifications.mail.greeting', { name }) : translate(lang, 'notifications.mail.greeting_plain');
}

const footerOf = (lang: Lang, publicUrl: string | undefined) => translate(lang, 'notifications.mail.footer', { url: absoluteLink(publicUrl, SETTINGS_PATH) });

/**
 * One notification's e-mail, in the recipient's language: a greeting (with the person's name when given), what
 * waits (the kind, the record's code and title, its due date dd/MM/yyyy), a link to the record, and how to change
 * one's notification settings. Only what the notice's params hold is shown: codes, titles and dates, never a
 * citizen's personal data.
 */
export function renderNoticeMail(lang: Lang, notice: NoticeForMail, publicUrl: string | undefined, recipient?: MailRecipient): RenderedMail {
  const title = translate(lang, `notifications.kind.${notice.kind}`);
  const what = oneLine(recordOf(notice.params));
  const subject = what ? `${title}: ${what}` : title;
  const facts = [{ label: translate(lang, 'notifications.mail.what'), value: what ? `${title} — ${what}` : title }];
  if (notice.dueOn) facts.push({ label: translate(lang, 'notifications.mail.due_on'), value: formatDate(notice.dueOn, 'UTC') });
  return compose({
    subject,
    greeting: greetingOf(lang, recipient),
    paragraphs: [translate(lang, 'notifications.mail.intro')],
    facts,
    link: { label: translate(lang, 'notifications.mail.open_record'), url: absoluteLink(publicUrl, notice.link) },
    footer: footerOf(lang, publicUrl),
  });
}

/** The admin's test message (GET /admin/outbox, "send a test e-mail to me"). */
export function renderTestMail(lang: Lang, publicUrl: string | undefined, recipient?: MailRecipient): RenderedMail {
  const subject = translate(lang, 'notifications.mail.test_subject');
  return compose({
    subject,
    greeting: greetingOf(lang, recipient),
    paragraphs: [translate(lang, 'notifications.mail.test_body')],
    facts: [],
    footer: footerOf(lang, publicUrl),
  });
}
