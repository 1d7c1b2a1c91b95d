import { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type IBorderOptions } from 'docx';
import type { DocxDocument } from './docx.types';

/**
 * The letterhead (agency block left, national motto right) and the signature block (recipients left, signer right)
 * as borderless two-column tables, the way offices lay them out in Word (Nghị định 30/2020, Phụ lục I).
 */
export const PT = 2; // half-points per point
const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };
const CELL_NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE };

interface Line {
  text: string;
  size: number;
  bold?: boolean;
  italics?: boolean;
  /** A short rule under the line, `ruleIndent` twips in from each side of the column. */
  ruleIndent?: number;
  before?: number;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
}

function line(l: Line): Paragraph {
  return new Paragraph({
    alignment: l.align ?? AlignmentType.CENTER,
    spacing: { before: l.before ?? 0, after: 0 },
    border: l.ruleIndent !== undefined ? { bottom: RULE } : undefined,
    indent: l.ruleIndent !== undefined ? { left: l.ruleIndent, right: l.ruleIndent } : undefined,
    children: [new TextRun({ text: l.text, size: l.size * PT, bold: l.bold, italics: l.italics })],
  });
}

function cell(width: number, children: Paragraph[]): TableCell {
  return new TableCell({ width: { size: width, type: WidthType.DXA }, borders: CELL_NO_BORDERS, children });
}

function borderless(widths: [number, number], left: Paragraph[], right: Paragraph[]): Table {
  return new Table({
    width: { size: widths[0] + widths[1], type: WidthType.DXA },
    columnWidths: widths,
    borders: NO_BORDERS,
    rows: [new TableRow({ cantSplit: true, children: [cell(widths[0], left), cell(widths[1], right)] })],
  });
}

/** A rule about as wide as `chars` characters of `size` points, centred in a column `width` twips wide. */
function ruleIndentFor(width: number, chars: number, size: number): number {
  const textWidth = Math.round(chars * size * 0.5 * 20);
  return Math.max(0, Math.round((width - textWidth) / 2));
}

/** The two-column letterhead; `width` is the text width of the page in twips. */
export function letterheadTable(doc: DocxDocument, width: number): Table {
  const { lh, labels } = doc;
  const leftWidth = Math.round(width * 0.4);
  const rightWidth = width - leftWidth;
  const office = lh.office.toLocaleUpperCase('vi');
  const left: Paragraph[] = [
    line({ text: lh.parentAgency.toLocaleUpperCase('vi'), size: 13 }),
    line({ text: office, size: 13, bold: true, ruleIndent: ruleIndentFor(leftWidth, Math.min(office.length, 30) / 2, 13) }),
  ];
  if (!lh.hideNumber) {
    const number = `${labels.number} ${lh.numberText || '……'}/${lh.numberSuffix}`;
    left.push(line({ text: number, size: 13, before: 120 }));
  }
  const right: Paragraph[] = [
    line({ text: labels.nation, size: 13, bold: true }),
    line({ text: labels.motto, size: 14, bold: true, ruleIndent: ruleIndentFor(rightWidth, labels.motto.length, 14) }),
    line({ text: labels.placeDate, size: 14, italics: true, before: 120 }),
  ];
  return borderless([leftWidth, rightWidth], left, right);
}

/** Recipients bottom left ("Nơi nhận:" bold italic 12 pt, the list 11 pt), the signer bottom right. */
export function signatureTable(doc: DocxDocument, width: number): Table {
  const { lh, labels } = doc;
  const leftWidth = Math.round(width * 0.45);
  const rightWidth = width - leftWidth;
  const recipients = lh.recipients.map((r, i) => line({ text: `- ${r}${i === lh.recipients.length - 1 ? '.' : ';'}`, size: 11, align: AlignmentType.LEFT }));
  const left = [
    ...(doc.leftSigner
      ? [...signerLines(doc.leftSigner.title, doc.leftSigner.name, doc.leftSigner.signedNote), line({ text: '', size: 12, before: 240 })]
      : []),
    line({ text: labels.recipients, size: 12, bold: true, italics: true, align: AlignmentType.LEFT }),
    ...recipients,
  ];
  return borderless([leftWidth, rightWidth], left, signerLines(lh.signerTitle, lh.signerName, doc.signedNote));
}

/** A signer: each title line in bold capitals, the space to sign (with the e-signature line), the name in bold. */
function signerLines(title: string, name: string, signedNote: string | undefined): Paragraph[] {
  const titles = title
    .split(/\r?\n/)
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => line({ text: t.toLocaleUpperCase('vi'), size: 14, bold: true }));
  const space = signedNote
    ? [line({ text: signedNote, size: 11, italics: true, before: 360 }), line({ text: '', size: 14, before: 600 })]
    : [line({ text: '', size: 14, before: 1400 })];
  return [...titles, ...space, line({ text: name, size: 14, bold: true })];
}
