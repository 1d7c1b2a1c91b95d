import { AlignmentType, Document, Header, Packer, PageNumber, PageOrientation, Paragraph, TextRun, type FileChild } from 'docx';
import { letterheadTable, PT, signatureTable } from './docx.letterhead';
import { factsTable, figuresTable } from './docx.table';
import type { DocxBlock, DocxDocument } from './docx.types';

/**
 * An administrative document as a Word file (shared/domain/PRINT-FORMAT.md): A4, margins 20 mm top and bottom,
 * 30 mm left, 15 mm right, Times New Roman 13 pt, the letterhead, the title and summary line, the body, the
 * recipients and signer; page numbers centred in the header from page 2 on.
 */
const MM = 56.7; // twips per millimetre
const A4 = { width: 11906, height: 16838 }; // 210 × 297 mm
const MARGIN = { top: Math.round(20 * MM), bottom: Math.round(20 * MM), left: Math.round(30 * MM), right: Math.round(15 * MM) };
export const FONT = 'Times New Roman';
const BODY_SIZE = 13;

const JUSTIFY = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, justify: AlignmentType.JUSTIFIED } as const;

function blockOf(block: DocxBlock, width: number): FileChild[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ keepNext: true, spacing: { before: 200, after: 80 }, children: [new TextRun({ text: block.text, bold: true })] })];
    case 'paragraph': {
      const runs = block.label ? [new TextRun({ text: `${block.label} `, bold: true })] : [];
      runs.push(new TextRun({ text: block.text, bold: block.bold, italics: block.italic }));
      return [
        new Paragraph({
          alignment: JUSTIFY[block.align ?? 'justify'],
          spacing: { before: 60, after: 60 },
          indent: block.align === 'center' ? undefined : { firstLine: 0 },
          children: runs,
        }),
      ];
    }
    case 'note':
      return [
        new Paragraph({
          alignment: AlignmentType.JUSTIFIED,
          spacing: { before: 60, after: 60 },
          children: [new TextRun({ text: block.text, italics: true, size: 11 * PT })],
        }),
      ];
    case 'list':
      return block.items.map(
        (item, i) =>
          new Paragraph({
            alignment: AlignmentType.JUSTIFIED,
            spacing: { before: 40, after: 40 },
            indent: { left: 360, hanging: 360 },
            children: [new TextRun({ text: `${block.numbered ? `${i + 1}.` : '-'}\t${item}` })],
          }),
      );
    case 'facts':
      return [factsTable(block.items, width), new Paragraph({ children: [] })];
    case 'table':
      return [figuresTable(block, width), new Paragraph({ children: [] })];
  }
}

/** The Word file of a document, as bytes. */
export async function buildDocx(doc: DocxDocument): Promise<Buffer> {
  const pageWidth = doc.landscape ? A4.height : A4.width;
  const width = pageWidth - MARGIN.left - MARGIN.right;
  const title = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 360, after: 0 },
      children: [new TextRun({ text: doc.title.toLocaleUpperCase('vi'), bold: true, size: 14 * PT })],
    }),
    ...doc.summary.map(
      (s) =>
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 0, after: 0 }, children: [new TextRun({ text: s, bold: true, size: 14 * PT })] }),
    ),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 0, after: 240 }, children: [new TextRun({ text: '————', size: 10 * PT })] }),
  ];
  const header = new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] });
  const document = new Document({
    creator: doc.lh.office,
    title: doc.fileTitle ?? doc.title,
    styles: { default: { document: { run: { font: FONT, size: BODY_SIZE * PT }, paragraph: { spacing: { line: 276 } } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: A4.width, height: A4.height, orientation: doc.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
            margin: { ...MARGIN, header: Math.round(10 * MM), footer: Math.round(10 * MM) },
          },
        },
        headers: { default: header, first: new Header({ children: [new Paragraph({ children: [] })] }) },
        children: [
          letterheadTable(doc, width),
          ...title,
          ...doc.blocks.flatMap((b) => blockOf(b, width)),
          new Paragraph({ spacing: { before: 240 }, children: [] }),
          signatureTable(doc, width),
          ...(doc.after ?? []).flatMap((b) => blockOf(b, width)),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
