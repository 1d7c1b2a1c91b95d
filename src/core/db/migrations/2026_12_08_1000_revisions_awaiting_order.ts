import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';

/**
 * A leader's home page lists the revisions in review oldest submission first, those without a submission time
 * first (SQLite's order of nulls, kept on both engines), then by id; the first 50 that are not their own. SQLite's
 * (status, submitted_at) index already gives that order (nulls first, then the rowid). PostgreSQL's puts nulls last,
 * so it could not walk it for `nulls first`: it read every revision in review and every active document (a hash
 * join over 20,000 documents, 1,600 buffers, 12 ms of execution on the province benchmark) and sorted them. This one
 * has PostgreSQL's order of the query (nulls first, then id): it reads 50 index entries and their 50 documents
 * (204 buffers, 0.1 ms). Same name and columns, so nothing else changes; SQLite keeps its index.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`drop index if exists document_revisions_status_submitted_idx`.execute(db);
  await sql`create index document_revisions_status_submitted_idx on document_revisions (status, submitted_at nulls first, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`drop index if exists document_revisions_status_submitted_idx`.execute(db);
  await sql`create index document_revisions_status_submitted_idx on document_revisions (status, submitted_at)`.execute(db);
}
