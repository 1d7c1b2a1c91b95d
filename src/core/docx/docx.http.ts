import type { Response } from 'express';

/** The media type of a Word document (.docx). */
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The ASCII form of a file name: Vietnamese letters without their marks (đ → d), anything else outside
 * [A-Za-z0-9._-] as '-', for the plain `filename` that old clients read.
 */
export function asciiFileName(name: string): string {
  const plain = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+/, '');
  return plain.slice(-150) || 'document.docx';
}

/** Sends a Word file as a download: an ASCII `filename` and the exact name in `filename*` (RFC 5987). */
export function sendDocx(res: Response, body: Buffer, fileName: string): void {
  res.set('Content-Type', DOCX_TYPE);
  res.set('Content-Disposition', `attachment; filename="${asciiFileName(fileName)}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  res.send(body);
}
