import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { markdownPlainText } from '../../core/files';
import { searchFullText, type FullTextIndex, type FullTextQuery, type MarkedText } from '../../core/db/dialect/search';
import type { DocumentType } from './documents.tables';
import type { CurrentRow } from './documents.queries';
import { inForceIdNow } from './documents.inforce.queries';
import { cleanIndexText, foldSameLength, markedParts, searchWords, type TextPart } from './documents.text';

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
    select id, ${foldSameLength(entry.code)}, ${foldSameLength(title)}, ${foldSameLength(text)}, ${title}, ${text} from ${ownDocument(db, entry.documentId)} d`.execute(
    db,
  );
}

/** documents_fts has no organisation column: an entry is the organisation's when its document is. */
const ownDocument = (db: Db, documentId: number) => sql`(select id from documents where id = ${documentId} and organisation_id = ${organisationOf(db)})`;

export async function deleteSearchEntry(db: Db, documentId: number): Promise<void> {
  await sql`delete from documents_fts where document_id in ${ownDocument(db, documentId)}`.execute(db);
}

/** After a code or title change: the entry (if the document has one) follows. */
export async function updateSearchHeading(db: Db, documentId: number, code: string, title: string): Promise<void> {
  const clean = cleanIndexText(title);
  await sql`update documents_fts set code = ${foldSameLength(code)}, title = ${foldSameLength(clean)}, title_text = ${clean}
    where document_id in ${ownDocument(db, documentId)}`.execute(db);
}

/**
 * The list's other filters, applied before the ranking (the best `limit` matches among that procedure's or type's
 * documents, not those of the best `limit` overall: at province scale a procedure has a handful of the thousands
 * of matches). Only rows that pass are scored.
 */
export interface SearchWithin {
  type?: DocumentType;
  procedureId?: number;
  /** The organisation's local date: the results are the revisions in force on it (documents.inforce.queries). */
  today?: string;
}

/**
 * The organisation's active documents (documents_fts has no organisation column: its entries are filtered through
 * their document), within the list's filters. Literals (integers and a type's name), so that the search statement
 * keeps no parameter (see dialect/search.ts).
 */
function withinDocuments(organisationId: number, w: SearchWithin) {
  let docs = sql`select id from documents where organisation_id = ${sql.lit(Math.trunc(organisationId))} and status = 'active'`;
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

/** The current documents (as listCurrentDocuments gives them: active, with their revision in force), by key. */
function currentRows(within: SearchWithin): RawBuilder<unknown> {
  let rows = sql`select d.id as key, d.id, d.code, d.title, d.type, d.procedure_id, p.code as procedure_code,
      p.title as procedure_title, u.code as unit_code, r.id as revision_id, r.revision_no, r.effective_from,
      case when r.file_sha256 is null then 0 else 1 end as has_file
    from documents d cross join document_revisions r
      left join procedures p on p.id = d.procedure_id
      left join units u on u.id = d.owner_unit_id
    where ${within.today === undefined ? sql`r.document_id = d.id and r.status = 'effective'` : sql`r.id = ${inForceIdNow(sql.ref('d.id'), within.today)}`}
      and d.status = 'active'`;
  if (within.procedureId !== undefined) rows = sql`${rows} and d.procedure_id = ${within.procedureId}`;
  if (within.type !== undefined) rows = sql`${rows} and d.type = ${within.type}`;
  return rows;
}

function hitOf(key: number, highlight: MarkedText, snippet: MarkedText): SearchHit {
  return {
    documentId: key,
    title: markedParts(highlight),
    snippet: snippet.ranges.some((r) => r.hit) ? markedParts(snippet) : [],
  };
}

function query(db: Db, words: string[], limit: number, within: SearchWithin, rows?: RawBuilder<unknown>): FullTextQuery {
  return {
    words,
    limit,
    keyIn: withinDocuments(organisationOf(db), within),
    highlight: 'title_text',
    snippet: { column: 'body_text', tokens: 24 },
    fold: foldSameLength,
    rows,
  };
}

/**
 * Best matches first (code and title weigh more than the body), ties by document id; at most `limit`. The ranking is
 * the engine's, the highlights and snippets FTS5's (core/db/dialect/search.ts), shown on the original words.
 */
export async function searchDocuments(db: Db, input: string, limit = 50, within: SearchWithin = {}): Promise<SearchHit[]> {
  const words = searchWords(input);
  if (words.length === 0 || limit <= 0) return [];
  const hits = await searchFullText(db, INDEX, query(db, words, limit, within));
  return hits.map(({ key, highlight, snippet }) => hitOf(key, highlight, snippet));
}

/**
 * The search's page: the best `limit` matches among the documents `within` (searchDocuments), those in force with
 * their row as listCurrentDocuments gives it, in rank order. On PostgreSQL two statements: the ranking with the page's
 * texts, then the rows by key (it was three: the ranking, the texts, the list).
 */
export async function searchCurrentDocuments(db: Db, input: string, limit: number, within: SearchWithin = {}): Promise<(CurrentRow & { hit: SearchHit })[]> {
  const words = searchWords(input);
  if (words.length === 0 || limit <= 0) return [];
  const hits = await searchFullText(db, INDEX, query(db, words, limit, within, currentRows(within)));
  return hits.map(({ key, highlight, snippet, row }) => {
    const { key: _key, ...current } = row as unknown as CurrentRow & { key: number };
    return { ...current, hit: hitOf(key, highlight, snippet) };
  });
}
