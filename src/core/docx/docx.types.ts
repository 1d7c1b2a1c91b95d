/**
 * The parts of an administrative document as Word writes it (shared/domain/PRINT-FORMAT.md, Nghị định 30/2020):
 * the caller turns its print's view model into these blocks, already translated and formatted, so the Word file
 * says exactly what the printed page says.
 */

/** One table cell: its text, or the text with its span and weight (a header cell over several columns or rows). */
export type DocxCell = string | { text: string; colSpan?: number; rowSpan?: number; bold?: boolean; align?: 'left' | 'center' | 'right' };

export type DocxBlock =
  /** A section heading (h2 of the print). */
  | { kind: 'heading'; text: string }
  /** A body paragraph, justified; `label` is written bold before the text ("Trạng thái: …"). */
  | { kind: 'paragraph'; text: string; label?: string; italic?: boolean; bold?: boolean; align?: 'left' | 'center' | 'justify' }
  /** A smaller, italic note (counting rules, generated-at line). */
  | { kind: 'note'; text: string }
  /** A list of lines, each written as its own paragraph with the given marker ("1.", "-", "✓"). */
  | { kind: 'list'; items: string[]; numbered?: boolean }
  /** Label/value pairs (the print's facts list), as a two-column table. */
  | { kind: 'facts'; items: [string, string][] }
  /**
   * A table: `header` rows repeat on every page, no row splits across pages; `widths` are relative column widths;
   * `numeric` columns are right-aligned; `footer` rows (the totals line) are bold.
   */
  | { kind: 'table'; header: DocxCell[][]; rows: DocxCell[][]; footer?: DocxCell[][]; widths?: number[]; numeric?: boolean[] };

/** The words of the letterhead and signature block, translated by the caller (reports.doc.* keys). */
export interface DocxLabels {
  nation: string;
  motto: string;
  /** "Số:" */
  number: string;
  /** The whole place-and-date line, "Nghĩa Hưng, ngày 05 tháng 3 năm 2026". */
  placeDate: string;
  /** "Nơi nhận:" */
  recipients: string;
}

/**
 * The letterhead of a document: the fields of the organisation's `Letterhead` (organisation.print.ts) that Word
 * writes, so any letterhead the print uses (from the settings or frozen in an issued document) fits as it is.
 * `signerTitle` may hold several lines ("KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG"); `hideNumber` drops the number line.
 */
export interface DocxLetterhead {
  parentAgency: string;
  office: string;
  numberText: string;
  numberSuffix: string;
  signerTitle: string;
  signerName: string;
  recipients: readonly string[];
  hideNumber?: boolean;
}

export interface DocxDocument {
  lh: DocxLetterhead;
  labels: DocxLabels;
  /** The document type in bold capitals ("BÁO CÁO", "BIÊN BẢN"). */
  title: string;
  /** The summary line(s) under the title, bold (trích yếu). */
  summary: string[];
  blocks: DocxBlock[];
  /** Landscape pages (the all-procedures summary's wide table). */
  landscape?: boolean;
  /** A line in the signer's space, such as "Đã ký điện tử bởi … lúc …". */
  signedNote?: string;
  /**
   * A second signer above the recipients, bottom left (the lead auditor of an audit report, the person who prepared
   * a document), with the e-signature line in its space when signed.
   */
  leftSigner?: { title: string; name: string; signedNote?: string };
  /** Lines written after the signature block (the "figures as of" line). */
  after?: DocxBlock[];
  /** Document title in the file's properties. */
  fileTitle?: string;
}
