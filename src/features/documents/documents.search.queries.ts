import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { markdownPlainText } from '../../core/files';
import { cleanIndexText, foldSameLength, ftsQuery, snippetParts, HIT_END, HIT_START, type TextPart } from './documents.text';

/**
 * Full-text search over effective documents (SQLite FTS5). Indexed columns hold diacritic-folded text of
 * the same length as the original kept beside it, so "thu tuc" finds "thủ tục" and the hits are shown on
 * the original words. The index changes in the same transaction as the revisions.
 */
export async function upsertSearchEntry(db: Db, entry: { documentId: number; code: string; title: string; body: string; fileName: string | null }): Promise<void> {
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

export interface SearchHit {
  documentId: number;
  title: TextPart[];
  snippet: TextPart[];
}

/** Best matches first (code and title weigh more than the body); at most `limit`. */
export async function searchDocuments(db: Db, input: string, limit = 50): Promise<SearchHit[]> {
  const match = ftsQuery(input);
  if (!match) return [];
  const { rows } = await sql<{ document_id: number; title_hl: string; body_snip: string; title: string; title_text: string; body: string; body_text: string }>`
    select document_id, highlight(documents_fts, 2, ${HIT_START}, ${HIT_END}) as title_hl,
      snippet(documents_fts, 3, ${HIT_START}, ${HIT_END}, '…', 24) as body_snip,
      title, title_text, body, body_text
    from documents_fts
    where documents_fts match ${match}
    order by bm25(documents_fts, 0, 10.0, 5.0, 1.0, 0, 0), document_id
    limit ${limit}`.execute(db);
  return rows.map((r) => ({
    documentId: Number(r.document_id),
    title: snippetParts(r.title_hl, r.title, r.title_text),
    snippet: r.body_snip.includes(HIT_START) ? snippetParts(r.body_snip, r.body, r.body_text) : [],
  }));
}
