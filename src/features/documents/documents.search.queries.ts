import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { markdownPlainText } from '../../core/files';
import type { DocumentType } from './documents.tables';
import { cleanIndexText, foldSameLength, ftsQuery, snippetParts, HIT_END, HIT_START, type TextPart } from './documents.text';

/**
 * Full-text search over effective documents (SQLite FTS5). Indexed columns hold diacritic-folded text of
 * the same length as the original kept beside it, so "thu tuc" finds "thủ tục" and the hits are shown on
 * the original words. The index changes in the same transaction as the revisions.
 */
export async function upsertSearchEntry(
  db: Db,
  entry: { documentId: number; code: string; title: string; body: string; fileName: string | null },
): Promise<void> {
  const title = cleanIndexText(entry.title);
  const text = cleanIndexText([markdownPlainText(entry.body), entry.fileName ?? ''].filter(Boolean).join('\n'));
  await deleteSearchEntry(db, entry.documentId);
  await sql`insert into documents_fts (document_id, code, title, body, title_text, body_text)
    values (${entry.documentId}, ${foldSameLength(entry.code)}, ${foldSameLength(title)}, ${foldSameLength(text)}, ${title}, ${text})`.execute(db);
}

export async function deleteSearchEntry(db: Db, documentId: number): Promise<void> {
  await sql`delete from documents_fts where document_id = ${documentId}`.execute(db);
}

/** After a code or title change: the entry (if the document has one) follows. */
export async function updateSearchHeading(db: Db, documentId: number, code: string, title: string): Promise<void> {
  const clean = cleanIndexText(title);
  await sql`update documents_fts set code = ${foldSameLength(code)}, title = ${foldSameLength(clean)}, title_text = ${clean}
    where document_id = ${documentId}`.execute(db);
}

/**
 * The list's other filters, applied before the ranking (the best `limit` matches among that procedure's or type's
 * documents, not those of the best `limit` overall: at province scale a procedure has a handful of the thousands
 * of matches). Only rows that pass are scored.
 */
export interface SearchWithin {
  type?: DocumentType;
  procedureId?: number;
}

function withinClause(w: SearchWithin) {
  if (w.type === undefined && w.procedureId === undefined) return sql``;
  let docs = sql`select id from documents where status = 'active'`;
  if (w.procedureId !== undefined) docs = sql`${docs} and procedure_id = ${w.procedureId}`;
  if (w.type !== undefined) docs = sql`${docs} and type = ${w.type}`;
  return sql` and document_id in (${docs})`;
}

export interface SearchHit {
  documentId: number;
  title: TextPart[];
  snippet: TextPart[];
}

const RANK = sql`bm25(documents_fts, 0, 10.0, 5.0, 1.0, 0, 0)`;

/**
 * Best matches first (code and title weigh more than the body), ties by document id; at most `limit`.
 *
 * In two steps, because SQLite computes a row's selected columns before sorting: in one statement, highlight(),
 * snippet() and the stored texts (the whole content row, bodies included) were produced for every match, thousands
 * for common words, to keep a page of them. First the ranking, from the index alone (rowid and score: no content
 * row is read); then the texts, highlights and snippets of the page's rows only. "+rowid in (…)" is a filter that
 * FTS5 does not see (a plain "rowid in" would run the full-text query once per id), so the match runs once and
 * highlight()/snippet() are evaluated only for the rows that pass. highlight() and snippet() depend only on the row
 * and the query, so the output is the same as before.
 */
export async function searchDocuments(db: Db, input: string, limit = 50, within: SearchWithin = {}): Promise<SearchHit[]> {
  const match = ftsQuery(input);
  if (!match || limit <= 0) return [];
  const only = withinClause(within);

  // 1. The rows scoring at most the limit-th score (the rowid is not the document id, so ties at the boundary are
  //    all read and settled by document id below).
  let ranked: { rowid: number; score: number }[] = [];
  for (let take = limit + 1; ; take *= 2) {
    ({ rows: ranked } = await sql<{ rowid: number; score: number }>`
      select rowid, ${RANK} as score from documents_fts where documents_fts match ${match}${only}
      order by score, rowid limit ${take}`.execute(db));
    if (ranked.length < take || ranked[ranked.length - 1].score !== ranked[limit - 1].score) break;
  }
  if (ranked.length > limit) {
    const boundary = ranked[limit - 1].score;
    ranked = ranked.filter((r) => r.score <= boundary);
  }
  if (ranked.length === 0) return [];
  const scoreOf = new Map(ranked.map((r) => [Number(r.rowid), r.score]));
  const order = (a: { rowid: number; document_id: number }, b: { rowid: number; document_id: number }) => {
    const sa = scoreOf.get(Number(a.rowid))!;
    const sb = scoreOf.get(Number(b.rowid))!;
    return sa < sb ? -1 : sa > sb ? 1 : Number(a.document_id) - Number(b.document_id);
  };

  // 2. More rows than the limit only when several share the limit-th score: their document ids decide.
  let page = ranked.map((r) => Number(r.rowid));
  if (ranked.length > limit) {
    const { rows } = await sql<{ rowid: number; document_id: number }>`
      select rowid, document_id from documents_fts where rowid in (${sql.join(page)})`.execute(db);
    page = rows
      .sort(order)
      .slice(0, limit)
      .map((r) => Number(r.rowid));
  }

  // 3. Texts, highlights and snippets of the page's rows, in the order of step 1.
  const { rows } = await sql<{
    rowid: number;
    document_id: number;
    title_hl: string;
    body_snip: string;
    title: string;
    title_text: string;
    body: string;
    body_text: string;
  }>`
    select rowid, document_id, highlight(documents_fts, 2, ${HIT_START}, ${HIT_END}) as title_hl,
      snippet(documents_fts, 3, ${HIT_START}, ${HIT_END}, '…', 24) as body_snip,
      title, title_text, body, body_text
    from documents_fts
    where documents_fts match ${match} and +rowid in (${sql.join(page)})`.execute(db);
  return rows.sort(order).map((r) => ({
    documentId: Number(r.document_id),
    title: snippetParts(r.title_hl, r.title, r.title_text),
    snippet: r.body_snip.includes(HIT_START) ? snippetParts(r.body_snip, r.body, r.body_text) : [],
  }));
}
