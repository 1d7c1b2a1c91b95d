import multer from 'multer';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { BadRequest } from './errors';
import { holdsNul } from './nul';

/**
 * Uploads: one file per form, size-limited (multer answers LIMIT_FILE_SIZE → 413), no other file fields
 * accepted. Small imports stay in memory; large ones (dossier files) stream to a temporary file that the
 * handler removes when done. Type checks by content belong to the feature that knows what it expects.
 * The form's fields and the file's name are held to the rule of every form (core/http/nul.ts): one holding a NUL
 * character is refused with 400, and a file already written to the temporary folder is removed.
 */
export function uploadToMemory(field: string, maxBytes: number): RequestHandler {
  return withoutNul(
    multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 50, fieldSize: 100_000 } }).single(
      field,
    ),
  );
}

export function uploadToDisk(field: string, maxBytes: number): RequestHandler {
  return withoutNul(
    multer({ dest: tmpdir(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 50, fieldSize: 100_000 } }).single(field),
  );
}

function withoutNul(parse: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!holdsNul(req.body) && !holdsNul(req.file?.originalname)) return next();
      const written = req.file?.path;
      void (written ? rm(written, { force: true }) : Promise.resolve()).finally(() => next(new BadRequest()));
    });
}
