import { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType, type IBorderOptions } from 'docx';
import { PT } from './docx.letterhead';
import type { DocxBlock, DocxCell } from './docx.types';

/**
 * A figures table as offices keep them: thin black borders, the header rows repeated on every page (tblHeader),
 * no row split across pages (cantSplit), numbers right-aligned, the totals line bold.
 */
const THIN: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN };
const TABLE_SIZE = 12;

type TableBlock = Extract<DocxBlock, { kind: 'table' }>;

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

function cellOf(c: DocxCell, width: number, opts: { bold: boolean; align: 'left' | 'center' | 'right' }): TableCell {
  const spec = typeof c === 'string' ? { text: c } : c;
  const lines = spec.text.split('\n');
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    columnSpan: spec.colSpan,
    rowSpan: spec.rowSpan,
    verticalAlign: VerticalAlign.CENTER,
    margins: { left: 60, right: 60, top: 20, bottom: 20 },
    children: lines.map(
      (text) =>
        new Paragraph({
          alignment: ALIGN[spec.align ?? opts.align],
          spacing: { before: 0, after: 0 },
          children: [new TextRun({ text, bold: spec.bold ?? opts.bold, size: TABLE_SIZE * PT })],
        }),
    ),
  });
}

/** Column widths in twips from relative widths (equal columns when none are given). */
function widthsOf(block: TableBlock, total: number): number[] {
  const columns = Math.max(
    ...[...block.header, ...block.rows, ...(block.footer ?? [])].map((r) => r.reduce<number>((n, c) => n + (typeof c === 'string' ? 1 : (c.colSpan ?? 1)), 0)),
    1,
  );
  const rel = block.widths && block.widths.length === columns ? block.widths : Array.from({ length: columns }, () => 1);
  const sum = rel.reduce((a, b) => a + b, 0);
  return rel.map((w) => Math.floor((w / sum) * total));
}

/** The width of a cell spanning columns from `start`. */
function spanWidth(widths: number[], start: number, span: number): number {
  return widths.slice(start, start + span).reduce((a, b) => a + b, 0) || widths[0];
}

function rowOf(cells: DocxCell[], widths: number[], numeric: boolean[], kind: 'header' | 'body' | 'footer'): TableRow {
  let col = 0;
  const children = cells.map((c) => {
    const span = typeof c === 'string' ? 1 : (c.colSpan ?? 1);
    const align = kind === 'header' ? 'center' : numeric[col] ? 'right' : 'left';
    const out = cellOf(c, spanWidth(widths, col, span), { bold: kind !== 'body', align });
    col += span;
    return out;
  });
  return new TableRow({ children, cantSplit: true, tableHeader: kind === 'header' ? true : undefined });
}

export function figuresTable(block: TableBlock, width: number): Table {
  const widths = widthsOf(block, width);
  const numeric = block.numeric ?? [];
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    borders: BORDERS,
    rows: [
      ...block.header.map((r) => rowOf(r, widths, numeric, 'header')),
      ...block.rows.map((r) => rowOf(r, widths, numeric, 'body')),
      ...(block.footer ?? []).map((r) => rowOf(r, widths, numeric, 'footer')),
    ],
  });
}

/** Label/value pairs as a two-column table without borders, the label bold. */
export function factsTable(items: [string, string][], width: number): Table {
  const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const widths = [Math.round(width * 0.38), width - Math.round(width * 0.38)];
  const cell = (text: string, w: number, bold: boolean) =>
    new TableCell({
      width: { size: w, type: WidthType.DXA },
      borders: { top: NONE, bottom: NONE, left: NONE, right: NONE },
      children: text.split('\n').map((t) => new Paragraph({ spacing: { before: 20, after: 20 }, children: [new TextRun({ text: t, bold })] })),
    });
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
    rows: items.map(([label, value]) => new TableRow({ cantSplit: true, children: [cell(label, widths[0], true), cell(value, widths[1], false)] })),
  });
}
