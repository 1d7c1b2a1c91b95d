import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';

/**
 * Document search on PostgreSQL ranks a bounded set of candidates instead of every match (core/db/dialect/search.ts):
 * the newest matches and the documents whose code or title hold every word. Nothing on SQLite (FTS5).
 *
 * - documents_fts.head_vector: the folded code and title alone (weights A and B, as in search_vector), under a GIN
 *   index: the documents whose heading holds every word are candidates however old they are.
 * - search_vector is kept inline and uncompressed (storage MAIN; the folded and original bodies, read only for the
 *   page's rows, go out of line instead): ranking a candidate read its tsvector from the TOAST table and
 *   decompressed it, three times the cost of the ranking itself (300 candidates: 2.0 → 0.6 ms of backend CPU).
 *   The rows are rewritten once so that the stored vectors take the new layout.
 *
 * On a new database this runs before 2026_12_07_0900_documents_search_postgres (which adds search_vector): only the
 * bodies' storage and the heading's vector are set here then.
 */
const WORDS = (column: string) => `to_tsvector('simple', regexp_replace(${column}, '[^[:alnum:]]+', ' ', 'g'))`;

async function hasColumn(db: Kysely<any>, column: string): Promise<boolean> {
  const { rows } = await sql`select 1 from information_schema.columns
    where table_schema = current_schema() and table_name = 'documents_fts' and column_name = ${column}`.execute(db);
  return rows.length > 0;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`alter table documents_fts alter column body set storage external, alter column body_text set storage external`.execute(db);
  if (await hasColumn(db, 'search_vector')) await sql`alter table documents_fts alter column search_vector set storage main`.execute(db);
  // Every row written again, its vector computed afresh in the new layout (a table rewrite alone would keep the
  // stored values as they are); then the new column's rewrite leaves the dead rows behind.
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
  if (await hasColumn(db, 'search_vector')) await sql`alter table documents_fts alter column search_vector set storage extended`.execute(db);
  await sql`alter table documents_fts alter column body set storage extended, alter column body_text set storage extended`.execute(db);
}
