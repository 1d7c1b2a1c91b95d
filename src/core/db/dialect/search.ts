import { sql, type Kysely, type RawBuilder } from 'kysely';
import { engineOf } from './engine';

/**
 * Full-text search over a table of diacritic-folded text columns (documents_fts), on either engine. The caller gives
 * the words to find (already folded; each one must appear, as the beginning of a word) and gets the best matches,
 * one column whole with its hits marked and a snippet of another, both exactly as FTS5's highlight() and snippet()
 * choose them, as ranges of the stored original texts (the folded columns have the same length as the originals).
 *
 * - SQLite: an FTS5 virtual table (MATCH, bm25 with the columns' weights).
 * - PostgreSQL: a plain table with a stored tsvector column `search_vector` (to_tsvector('simple', …) of the folded
 *   columns, every run of characters other than letters and digits made a space so that words split as FTS5's
 *   unicode61 tokenizer splits them; weights A, B, C… in the order of the weighted columns) under a GIN index
 *   (migration 2026_12_07_0900_documents_search_postgres); a prefix tsquery (`word:*` & …); ts_rank with the same
 *   weight ratios over a bounded set of candidates (searchPostgres), in one statement with the page's texts.
 * - On both, the hits and the snippet are found here (fts5HighlightRanges, fts5SnippetRanges: FTS5's own algorithm,
 *   checked against FTS5 by test/documents/search.test.ts) in the original text folded by the caller's `fold`, the
 *   function that made the indexed column: the database sends the originals only.
 * Best first, ties by key, at most `limit`. Table and column names are the caller's constants, never user input.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: the table is described by FullTextIndex
type AnyDb = Kysely<any>;

/** Marks around a hit, and what stands for text left out of a snippet (as given to FTS5's highlight()/snippet()). */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';
export const ELLIPSIS = '…';

export interface FullTextIndex {
  table: string;
  /** The integer column naming what a row is the entry of (one row per key). */
  key: string;
  /** Every column in the table's order (FTS5 addresses them by position); the searched ones with their weight. */
  columns: readonly { name: string; weight?: number }[];
}

export interface FullTextQuery {
  /** Folded words, each one a prefix; every one must appear. */
  words: readonly string[];
  limit: number;
  /** Only rows whose key this subquery selects (scored only if they pass). */
  keyIn?: RawBuilder<unknown>;
  /** The stored original of the column given whole, its hits marked. */
  highlight: string;
  /** The stored original of the column a snippet of at most `tokens` words is cut from, around its best hits. */
  snippet: { column: string; tokens: number };
  /** The folding that made the indexed column from the original (same length): the hits are found in fold(original). */
  fold: (original: string) => string;
  /**
   * Each key's row (a select with a column `key`), returned with its hit (`row`); a hit whose key has no row is left
   * out.
   */
  rows?: RawBuilder<unknown>;
}

/** A piece of a text: [start, end), a hit or not. */
export interface MarkedRange {
  start: number;
  end: number;
  hit: boolean;
}

/** A text (whole or a snippet of it) as pieces; `lead` and `trail`: text left out before and after (an ellipsis). */
export interface MarkedText {
  text: string;
  lead: boolean;
  trail: boolean;
  ranges: MarkedRange[];
}

export interface FullTextHit {
  key: number;
  highlight: MarkedText;
  snippet: MarkedText;
  row: Record<string, unknown>;
}

export async function searchFullText(db: AnyDb, index: FullTextIndex, query: FullTextQuery): Promise<FullTextHit[]> {
  if (query.words.length === 0 || query.limit <= 0) return [];
  return engineOf(db) === 'postgres' ? searchPostgres(db, index, query) : searchSqlite(db, index, query);
}

/** The FTS5 query: every word as a prefix ("tham"* "dinh"*); words hold only letters and digits. */
export function fts5Match(words: readonly string[]): string {
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

const ident = (name: string) => sql.ref(name);

// ---------------------------------------------------------------------------------------------------------------
// SQLite (FTS5)

/**
 * In steps, because SQLite computes a row's selected columns before sorting: in one statement, the stored texts (the
 * whole content row, bodies included) were read for every match, thousands for common words, to keep a page of them.
 * First the ranking, from the index alone (rowid and score: no content row is read); then the stored originals of
 * the page's rows only (by rowid), and their rows; the hits and snippets are marked here (markedHit).
 */
async function searchSqlite(db: AnyDb, index: FullTextIndex, q: FullTextQuery): Promise<FullTextHit[]> {
  const table = sql.table(index.table);
  const match = fts5Match(q.words);
  const limit = q.limit;
  const only = q.keyIn ? sql` and ${ident(index.key)} in (${q.keyIn})` : sql``;
  const rank = sql`bm25(${table}, ${sql.join(index.columns.map((c) => sql.lit(c.weight ?? 0)))})`;
  // 1. The rows scoring at most the limit-th score (the rowid is not the key, so ties at the boundary are all read
  //    and settled by key below).
  let ranked: { rowid: number; score: number }[] = [];
  for (let take = limit + 1; ; take *= 2) {
    ({ rows: ranked } = await sql<{ rowid: number; score: number }>`
      select rowid, ${rank} as score from ${table} where ${table} match ${match}${only}
      order by score, rowid limit ${take}`.execute(db));
    if (ranked.length < take || ranked[ranked.length - 1].score !== ranked[limit - 1].score) break;
  }
  if (ranked.length > limit) {
    const boundary = ranked[limit - 1].score;
    ranked = ranked.filter((r) => r.score <= boundary);
  }
  if (ranked.length === 0) return [];
  const scoreOf = new Map(ranked.map((r) => [Number(r.rowid), r.score]));
  const order = (a: { rowid: number; key: number }, b: { rowid: number; key: number }) => {
    const sa = scoreOf.get(Number(a.rowid))!;
    const sb = scoreOf.get(Number(b.rowid))!;
    return sa < sb ? -1 : sa > sb ? 1 : Number(a.key) - Number(b.key);
  };

  // 2. More rows than the limit only when several share the limit-th score: their keys decide.
  let page = ranked.map((r) => Number(r.rowid));
  if (ranked.length > limit) {
    const { rows } = await sql<{ rowid: number; key: number }>`
      select rowid, ${ident(index.key)} as key from ${table} where rowid in (${sql.join(page)})`.execute(db);
    page = rows
      .sort(order)
      .slice(0, limit)
      .map((r) => Number(r.rowid));
  }

  // 3. The stored originals of the page's rows (and their rows), in the order of step 1.
  const { rows: texts } = await sql<{ rowid: number; key: number; hl: string; snip: string }>`
    select rowid, ${ident(index.key)} as key, ${ident(q.highlight)} as hl, ${ident(q.snippet.column)} as snip
    from ${table} where rowid in (${sql.join(page)})`.execute(db);
  texts.sort(order);
  const rowOf = new Map<number, Record<string, unknown>>();
  if (q.rows) {
    const { rows } = await sql<Record<string, unknown> & { key: number }>`
      select * from (${q.rows}) x where x.key in (${sql.join(texts.map((t) => sql.lit(Number(t.key))))})`.execute(db);
    for (const r of rows) rowOf.set(Number(r.key), r);
  }
  return texts.flatMap((t) => {
    const key = Number(t.key);
    const row = q.rows ? rowOf.get(key) : {};
    return row ? [markedHit(q, key, t.hl, t.snip, row)] : [];
  });
}

/** A hit: the stored originals with the hits and the snippet found in their folded text. */
function markedHit(q: FullTextQuery, key: number, highlight: string, snippet: string, row: Record<string, unknown>): FullTextHit {
  return {
    key,
    highlight: { text: highlight, ...fts5HighlightRanges(q.fold(highlight), q.words) },
    snippet: { text: snippet, ...fts5SnippetRanges(q.fold(snippet), q.words, q.snippet.tokens) },
    row,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL (tsvector, GIN, ts_rank)

/** The stored tsvector column of the PostgreSQL table (see the migration). */
export const SEARCH_VECTOR = 'search_vector';

/** The tsquery text: every word as a prefix (with prefix false, as a whole word), all required ('tham':* & 'dinh':*). */
export function tsqueryText(words: readonly string[], prefix = true): string {
  return words.map((w) => `'${w.replace(/'/g, "''").replace(/\\/g, '\\\\')}'${prefix ? ':*' : ''}`).join(' & ');
}

/** ts_rank's weights {D, C, B, A}: the columns' weights (A the first weighted column) relative to the largest. */
export function tsRankWeights(index: FullTextIndex): number[] {
  const weights = index.columns.filter((c) => c.weight !== undefined).map((c) => c.weight!);
  if (weights.length > 4) throw new Error('PostgreSQL has four weights (A to D)');
  const top = Math.max(...weights);
  const byLetter = [0, 1, 2, 3].map((i) => (i < weights.length ? weights[i] / top : 0)); // A, B, C, D
  return byLetter.reverse();
}

/**
 * How many matches are ranked at most, from each of the two candidate sets (see searchPostgres): with 300, a query
 * matching 14,000 of 20,000 documents costs about 0.6 ms of backend CPU instead of 100 ms for ranking them all.
 */
export const RANKED_CANDIDATES = 300;

/** The stored tsvector of the key columns' heading (code and title) alone (migration 2026_12_08_1200_documents_search_candidates). */
export const HEAD_VECTOR = 'head_vector';

/**
 * The best matches with their stored originals, in one statement, then the caller's rows. ts_rank reads each ranked row's tsvector,
 * so it ranks a bounded set of candidates rather than every match (a query of common words matches most documents):
 * the newest RANKED_CANDIDATES matches (by key, newest first: the key's index walked backwards, each row checked
 * against the query) and the RANKED_CANDIDATES newest whose heading holds every word as a whole word (under their own
 * GIN index, however old they are). A query with fewer matches ranks all of them. With them, the page's rows' original
 * texts (not the folded copies, which fold() gives back). The statement carries no parameter (the query's words are letters and digits, the rest numbers and the caller's constants):
 * PostgreSQL plans it for these words every time (a generic plan, blind to how common the words are, read the GIN
 * index for a query matching most documents and cost 60 times more), and user text never fills the connection's
 * prepared statements.
 */
async function searchPostgres(db: AnyDb, index: FullTextIndex, q: FullTextQuery): Promise<FullTextHit[]> {
  const table = sql.table(index.table);
  const key = ident(index.key);
  const vector = ident(SEARCH_VECTOR);
  const query = sql`to_tsquery('simple', ${sql.lit(tsqueryText(q.words))})`;
  const whole = sql`to_tsquery('simple', ${sql.lit(tsqueryText(q.words, false))})`;
  const rank = (v: RawBuilder<unknown>) => sql`ts_rank(${sql.lit(`{${tsRankWeights(index).join(',')}}`)}::float4[], ${v}, ${query})`;
  const only = q.keyIn ? sql` and ${key} in (${q.keyIn})` : sql``;
  const newest = (match: RawBuilder<unknown>, columns: RawBuilder<unknown>) => sql`select ${columns} from ${table}
      where ${match}${only} order by ${key} desc limit ${sql.lit(RANKED_CANDIDATES)}`;
  // The heading's candidates are read as keys (thousands may match: only the chosen ones' tsvectors are read).
  const ranked = sql`
    select c.key, ${rank(sql`c.v`)} as rank from (${newest(sql`${vector} @@ ${query}`, sql`${key} as key, ${vector} as v`)}) c
    union
    select c.key, ${rank(sql`h.${vector}`)} from (${newest(sql`${ident(HEAD_VECTOR)} @@ ${whole}`, sql`${key} as key`)}) c
      join ${table} h on h.${key} = c.key
    order by rank desc, key limit ${sql.lit(q.limit)}`;
  const { rows: texts } = await sql<{ key: number; hl: string; snip: string }>`
    select r.key, t.${ident(q.highlight)} as hl, t.${ident(q.snippet.column)} as snip
    from (${ranked}) r join ${table} t on t.${key} = r.key order by r.rank desc, r.key`.execute(db);
  if (texts.length === 0) return [];
  const rowOf = new Map<number, Record<string, unknown>>();
  if (q.rows) {
    // A statement of its own, with the keys as one parameter: prepared once, its plan kept (planning the joins of the
    // caller's row with the ranking, every time, cost more than running both).
    const keys = texts.map((t) => Number(t.key));
    const { rows } = await sql<Record<string, unknown> & { key: number }>`
      select * from (${q.rows}) x where x.key = any(${keys})`.execute(db);
    for (const r of rows) rowOf.set(Number(r.key), r);
  }
  return texts.flatMap((t) => {
    const k = Number(t.key);
    const row = q.rows ? rowOf.get(k) : {};
    return row ? [markedHit(q, k, t.hl, t.snip, row)] : [];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// FTS5's highlight() and snippet(), in JavaScript (SQLite 3.4x, ext/fts5/fts5_aux.c), for a query of single-word
// prefix phrases over a column of folded text: the words split as unicode61 splits them (runs of letters, digits,
// marks and private-use characters); a word is a hit when it begins with one of the query's words.

/** The words of a text: token i is [start[i], end[i]); each (token, query word) pair where the word begins with the
 * query word is an instance, in token order: its token (at) and its query word (phrase). Arrays, not an object per
 * word: this runs over the body of every row of a page. */
interface Tokens {
  start: number[];
  end: number[];
  at: number[];
  phrase: number[];
}

/** One character of a word (unicode61's token characters), for a character beyond ASCII. */
const WORD_CHAR = /^[\p{L}\p{N}\p{M}\p{Co}]$/u;

/**
 * The words of the text (maximal runs of letters, digits, marks and private-use characters) with the query words
 * each begins with. A loop over character codes rather than a Unicode regular expression and an array per word: the
 * folded text is ASCII but for rare characters, and this runs over the body of every row of a page (50 bodies: it
 * was most of the search page's node CPU time).
 */
function tokens(text: string, words: readonly string[]): Tokens {
  const out: Tokens = { start: [], end: [], at: [], phrase: [] };
  const n = text.length;
  let i = 0;
  while (i < n) {
    let start = -1;
    let plain = true; // ASCII without capitals: the word is its own lower case
    while (i < n) {
      const c = text.charCodeAt(i);
      let width = 1;
      let word: boolean;
      if (c < 0x80) {
        word = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
        if (c >= 0x41 && c <= 0x5a) plain = false;
      } else {
        const point = text.codePointAt(i)!;
        width = point > 0xffff ? 2 : 1;
        word = WORD_CHAR.test(String.fromCodePoint(point));
        plain = false;
      }
      if (word) {
        if (start < 0) start = i;
        i += width;
      } else if (start >= 0) break;
      else {
        i += width;
        plain = true;
      }
    }
    if (start < 0) break;
    // A plain word is compared in place (a query word holds only letters and digits, so it cannot run past the word).
    const folded = plain ? text : text.slice(start, i).toLowerCase();
    const from = plain ? start : 0;
    const index = out.start.length;
    for (let p = 0; p < words.length; p++) {
      if (folded.startsWith(words[p], from)) {
        out.at.push(index);
        out.phrase.push(p);
      }
    }
    out.start.push(start);
    out.end.push(i);
  }
  return out;
}

/** The text with every hit between HIT_START and HIT_END (FTS5's highlight()). */
export function fts5Highlight(text: string, words: readonly string[]): string {
  return markedString(text, fts5HighlightRanges(text, words));
}

/** FTS5's highlight() as pieces: the whole text, the hits apart. */
export function fts5HighlightRanges(text: string, words: readonly string[]): Omit<MarkedText, 'text'> {
  return rangesOf(text, tokens(text, words), 0, Infinity, false);
}

/** FTS5's output: the pieces with every hit between HIT_START and HIT_END, an ellipsis for text left out. */
function markedString(text: string, m: Omit<MarkedText, 'text'>): string {
  let out = m.lead ? ELLIPSIS : '';
  for (const r of m.ranges) out += r.hit ? HIT_START + text.slice(r.start, r.end) + HIT_END : text.slice(r.start, r.end);
  return m.trail ? out + ELLIPSIS : out;
}

/**
 * Tokens [first, last] of the text as pieces, its hits apart: text before the first token only when it is token 0,
 * text after the last token when the range reaches the end (else `trail`, an ellipsis); `lead` when first > 0.
 */
function rangesOf(text: string, tk: Tokens, first: number, last: number, snippet: boolean): Omit<MarkedText, 'text'> {
  const count = tk.start.length;
  const ranges: MarkedRange[] = [];
  const begin = first > 0 && first < count ? tk.start[first] : 0;
  let plainFrom = begin;
  const end = Math.min(last, count - 1);
  // The hit words of the range (a word that begins with several query words is one hit).
  for (let k = 0, previous = -1; k < tk.at.length; k++) {
    const i = tk.at[k];
    if (i < first || i === previous) continue;
    if (i > end) break;
    previous = i;
    if (tk.start[i] > plainFrom) ranges.push({ start: plainFrom, end: tk.start[i], hit: false });
    ranges.push({ start: tk.start[i], end: tk.end[i], hit: true });
    plainFrom = tk.end[i];
  }
  const trail = snippet && last < count - 1;
  const stop = !trail ? text.length : end >= first ? tk.end[end] : begin;
  if (stop > plainFrom) ranges.push({ start: plainFrom, end: stop, hit: false });
  return { lead: first > 0, trail, ranges };
}

/** Token indexes that begin a sentence: the first, and any after white space that follows "." or ":". */
function sentenceStarts(text: string, tk: Tokens): number[] {
  const starts: number[] = tk.start.length > 0 ? [0] : [];
  for (let i = 1; i < tk.start.length; i++) {
    let j = tk.start[i] - 1;
    while (j >= 0 && ' \t\n\r'.includes(text[j])) j--;
    if (j !== tk.start[i] - 1 && j >= 0 && (text[j] === '.' || text[j] === ':')) starts.push(i);
  }
  return starts;
}

/** FTS5's snippet() of one column: the window of `size` tokens with the most distinct query words, sentences preferred. */
export function fts5Snippet(text: string, words: readonly string[], size: number): string {
  return markedString(text, fts5SnippetRanges(text, words, size));
}

/** FTS5's snippet() as pieces (see fts5Snippet). */
export function fts5SnippetRanges(text: string, words: readonly string[], size: number): Omit<MarkedText, 'text'> {
  const tk = tokens(text, words);
  const { at, phrase } = tk;
  const count = tk.start.length;
  // The query words already seen in the window being scored: seen[p] === stamp (no set per window).
  const seen = new Int32Array(words.length);
  let stamp = 0;
  const score = (from: number): { score: number; start: number } => {
    stamp++;
    let total = 0;
    let firstAt = -1;
    let lastEnd = 0;
    // The instances are in token order: the first one at or after `from`, by bisection.
    let lo = 0;
    for (let hi = at.length; lo < hi;) {
      const mid = (lo + hi) >> 1;
      if (at[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < at.length && at[k] < from + size; k++) {
      total += seen[phrase[k]] === stamp ? 1 : 1000;
      seen[phrase[k]] = stamp;
      if (firstAt < 0) firstAt = at[k];
      lastEnd = at[k] + 1;
    }
    let adjusted = firstAt - Math.trunc((size - (lastEnd - firstAt)) / 2);
    if (adjusted + size > count) adjusted = count - size;
    if (adjusted < 0) adjusted = 0;
    return { score: total, start: adjusted };
  };
  const firsts = at.length > 0 && count > size ? sentenceStarts(text, tk) : [];
  let best = 0;
  let bestStart = 0;
  let jj = 0; // the sentence of the instance: instances come in token order, so it only moves forward
  for (const instAt of at) {
    const s = score(instAt);
    if (s.score > best) {
      best = s.score;
      bestStart = s.start;
    }
    if (firsts.length > 0 && count > size) {
      for (; jj < firsts.length - 1; jj++) if (firsts[jj + 1] > instAt) break;
      if (firsts[jj] < instAt) {
        const sentence = score(firsts[jj]).score + (firsts[jj] === 0 ? 120 : 100);
        if (sentence > best) {
          best = sentence;
          bestStart = firsts[jj];
        }
      }
    }
  }
  return rangesOf(text, tk, bestStart, bestStart + size - 1, true);
}
