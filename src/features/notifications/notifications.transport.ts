import nodemailer from 'nodemailer';
import type { Config } from '../../config';

/** One message as the sender hands it to the transport. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<idempotency_key@host>`: the same message sent twice carries the same Message-ID. */
  messageId: string;
}

/** Where mail goes: nodemailer's SMTP transport in the app, built from SMTP_URL. */
export interface MailTransport {
  /** The sender address (MAIL_FROM, default qms-tracker@<SMTP host>). */
  readonly from: string;
  /** The right-hand side of the Message-IDs: the sender address's domain. */
  readonly host: string;
  /** Sends one message; the SMTP server's answer (`250 OK …`). Throws a SendError on failure. */
  send(mail: OutgoingMail): Promise<string>;
  close(): void;
}

/** A failed delivery: the reason, and whether retrying cannot help (a 5xx answer of the SMTP server). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** The host of an smtp:// URL (`mail.example.gov.vn`), or `localhost` when it cannot be read. */
export function smtpHostOf(smtpUrl: string): string {
  try {
    return new URL(smtpUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/** MAIL_FROM, or qms-tracker@<SMTP host>. */
export function mailFromOf(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): string {
  return config.mailFrom ?? `qms-tracker@${smtpHostOf(config.smtpUrl ?? 'smtp://localhost')}`;
}

/** The domain of an address as in `Name <user@domain>` or `user@domain`. */
export function domainOf(from: string): string {
  const match = /@([^\s>@]+)>?\s*$/.exec(from);
  return match ? match[1].toLowerCase() : 'localhost';
}

/** The reason of a nodemailer error, kept short for the outbox's last_error; permanent when the server answered 5xx. */
export function sendErrorOf(err: unknown): SendError {
  const e = err as { message?: unknown; responseCode?: unknown; response?: unknown; code?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = typeof e.response === 'string' && e.response ? e.response : typeof e.message === 'string' ? e.message : String(err);
  const prefix = typeof e.code === 'string' && !text.includes(e.code) ? `${e.code}: ` : '';
  return new SendError(`${prefix}${text}`.replace(/\s+/g, ' ').slice(0, 1000), code !== undefined && code >= 500 && code < 600);
}

/**
 * The SMTP transport of SMTP_URL, or undefined when e-mail is not configured. Timeouts are short (a minute at most
 * per message), well under the sender's lease, so that a message is never sent by two processes because one waited.
 */
export function mailTransportOf(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): MailTransport | undefined {
  if (!config.smtpUrl) return undefined;
  const from = mailFromOf(config);
  const transporter = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 }, { from });
  return {
    from,
    host: domainOf(from),
    async send(mail) {
      try {
        const info = await transporter.sendMail({ from, ...mail });
        return String(info.response ?? '').slice(0, 1000);
      } catch (err) {
        throw sendErrorOf(err);
      }
    },
    close: () => transporter.close(),
  };
}
