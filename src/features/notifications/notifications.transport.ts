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

/**
 * The reason of a nodemailer error, kept short for the outbox's last_error, and whether it is permanent: the server
 * refused this message or its recipient with a 5xx answer (503 excepted: a wrong state of the session), or nodemailer
 * found the address unusable. A refused sign-in, a refused connection or a 5xx greeting concern the configuration or
 * the server, not the message: those are retried (the admin fixes SMTP_URL meanwhile).
 */
export function sendErrorOf(err: unknown): SendError {
  const e = err as { message?: unknown; responseCode?: unknown; response?: unknown; code?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = typeof e.response === 'string' && e.response ? e.response : typeof e.message === 'string' ? e.message : String(err);
  const prefix = code && !text.includes(code) ? `${code}: ` : '';
  const aboutMessage = code === 'EENVELOPE' || code === 'EMESSAGE';
  const permanent = aboutMessage && (status === undefined ? code === 'EENVELOPE' : status >= 500 && status < 600 && status !== 503);
  return new SendError(`${prefix}${text}`.replace(/\s+/g, ' ').slice(0, 1000), permanent);
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
