import type { DocxDocument, DocxLabels, DocxLetterhead } from '../../core/docx/docx.types';
import { translate, type Lang } from '../../core/i18n';
import { formatDateTime } from '../../core/views/format';
import type { Letterhead } from './organisation.print';

/**
 * The letterhead's words for a Word file, from the same keys and the same letterhead the print uses
 * (views/partials/reports/letterhead.hbs and signatures.hbs), so the .docx and the page never differ.
 */
export function docxLabels(lang: Lang, lh: Letterhead): DocxLabels {
  return {
    nation: translate(lang, 'reports.doc.nation'),
    motto: translate(lang, 'reports.doc.motto'),
    number: translate(lang, 'reports.doc.number'),
    placeDate: translate(lang, 'reports.doc.place_date', { place: lh.place, day: lh.day, month: lh.month, year: lh.year }),
    recipients: translate(lang, 'reports.doc.recipients'),
  };
}

/** The e-signature line the print shows in the signer's space, when the document is signed. */
export function signedNoteOf(lang: Lang, timeZone: string, signature: { signer_name: string; signed_at: string } | undefined | null): string | undefined {
  return signature ? translate(lang, 'reports.doc.e_signed', { name: signature.signer_name, at: formatDateTime(signature.signed_at, timeZone) }) : undefined;
}

/** The frame of a document: its letterhead and words; the caller adds the title, summary and body. */
export function docxFrame(lang: Lang, lh: Letterhead & { hideNumber?: boolean }): Pick<DocxDocument, 'lh' | 'labels'> {
  const frame: DocxLetterhead = lh;
  return { lh: frame, labels: docxLabels(lang, lh) };
}
