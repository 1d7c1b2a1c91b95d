import multer from 'multer';
import { tmpdir } from 'node:os';
import type { RequestHandler } from 'express';

/**
 * Uploads: one file per form, size-limited (multer answers LIMIT_FILE_SIZE → 413), no other file fields
 * accepted. Small imports stay in memory; large ones (dossier files) stream to a temporary file that the
 * handler removes when done. Type checks by content belong to the feature that knows what it expects.
 */
export function uploadToMemory(field: string, maxBytes: number): RequestHandler {
  return multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 50, fieldSize: 100_000 } }).single(
    field,
  );
}

export function uploadToDisk(field: string, maxBytes: number): RequestHandler {
  return multer({ dest: tmpdir(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 50, fieldSize: 100_000 } }).single(field);
}
