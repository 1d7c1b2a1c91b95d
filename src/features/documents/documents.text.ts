import { ELLIPSIS, fts5Match, HIT_END, HIT_START, type MarkedText } from '../../core/db/dialect/search';
import { foldDiacritics } from '../../core/text/fold';

/**
 * Text helpers of the documents feature: diacritic folding that keeps every character's position (so a
 * search hit in the folded index maps back onto the original words), highlighted snippets as lists of parts that
 * templates print with {{#each}} (no HTML built here; the diff of two revisions: documents.compare.ts), and month
 * arithmetic.
 */
export interface TextPart {
  text: string;
  hit: boolean;
}
export interface DiffPart {
  text: string;
  added: boolean;
  removed: boolean;
}

const MARKS = /[\u0300-\u036f]/g;

/** foldDiacritics character by character: the result has exactly the length of the input. */
export function foldSameLength(text: string): string {
  // Runs of characters that fold to themselves (lower-case ASCII: most of a folded text) are copied whole.
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 && !(c >= 0x41 && c <= 0x5a)) continue;
    const wide = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const ch = wide ? text.slice(i, i + 2) : text[i];
    const f = wide ? foldChar(ch) : foldedUnit(c, ch);
    if (f !== ch) {
      out += text.slice(from, i) + f;
      from = i + ch.length;
    }
    if (wide) i++;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** One character (a code point) folded: no marks, lower case, đ → d; itself when that would change its length. */
function foldChar(ch: string): string {
  let f = ch === 'đ' || ch === 'Đ' ? 'd' : ch.normalize('NFD').replace(MARKS, '').toLowerCase();
  if (f.length !== ch.length) f = ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
  return f;
}

/** foldChar of the characters of one UTF-16 unit, remembered (a few hundred distinct characters in practice). */
const FOLDED_UNITS = new Map<number, string>();
function foldedUnit(code: number, ch: string): string {
  let f = FOLDED_UNITS.get(code);
  if (f === undefined) FOLDED_UNITS.set(code, (f = foldChar(ch)));
  return f;
}

/** Text to index: NFC, without control characters (our snippet markers are \u0002 and \u0003). */
export function cleanIndexText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern looks for
  return text.normalize('NFC').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');
}

/** The words to search for in what a user typed (diacritics folded, at most 12): every one must appear, as a prefix. */
export function searchWords(input: string): string[] {
  return foldDiacritics(input)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
}

/** The FTS5 query of what a user typed (SQLite). */
export function ftsQuery(input: string): string | undefined {
  const words = searchWords(input);
  return words.length === 0 ? undefined : fts5Match(words);
}

export { HIT_START, HIT_END };

/**
 * Turns FTS5's own snippet()/highlight() output (marked strings) of a folded column into parts of the ORIGINAL text:
 * the snippet is located in the folded column (same length as the original), then each piece is cut from the
 * original. The search itself marks ranges of the original directly (markedParts); this one reads FTS5's output, as
 * the tests that compare the two do.
 */
export function snippetParts(marked: string, folded: string, original: string): TextPart[] {
  let body = marked;
  const lead = body.startsWith(ELLIPSIS) && !folded.startsWith(ELLIPSIS);
  const trail = body.endsWith(ELLIPSIS) && !folded.endsWith(ELLIPSIS);
  if (lead) body = body.slice(ELLIPSIS.length);
  if (trail) body = body.slice(0, -ELLIPSIS.length);
  const plain = body.split(HIT_START).join('').split(HIT_END).join('');
  const start = folded.indexOf(plain);
  const source = start >= 0 && original.length === folded.length ? original : undefined;
  const parts: TextPart[] = [];
  if (lead) parts.push({ text: ELLIPSIS, hit: false });
  let offset = start;
  let hit = false;
  let piece = '';
  const flush = () => {
    if (piece === '') return;
    parts.push({ text: source ? source.slice(offset, offset + piece.length) : piece, hit });
    offset += piece.length;
    piece = '';
  };
  // The pieces between the marks (cut whole, not gathered a character at a time).
  for (let i = 0; ;) {
    const a = body.indexOf(HIT_START, i);
    const b = body.indexOf(HIT_END, i);
    const mark = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    piece = body.slice(i, mark < 0 ? body.length : mark);
    flush();
    if (mark < 0) break;
    hit = mark === a;
    i = mark + 1;
  }
  if (trail) parts.push({ text: ELLIPSIS, hit: false });
  return mergeHits(parts);
}

/** A text marked by the search (core/db/dialect/search.ts) as parts: its pieces, an ellipsis for text left out. */
export function markedParts(m: MarkedText): TextPart[] {
  const parts: TextPart[] = [];
  if (m.lead) parts.push({ text: ELLIPSIS, hit: false });
  for (const r of m.ranges) parts.push({ text: m.text.slice(r.start, r.end), hit: r.hit });
  if (m.trail) parts.push({ text: ELLIPSIS, hit: false });
  return mergeHits(parts);
}

/** "thủ" + " " + "tục", each a hit → one highlighted "thủ tục". */
function mergeHits(parts: TextPart[]): TextPart[] {
  const out: TextPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const last = out[out.length - 1];
    const next = parts[i + 1];
    if (last?.hit && !part.hit && /^\s+$/.test(part.text) && next?.hit) {
      last.text += part.text + next.text;
      i++;
    } else if (last?.hit && part.hit) last.text += part.text;
    else out.push({ ...part });
  }
  return out;
}

/** date + n months, the day clamped to the end of a shorter month (2026-01-31 + 1 → 2026-02-28). */
export function addMonthsIso(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
