import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import type { AppContext } from '../context';
import type { Db } from '../db/database';
import { HttpError } from '../http/errors';
import { findFile, insertFileIfAbsent } from './files.queries';

/**
 * Stored files: content-addressed by SHA-256 under `${config.filesPath}/<first two hex>/<sha256>`.
 * The type is detected from the content (magic bytes, `file-type`), never from the name, and only the
 * kinds listed in ALLOWED are kept. Writing goes to a temporary file in the same folder, then a rename,
 * so a reader never sees half a file; the same content is stored once.
 *
 * Uploads are kept by the transaction that records them (see `keepUpload`): `prepareUpload` checks the file and
 * copies it beside the store; the record's transaction writes the `files` row and moves the copy into place; a refusal
 * inside that transaction (403, 409, …) leaves neither row nor blob. `storeFile` stores at once, outside any
 * transaction (the demo data).
 */
export interface StoredFile {
  sha256: string;
  size: number;
  mime: string;
  ext: string;
  originalName: string;
}

/** The kinds of file we keep, by the extension `file-type` reports. */
export const ALLOWED: Readonly<Record<string, string>> = Object.freeze({
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  png: 'image/png',
  jpg: 'image/jpeg',
});

/** What a file input's `accept` attribute can say (a hint for the browser; the server checks the content). */
export const ACCEPT_ATTRIBUTE = '.pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg';

/** A file we refuse; `messageKey` is an i18n key (files.*) to show next to the file field. */
export class UploadRejected extends HttpError {
  constructor(messageKey: 'files.rejected_type' | 'files.empty' | 'files.missing') {
    super(422, messageKey);
    this.name = 'UploadRejected';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256.test(value);
}

/** Absolute-or-relative path of a stored file; throws for anything that is not a SHA-256 (no traversal). */
export function storedPath(filesPath: string, sha256: string): string {
  if (!isSha256(sha256)) throw new RangeError('not a sha256');
  return join(filesPath, sha256.slice(0, 2), sha256);
}

async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Multer (busboy) reads the file name of a multipart upload as latin1, so "Quy trình.pdf" arrives as
 * "Quy trÃ¬nh.pdf". Undo that when the bytes are valid UTF-8; a name that was decoded right stays as it is.
 */
export function uploadedFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern looks for
  if (!/[\u0080-\u00ff]/.test(name) || /[^\u0000-\u00ff]/.test(name)) return name;
  const decoded = Buffer.from(name, 'latin1').toString('utf8');
  return decoded.includes('\uFFFD') ? name : decoded;
}

/** A display name safe to keep: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern looks for
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return (clean || 'file').slice(0, 200);
}

/** The upload's hash, size and type by content; throws UploadRejected for an empty file or a type we do not keep. */
async function checkUpload(input: { buffer: Buffer } | { path: string }): Promise<{ sha256: string; size: number; mime: string; ext: string }> {
  const detected = 'buffer' in input ? await fileTypeFromBuffer(input.buffer) : await fileTypeFromFile(input.path);
  const { sha256, size } =
    'buffer' in input ? { sha256: createHash('sha256').update(input.buffer).digest('hex'), size: input.buffer.length } : await sha256OfFile(input.path);
  if (size === 0) throw new UploadRejected('files.empty');
  const mime = detected ? ALLOWED[detected.ext] : undefined;
  if (!detected || !mime) throw new UploadRejected('files.rejected_type');
  return { sha256, size, mime, ext: detected.ext };
}

/** Copies the upload into a new temporary file in the store's folder for its hash (a rename then puts it in place). */
async function copyBesideStore(filesPath: string, sha256: string, input: { buffer: Buffer } | { path: string }): Promise<string> {
  const dir = join(filesPath, sha256.slice(0, 2));
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    if ('buffer' in input) await writeFile(temp, input.buffer, { flag: 'wx' });
    else await copyFile(input.path, temp);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return temp;
}

export async function storeFile(ctx: AppContext, input: { buffer: Buffer } | { path: string }, originalName: string): Promise<StoredFile> {
  const file = await checkUpload(input);
  const target = storedPath(ctx.config.filesPath, file.sha256);
  if (!(await exists(target))) {
    const temp = await copyBesideStore(ctx.config.filesPath, file.sha256, input);
    try {
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
  await insertFileIfAbsent(ctx.db, { ...file, created_at: ctx.clock.now().toISOString() });
  return { ...file, originalName: cleanFileName(originalName) };
}

/** An upload checked and copied beside the store, not yet kept (see keepUpload). */
export interface PendingFile extends StoredFile {
  /** The copy, in the store's folder for the hash (a rename puts it in place). */
  readonly temp: string;
  readonly target: string;
}

/**
 * Checks an upload (type by content, not empty) and copies it into a temporary file of the store, without a `files`
 * row: nothing is kept yet. Throws UploadRejected for a file we do not keep. Call `keepUpload` to keep it.
 */
export async function prepareUpload(ctx: AppContext, input: { buffer: Buffer } | { path: string }, originalName: string): Promise<PendingFile> {
  const file = await checkUpload(input);
  const target = storedPath(ctx.config.filesPath, file.sha256);
  const temp = await copyBesideStore(ctx.config.filesPath, file.sha256, input);
  return { ...file, originalName: cleanFileName(originalName), temp, target };
}

/**
 * Inside the transaction that references the file: writes its `files` row and moves the copy into place (unless the
 * same content is already stored). Returns whether this call put the blob in place.
 */
async function keepInTransaction(trx: Db, ctx: AppContext, file: PendingFile): Promise<boolean> {
  await insertFileIfAbsent(trx, { sha256: file.sha256, size: file.size, mime: file.mime, ext: file.ext, created_at: ctx.clock.now().toISOString() });
  if (await exists(file.target)) return false;
  await rename(file.temp, file.target);
  return true;
}

/**
 * Runs `record` — the service call that references the upload — with a context whose first transaction keeps the file
 * before anything else: the file is kept exactly when that transaction commits. When it does not (the service refused
 * with 403 or 409, or failed), the blob it put in place is removed again unless another upload of the same content
 * was kept meanwhile; the temporary copy is always removed.
 */
export async function keepUpload<T>(ctx: AppContext, file: PendingFile, record: (ctx: AppContext) => Promise<T>): Promise<T> {
  let first = true;
  let placed = false;
  let committed = false;
  const db = new Proxy(ctx.db, {
    get(target, key) {
      if (key === 'transaction') {
        return () => {
          const builder = target.transaction();
          return {
            execute: async <R>(fn: (trx: Db) => Promise<R>): Promise<R> => {
              if (!first) return builder.execute(fn); // only the first transaction keeps the file
              first = false;
              const result = await builder.execute(async (trx) => {
                placed = await keepInTransaction(trx, ctx, file);
                return fn(trx);
              });
              committed = true;
              return result;
            },
          };
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  try {
    return await record({ ...ctx, db });
  } finally {
    await rm(file.temp, { force: true });
    if (placed && !committed) await removeUnkeptBlob(ctx, file);
  }
}

/** Drops a blob whose transaction rolled back, unless a `files` row (another upload's, committed since) now holds it. */
async function removeUnkeptBlob(ctx: AppContext, file: PendingFile): Promise<void> {
  // On the one connection, reserved: no other request's transaction can keep the same content between the check and the removal.
  await ctx.db.connection().execute(async (conn) => {
    if (!(await findFile(conn, file.sha256))) await rm(file.target, { force: true });
  });
}

/** Removes the temporary copy of an upload that will not be recorded (refused before its transaction). */
export async function discardUpload(file: PendingFile | undefined): Promise<void> {
  if (file) await rm(file.temp, { force: true });
}
