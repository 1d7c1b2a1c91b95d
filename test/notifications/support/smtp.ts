import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server inside the test process (smtp-server) on a port of 127.0.0.1 the system chose: it keeps every
 * message it accepts (envelope, headers, Message-ID, subject and plain text decoded), can refuse recipients with a 5xx
 * answer, and can go down and come back up (`down()`, `up()`): while down it resets every connection as it arrives,
 * as a mail server's host does when nothing listens there. The port stays this server's until `stop()`: closing it
 * while down let another test file's server take it, and the sender then met a server that never greeted it.
 */
export interface Received {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  messageId: string;
  subject: string;
  text: string;
  html: string;
}

/** `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words of a header, decoded. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
    );
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  const text = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

function split(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  return at < 0 ? { headers: parseHeaders(raw), body: '' } : { headers: parseHeaders(raw.slice(0, at)), body: raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') return decodeQp(body);
  return body;
}

/** The decoded part of a content type (text/plain or text/html) in a simple or multipart message. */
function partOf(headers: Record<string, string>, body: string, type: string): string {
  const ct = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  if (!boundary) return ct.toLowerCase().startsWith(type) ? decodeBody(headers, body) : '';
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const part = split(chunk.replace(/^\r?\n/, ''));
    const found = partOf(part.headers, part.body.replace(/\r?\n$/, ''), type);
    if (found) return found;
  }
  return '';
}

export class TestSmtp {
  readonly received: Received[] = [];
  /** Answer the RCPT of this address with this 5xx code and text (a mailbox that does not exist). */
  refuse = new Map<string, { code: number; message: string }>();
  private readonly smtp: SMTPServer = this.smtpServer();
  private running = true;
  private readonly front: Server = createServer((socket: Socket) => {
    if (this.running) this.smtp.connect(socket);
    else socket.resetAndDestroy();
  });
  private listeningOn = 0;

  static async start(): Promise<TestSmtp> {
    const smtp = new TestSmtp();
    await new Promise<void>((resolve, reject) => {
      smtp.front.once('error', reject);
      smtp.front.listen(0, '127.0.0.1', () => resolve());
    });
    smtp.front.on('error', () => undefined);
    smtp.listeningOn = (smtp.front.address() as AddressInfo).port;
    return smtp;
  }

  get port(): number {
    return this.listeningOn;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages received with this Message-ID (`<key@host>`). */
  withId(messageId: string): Received[] {
    return this.received.filter((m) => m.messageId === messageId);
  }

  /** The mail server is back: connections are answered again. */
  up(): Promise<void> {
    this.running = true;
    return Promise.resolve();
  }

  /** The mail server is down: every new connection is reset as it arrives (the port stays held). */
  down(): Promise<void> {
    this.running = false;
    return Promise.resolve();
  }

  /** Closes the port (the end of the test file). */
  async stop(): Promise<void> {
    this.running = false;
    await new Promise<void>((resolve) => this.front.close(() => resolve()));
  }

  private smtpServer(): SMTPServer {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refuse.get(address.address);
        if (!refusal) return callback();
        const err = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
        callback(err);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { headers, body } = split(raw);
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            headers,
            messageId: headers['message-id'] ?? '',
            subject: decodeWords(headers.subject ?? ''),
            text: partOf(headers, body, 'text/plain'),
            html: partOf(headers, body, 'text/html'),
          });
          callback(null);
        });
      },
    });
    server.on('error', () => undefined);
    return server;
  }
}
