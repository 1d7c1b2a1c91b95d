import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The words of a printed PDF with their places, read by pdfjs-dist: what a layout test needs to say "no word beyond
 * the margin", "this figure is whole on one line", "the signer's name is on the same page as the last line".
 * Coordinates in points from the page's top-left corner (PDF's own origin is bottom-left).
 */
export interface PdfWord {
  text: string;
  page: number;
  x: number;
  /** The baseline, from the top of the page. */
  y: number;
  width: number;
  size: number;
}

export interface PdfPage {
  number: number;
  width: number;
  height: number;
  words: PdfWord[];
  /** The page's lines top to bottom, each the text of its words left to right (joined by single spaces). */
  lines: string[];
}

interface Piece {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

/** Splits a text run into its space-separated words, each placed in proportion to its characters. */
function piecesOf(str: string, x: number, y: number, width: number, size: number): Piece[] {
  const out: Piece[] = [];
  const perChar = str.length ? width / str.length : 0;
  for (const m of str.matchAll(/\S+/g)) {
    out.push({ text: m[0], x: x + m.index * perChar, y, width: m[0].length * perChar, size });
  }
  return out;
}

/**
 * Words of one page: pieces on one baseline that touch (a gap under a fifth of the font size: a word drawn in two
 * runs, e.g. a fallback glyph) are one word; a wider gap separates words (or table cells).
 */
function wordsOf(pieces: Piece[], page: number): PdfWord[] {
  const sorted = [...pieces].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: Piece[][] = [];
  for (const p of sorted) {
    const line = lines.find((l) => Math.abs(l[0].y - p.y) < Math.max(1, p.size * 0.2));
    if (line) line.push(p);
    else lines.push([p]);
  }
  const words: PdfWord[] = [];
  for (const line of lines) {
    line.sort((a, b) => a.x - b.x);
    let current: PdfWord | undefined;
    for (const p of line) {
      if (current && p.x - (current.x + current.width) < p.size * 0.15) {
        current.text += p.text;
        current.width = p.x + p.width - current.x;
      } else {
        current = { text: p.text, page, x: p.x, y: p.y, width: p.width, size: p.size };
        words.push(current);
      }
    }
  }
  return words;
}

export async function readPdf(pdf: Buffer | Uint8Array): Promise<PdfPage[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: PdfPage[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [, , width, height] = page.view;
      const content = await page.getTextContent();
      const pieces: Piece[] = [];
      for (const item of content.items) {
        if (!('str' in item) || !item.str.trim()) continue;
        const [a, b, , , e, f] = item.transform as number[];
        const size = Math.hypot(a, b);
        pieces.push(...piecesOf(item.str.normalize('NFC'), e, height - f, item.width, size));
      }
      const words = wordsOf(pieces, n);
      const byLine = new Map<number, PdfWord[]>();
      for (const w of words) {
        const key = [...byLine.keys()].find((y) => Math.abs(y - w.y) < Math.max(1, w.size * 0.2)) ?? w.y;
        byLine.set(key, [...(byLine.get(key) ?? []), w]);
      }
      const lines = [...byLine.entries()].sort((a, b) => a[0] - b[0]).map(([, ws]) => ws.map((w) => w.text).join(' '));
      pages.push({ number: n, width, height, words, lines });
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  return pages;
}
