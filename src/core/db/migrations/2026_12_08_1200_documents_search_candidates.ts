import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';

/**
 * Document search on PostgreSQL ranks a bounded set of candidates instead of every match (core/db/dialect/search.ts):
 * the newest matches and the documents whose code or title hold every word. Nothing on SQLite (FTS5).
 *
 * - documents_fts.head_vector: the folded code and title alone (weights A and B, as in search_vector), under a GIN
 *   index: the documents whose heading holds every word are candidates however old they are.
 * - toast_tuple_target at its largest (8160 bytes): a row of a few kilobytes (folded and original texts, tsvector)
 *   stays whole in its page. With the default (2 kB) PostgreSQL moved the tsvector into the TOAST table, and
 *   ranking a candidate read it from there (three times the cost of the ranking itself: 300 candidates, 2.0 → 0.6
 *   ms of backend CPU). Longer documents are still stored out of line. The rows are written again once so that the
 *   stored ones take the new layout; a new database has it from the start (search_vector, added by
 *   2026_12_07_0900_documents_search_postgres, comes later).
 */
const WORDS = (column: string) => `to_tsvector('simple', regexp_replace(${column}, '[^[:alnum:]]+', ' ', 'g'))`;

export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`alter table documents_fts set (toast_tuple_target = 8160)`.execute(db);
  // Every row written again, its generated vector computed afresh and kept in the row; then the new column's
  // rewrite brings the texts back from the TOAST table and leaves the dead rows behind.
  await sql`update documents_fts set code = code`.execute(db);
  await sql
    .raw(
      `alter table documents_fts add column head_vector tsvector generated always as (
      setweight(${WORDS('code')}, 'A') || setweight(${WORDS('title')}, 'B')) stored`,
    )
    .execute(db);
  await sql`create index documents_fts_head_idx on documents_fts using gin (head_vector)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`drop index if exists documents_fts_head_idx`.execute(db);
  await sql`alter table documents_fts drop column if exists head_vector`.execute(db);
  await sql`alter table documents_fts reset (toast_tuple_target)`.execute(db);
}
