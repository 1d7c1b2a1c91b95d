import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { BadRequest, Forbidden } from './errors';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * How much of a multipart body is read to find the token in its first part (the part's headers and the 43-character
 * token take about 150 bytes): a body whose first part does not end within this is refused.
 */
const MAX_FIRST_PART_BYTES = 16 * 1024;

/**
 * CSRF protection for every state-changing request: the session's token must come back in the `_csrf` field (or the
 * x-csrf-token header), and a request that names a foreign Origin is refused. A URL never carries the token (it would
 * stay in the history, the logs and Referer headers): for a multipart upload, `_csrf` is the form's FIRST field, read
 * here from the start of the body — before the upload handler parses or stores anything — and the bytes read are put
 * back for it. A multipart body without a boundary is refused with 400 before anything is read.
 */
export function csrfProtection() {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin && origin !== 'null') {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== req.get('host')) throw new Forbidden('error.csrf');
    } else if (origin === 'null') throw new Forbidden('error.csrf');
    const expected = req.sessionRow?.csrf_token;
    const header = req.get('x-csrf-token');
    if (req.is('multipart/*') && header === undefined) {
      const boundary = boundaryOf(req.get('content-type') ?? '');
      if (!boundary) throw new BadRequest('error.bad_multipart');
      if (!expected) throw new Forbidden('error.csrf');
      const first = await readFirstPart(req, boundary);
      if (!first || first.name !== '_csrf' || first.isFile || !safeEqual(first.value, expected)) {
        req.resume(); // the rest of the body is read and dropped, so that the client gets the answer
        throw new Forbidden('error.csrf');
      }
      return next();
    }
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
    const sent = fromBody ?? header;
    if (!sent || !expected || !safeEqual(sent, expected)) throw new Forbidden('error.csrf');
    next();
  };
}

/** The boundary parameter of a multipart Content-Type (RFC 2046: 1 to 70 characters), or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  for (const param of contentType.split(';').slice(1)) {
    const at = param.indexOf('=');
    if (at === -1 || param.slice(0, at).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(at + 1).trim();
    if (value.startsWith('"')) value = value.endsWith('"') && value.length >= 2 ? value.slice(1, -1).replace(/\\(.)/g, '$1') : '';
    return value.length >= 1 && value.length <= 70 ? value : undefined;
  }
  return undefined;
}

interface FirstPart {
  name: string;
  isFile: boolean;
  value: string;
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/**
 * The first part of a multipart body held in `buf`: undefined while more bytes are needed, null when the body does
 * not start with a part (or starts with the closing delimiter).
 */
function parseFirstPart(buf: Buffer, boundary: string): FirstPart | null | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  if (buf.length < delimiter.length + 2) return undefined;
  // The body starts with the delimiter (browsers send no preamble); anything else is not a form whose token comes first.
  if (!buf.subarray(0, delimiter.length).equals(delimiter)) return null;
  const afterDelimiter = buf.subarray(delimiter.length, delimiter.length + 2);
  if (!afterDelimiter.equals(CRLF)) return null; // "--" closes an empty body
  const headersStart = delimiter.length + 2;
  const headersEnd = buf.indexOf(HEADERS_END, headersStart);
  if (headersEnd === -1) return undefined;
  const valueStart = headersEnd + HEADERS_END.length;
  const valueEnd = buf.indexOf(Buffer.concat([CRLF, delimiter]), valueStart);
  if (valueEnd === -1) return undefined;
  let name: string | undefined;
  let isFile = false;
  for (const line of buf.subarray(headersStart, headersEnd).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1 || line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const disposition = line.slice(colon + 1);
    name = /(?:^|;)\s*name\s*=\s*(?:"([^"]*)"|([^;\s]*))/i
      .exec(disposition)
      ?.slice(1)
      .find((v) => v !== undefined);
    isFile = /(?:^|;)\s*filename\*?\s*=/i.test(disposition);
  }
  if (name === undefined) return null;
  return { name, isFile, value: buf.subarray(valueStart, valueEnd).toString('utf8') };
}

/**
 * Reads a multipart body up to the end of its first part and puts those bytes back (the upload handler then reads the
 * whole body as sent). Null when the body does not start with a complete part within MAX_FIRST_PART_BYTES.
 */
function readFirstPart(req: Request, boundary: string): Promise<FirstPart | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('readable', onReadable);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    function onReadable() {
      for (let chunk = req.read() as Buffer | null; chunk !== null; chunk = req.read() as Buffer | null) {
        chunks.push(chunk);
        size += chunk.length;
        const part = parseFirstPart(chunks.length === 1 ? chunk : Buffer.concat(chunks), boundary);
        if (part === undefined && size < MAX_FIRST_PART_BYTES) continue;
        stop();
        // Synchronously, in the same turn as the read: the stream has not announced its end, so the bytes can go back.
        req.unshift(Buffer.concat(chunks));
        resolve(part ?? null);
        return;
      }
    }
    function onEnd() {
      stop();
      resolve(null); // the whole body ended inside its first part
    }
    function onError(err: Error) {
      stop();
      reject(err);
    }
    req.on('readable', onReadable);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** `url` without any `_csrf` query parameter: for logs and links built from the request's URL. */
export function withoutCsrfToken(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => {
      const key = pair.split('=')[0];
      try {
        return decodeURIComponent(key.replace(/\+/g, ' ')) !== '_csrf';
      } catch {
        return true;
      }
    });
  return kept.length > 0 ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}
