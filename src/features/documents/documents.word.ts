import type { Readable } from 'node:stream';
import mammoth from 'mammoth';
import type { CentralDirectoryFile } from 'unzipper';
import { sanitizeHtml } from './documents.html';

/**
 * A revision written in Word (issue 25): the uploaded .docx read into HTML for the screen with mammoth, then made safe
 * (documents.html.ts). Before mammoth sees a byte, the zip is checked: a .docx is a zip of XML files that mammoth
 * unpacks in memory, so a small file that unpacks to gigabytes, or one with thousands of entries, is refused, as is
 * a zip without a Word document inside. Images are dropped from the screen text (they stay in the original file,
 * which remains downloadable); no file outside the upload is ever read (externalFileAccess off).
 */
export const DOCX_LIMITS = Object.freeze({
  entries: 2000,
  /** Every entry together, unpacked (counted while inflating: a header can lie). */
  totalBytes: 100 * 1024 * 1024,
  /** The HTML kept as the revision's content. */
  htmlChars: 2_000_000,
});

/** Why a Word file cannot be read: the i18n key shown next to the file field. */
export class DocxUnreadable extends Error {
  constructor(readonly messageKey: 'documents.error.docx_damaged' | 'documents.error.docx_too_large' | 'documents.error.docx_empty') {
    super(messageKey);
    this.name = 'DocxUnreadable';
  }
}

type StreamedFile = CentralDirectoryFile & { stream(): Readable };

async function checkZip(buffer: Buffer): Promise<void> {
  const unzipper = (await import('unzipper')).default;
  let files: StreamedFile[];
  try {
    files = (await unzipper.Open.buffer(buffer)).files as StreamedFile[];
  } catch {
    throw new DocxUnreadable('documents.error.docx_damaged');
  }
  if (files.length > DOCX_LIMITS.entries) throw new DocxUnreadable('documents.error.docx_too_large');
  if (!files.some((f) => f.path === 'word/document.xml')) throw new DocxUnreadable('documents.error.docx_damaged');
  let declared = 0;
  for (const f of files) declared += f.uncompressedSize;
  if (declared > DOCX_LIMITS.totalBytes) throw new DocxUnreadable('documents.error.docx_too_large');
  let total = 0;
  for (const f of files) {
    if (f.type !== 'File') continue;
    try {
      for await (const chunk of f.stream()) {
        total += (chunk as Buffer).length;
        if (total > DOCX_LIMITS.totalBytes) throw new DocxUnreadable('documents.error.docx_too_large');
      }
    } catch (err) {
      if (err instanceof DocxUnreadable) throw err;
      throw new DocxUnreadable('documents.error.docx_damaged');
    }
  }
}

/** Images are not shown on screen: an <img> without an address, which the sanitiser then drops. */
const noImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

/** The safe HTML of a Word file; throws DocxUnreadable for a damaged, oversized or empty one. */
export async function readDocx(buffer: Buffer): Promise<string> {
  await checkZip(buffer);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer }, { convertImage: noImages, externalFileAccess: false })).value;
  } catch {
    throw new DocxUnreadable('documents.error.docx_damaged');
  }
  const safe = sanitizeHtml(html);
  if (safe.length > DOCX_LIMITS.htmlChars) throw new DocxUnreadable('documents.error.docx_too_large');
  if (safe.replace(/<[^>]*>/g, '').trim() === '') throw new DocxUnreadable('documents.error.docx_empty');
  return safe;
}
