import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';

/**
 * Search on PostgreSQL (core/db/dialect/search.ts); nothing on SQLite, where documents_fts is an FTS5 table.
 *
 * - documents_fts.search_vector: the folded code, title and body as one tsvector with weights A, B and C (ranked by
 *   ts_rank with the ratios of bm25's 10 / 5 / 1 on SQLite), kept by PostgreSQL itself (a stored generated column),
 *   under a GIN index that prefix queries (`word:*`) use. Every run of characters other than letters and digits is a
 *   space first, so that words split as FTS5's unicode61 tokenizer splits them ("quy-trinh.pdf" is three words, not
 *   one host name; "2026-11-26" three numbers, not 2026, -11 and -26).
 * - Trigram GIN indexes (pg_trgm, a trusted extension a database owner may create since PostgreSQL 13) for the
 *   lists' "contains" filters, `search_text like '%…%'` on documents and procedures (folded, lower-case text).
 */
const WORDS = (column: string) => `to_tsvector('simple', regexp_replace(${column}, '[^[:alnum:]]+', ' ', 'g'))`;

export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql
    .raw(
      `alter table documents_fts add column search_vector tsvector generated always as (
        setweight(${WORDS('code')}, 'A') || setweight(${WORDS('title')}, 'B') || setweight(${WORDS('body')}, 'C')
      ) stored`,
    )
    .execute(db);
  await sql`create index documents_fts_search_idx on documents_fts using gin (search_vector)`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create index documents_search_text_trgm_idx on documents using gin (search_text gin_trgm_ops)`.execute(db);
  await sql`create index procedures_search_text_trgm_idx on procedures using gin (search_text gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`drop index if exists procedures_search_text_trgm_idx`.execute(db);
  await sql`drop index if exists documents_search_text_trgm_idx`.execute(db);
  await sql`drop index if exists documents_fts_search_idx`.execute(db);
  await sql`alter table documents_fts drop column if exists search_vector`.execute(db);
}
