import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { markdownPlainText } from '../../core/files';
import { searchFullText, type FullTextIndex } from '../../core/db/dialect/search';
import type { DocumentType } from './documents.tables';
import { cleanIndexText, foldSameLength, searchWords, snippetParts, HIT_START, type TextPart } from './documents.text';

/**
 * Full-text search over effective documents (FTS5 on SQLite, a tsvector under a GIN index on PostgreSQL: see
 * core/db/dialect/search.ts). Indexed columns hold diacritic-folded text of the same length as the original kept
 * beside it, so "thu tuc" finds "thủ tục" and the hits are shown on the original words. The index changes in the
 * same transaction as the revisions.
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

/** Literals (an integer and a type's name), so that the search statement keeps no parameter (see dialect/search.ts). */
function withinDocuments(w: SearchWithin) {
  if (w.type === undefined && w.procedureId === undefined) return undefined;
  let docs = sql`select id from documents where status = 'active'`;
  if (w.procedureId !== undefined) docs = sql`${docs} and procedure_id = ${sql.lit(Math.trunc(w.procedureId))}`;
  if (w.type !== undefined) docs = sql`${docs} and type = ${sql.lit(w.type)}`;
  return docs;
}

export interface SearchHit {
  documentId: number;
  title: TextPart[];
  snippet: TextPart[];
}

/** documents_fts: the folded code, title and body (code and title weigh more than the body), the originals beside. */
const INDEX: FullTextIndex = {
  table: 'documents_fts',
  key: 'document_id',
  columns: [
    { name: 'document_id' },
    { name: 'code', weight: 10 },
    { name: 'title', weight: 5 },
    { name: 'body', weight: 1 },
    { name: 'title_text' },
    { name: 'body_text' },
  ],
};

/**
 * Best matches first (code and title weigh more than the body), ties by document id; at most `limit`. The ranking,
 * highlights and snippets are the engine's (core/db/dialect/search.ts); the hits are then shown on the original words.
 */
export async function searchDocuments(db: Db, input: string, limit = 50, within: SearchWithin = {}): Promise<SearchHit[]> {
  const words = searchWords(input);
  if (words.length === 0 || limit <= 0) return [];
  const hits = await searchFullText(db, INDEX, {
    words,
    limit,
    keyIn: withinDocuments(within),
    highlight: 'title',
    snippet: { column: 'body', tokens: 24 },
    columns: ['title', 'title_text', 'body', 'body_text'],
  });
  return hits.map(({ key, highlight, snippet, row }) => ({
    documentId: key,
    title: snippetParts(highlight, row.title, row.title_text),
    snippet: snippet.includes(HIT_START) ? snippetParts(snippet, row.body, row.body_text) : [],
  }));
}
