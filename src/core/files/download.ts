import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { AppContext } from '../context';
import { NotFound } from '../http/errors';
import { cleanFileName, isSha256, storedPath } from './store';

/**
 * `Content-Disposition: attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 5987/6266),
 * so "Quy trình.pdf" downloads under its Vietnamese name and nothing in it can break the header.
 */
export function contentDisposition(downloadName: string): string {
  const name = cleanFileName(downloadName);
  const ascii =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/["\\;]/g, '_') || 'file';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Sends a stored file as a download. 404 when the hash is malformed or the file is missing. */
export async function sendStoredFile(ctx: AppContext, res: Response, sha256: string, downloadName: string, mime: string): Promise<void> {
  if (!isSha256(sha256)) throw new NotFound();
  const path = storedPath(ctx.config.filesPath, sha256);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new NotFound();
    size = info.size;
  } catch {
    throw new NotFound();
  }
  res.status(200);
  res.set({
    'Content-Type': mime,
    'Content-Length': String(size),
    'Content-Disposition': contentDisposition(downloadName),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  });
  try {
    await pipeline(createReadStream(path), res);
  } catch (err) {
    // The client went away mid-download (closed the tab, cancelled): nothing to answer and nothing to log.
    if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || res.destroyed) return;
    throw err;
  }
}
