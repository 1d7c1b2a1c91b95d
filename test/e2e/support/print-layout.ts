import type { Page } from 'playwright-core';
import { readPdf, type PdfPage, type PdfWord } from './pdf-words';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they use here.
declare const document: any, getComputedStyle: any;

/** What the printed document says, read from the page as laid out for print (print media, no screen-only parts). */
export interface PrintedFacts {
  /** Every word of the document, with how many times it occurs. */
  words: Record<string, number>;
  /** The words written in table cells (headers and figures): each must print whole as often as it occurs. */
  tableWords: string[];
  /** The words of the letterhead's agency block and of its motto block. */
  agency: string[];
  nation: string[];
  /** The words of "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", which print on one line. */
  nationLine: string[];
  /** The summary line under the title (trích yếu) has its short rule under it. */
  summaryRule: boolean;
  /** The last words before the first signature block, the first words of that block, and every signer's name. */
  lastBodyWords: string[];
  signatureWords: string[];
  signerNames: string[];
  /** Each heading's first words with the first words of what follows it. */
  headings: { heading: string[]; next: string[] }[];
}

export interface Printed {
  pdf: Buffer;
  pages: PdfPage[];
  facts: PrintedFacts;
}

/** mm → PDF points. */
export const mm = (n: number) => (n * 72) / 25.4;

/** Opens a document, prints it to PDF with its own @page sizes (as "Save as PDF" does), and reads both. */
export async function printDocument(page: Page, url: string): Promise<Printed> {
  const response = await page.goto(url);
  if (!response || response.status() >= 400) throw new Error(`${url}: HTTP ${response?.status()}`);
  await page.emulateMedia({ media: 'print' });
  await page.evaluate('document.fonts.ready.then(() => true)');
  const facts = await page.evaluate((): PrintedFacts => {
    const tokens = (el: any): string[] => (el ? String(el.innerText).split(/\s+/).filter(Boolean) : []);
    const root = document.querySelector('article.doc-page') ?? document.querySelector('main');
    const words: Record<string, number> = {};
    for (const w of tokens(root)) words[w] = (words[w] ?? 0) + 1;
    const visible = (el: any) => el.getClientRects().length > 0 && String(el.innerText).trim() !== '';
    const cells = [...root.querySelectorAll('th, td')].filter(visible);
    const signatures = root.querySelector('.doc-signatures');
    let before = signatures?.previousElementSibling;
    while (before && !visible(before)) before = before.previousElementSibling;
    return {
      words,
      tableWords: [...new Set(cells.flatMap(tokens))],
      agency: tokens(root.querySelector('.doc-header > :first-child')),
      nation: tokens(root.querySelector('.doc-header > :last-child')),
      nationLine: tokens(root.querySelector('.doc-header .motto-nation')),
      summaryRule: (() => {
        const summary = root.querySelector('.doc-summary');
        if (!summary) return false;
        const rule = getComputedStyle(summary, '::after');
        return rule.display === 'block' && parseFloat(rule.borderTopWidth) > 0 && parseFloat(rule.width) > 0;
      })(),
      lastBodyWords: tokens(before).slice(-3),
      signatureWords: tokens(signatures).slice(0, 2),
      headings: [...root.querySelectorAll('h2, h3')].filter(visible).map((h: any) => {
        let next = h.nextElementSibling;
        while (next && !visible(next)) next = next.nextElementSibling;
        return { heading: tokens(h).slice(0, 4), next: tokens(next).slice(0, 2) };
      }),
      signerNames: [...root.querySelectorAll('.signer-name')].filter(visible).map((el: any) => String(el.innerText).trim()),
    };
  });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
  await page.emulateMedia({ media: 'screen' });
  return { pdf, pages: await readPdf(pdf), facts };
}

/** Words drawn outside the page's left and right margins (page number in the top margin included: it is centred). */
export function wordsBeyondMargins(pages: PdfPage[], left = mm(30), right = mm(15), tolerance = 1.5): string[] {
  return pages.flatMap((p) =>
    p.words
      .filter((w) => w.x < left - tolerance || w.x + w.width > p.width - right + tolerance)
      .map((w) => `p.${p.number} "${w.text}" at x ${w.x.toFixed(1)}–${(w.x + w.width).toFixed(1)} of ${p.width.toFixed(0)}`),
  );
}

/**
 * Table words that did not print whole: a word split across two lines ("Tổ" / "ng", "1.9" / "48") or cut off by the
 * page's edge prints fewer times whole than the document holds it. Answers each such word with both counts.
 */
export function splitTableWords(printed: Printed): string[] {
  const inPdf = new Map<string, number>();
  for (const w of printed.pages.flatMap((p) => p.words)) inPdf.set(w.text, (inPdf.get(w.text) ?? 0) + 1);
  // a compound of syllables joined by hyphens ("Căm-pu-chi-a", no digits: not a code) may break after a hyphen, as
  // every word processor breaks it; each syllable stays whole
  const brokenAtHyphen = (w: string) =>
    /^\p{L}+(-\p{L}+)+$/u.test(w) ? [...inPdf.keys()].filter((head) => head.endsWith('-') && w.startsWith(head) && inPdf.has(w.slice(head.length))).length : 0;
  return printed.facts.tableWords
    .filter((w) => (inPdf.get(w) ?? 0) + brokenAtHyphen(w) < (printed.facts.words[w] ?? 0))
    .map((w) => `"${w}": ${inPdf.get(w) ?? 0} whole of ${printed.facts.words[w]}`);
}

/** The first place a run of words prints on one line, in reading order; undefined when it never does. */
export function find(pages: PdfPage[], run: string[], from?: { page: number; y: number }): PdfWord | undefined {
  for (const p of pages) {
    if (from && p.number < from.page) continue;
    const lines = new Map<number, PdfWord[]>();
    for (const w of p.words) {
      const key = [...lines.keys()].find((y) => Math.abs(y - w.y) < 2) ?? w.y;
      lines.set(key, [...(lines.get(key) ?? []), w]);
    }
    for (const [y, ws] of [...lines.entries()].sort((a, b) => a[0] - b[0])) {
      if (from && p.number === from.page && y < from.y) continue;
      ws.sort((a, b) => a.x - b.x);
      for (let i = 0; i + run.length <= ws.length; i++) if (run.every((r, j) => ws[i + j].text === r)) return ws[i];
    }
  }
  return undefined;
}

/**
 * The letterhead's two blocks apart: above the title, every word only the agency block holds ends left of where
 * every word only the motto block holds starts, and the national motto keeps to one line. Answers what is wrong.
 */
export function letterheadProblems(printed: Printed): string[] {
  const { agency, nation } = printed.facts;
  const first = printed.pages[0];
  const motto = find([first], nation.slice(0, 2));
  if (!motto) return [`the motto "${nation.slice(0, 2).join(' ')}" is not on the first page`];
  const top = first.words.filter((w) => w.y < motto.y + 6 * motto.size);
  const onlyAgency = top.filter((w) => agency.includes(w.text) && !nation.includes(w.text));
  const onlyNation = top.filter((w) => nation.includes(w.text) && !agency.includes(w.text));
  const problems: string[] = [];
  const agencyRight = Math.max(...onlyAgency.map((w) => w.x + w.width));
  const nationLeft = Math.min(...onlyNation.map((w) => w.x));
  if (!(agencyRight + mm(3) <= nationLeft)) problems.push(`agency block ends at ${agencyRight.toFixed(1)}, motto block starts at ${nationLeft.toFixed(1)}`);
  if (!find([first], printed.facts.nationLine)) problems.push(`"${printed.facts.nationLine.join(' ')}" wraps`);
  return problems;
}

/** The page a run of words prints on (the last time it does, for the document's last lines). */
export function pageOf(pages: PdfPage[], run: string[], last = false): number | undefined {
  const found: number[] = [];
  for (const p of pages) if (find([p], run)) found.push(p.number);
  return last ? found.at(-1) : found[0];
}

/** Headings left alone at the foot of a page: the first words of what follows print on a later page. */
export function orphanedHeadings(pages: PdfPage[], headings: PrintedFacts['headings']): string[] {
  const problems: string[] = [];
  let from: { page: number; y: number } | undefined;
  for (const { heading, next } of headings) {
    const at = find(pages, heading, from);
    if (!at) {
      problems.push(`"${heading.join(' ')}" not printed on one line`);
      continue;
    }
    from = { page: at.page, y: at.y };
    const after = next.length ? find(pages, next, { page: at.page, y: at.y + 1 }) : undefined;
    if (after && after.page !== at.page) problems.push(`"${heading.join(' ')}" on page ${at.page}, "${next.join(' ')}" on page ${after.page}`);
  }
  return problems;
}
