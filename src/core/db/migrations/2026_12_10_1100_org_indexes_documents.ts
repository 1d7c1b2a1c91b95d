import { sql, type Kysely } from 'kysely';

/**
 * Organisations: the document search's filter reads the organisation's active documents of a procedure from an index
 * alone (documents_fts has no organisation column, so its matches are kept when their document is one of these).
 * documents_procedure_status_idx stays: a procedure's documents looked up from the procedure (already the
 * organisation's), as the master list's procedure filter does, need no organisation column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index documents_org_procedure_status_idx on documents (organisation_id, procedure_id, status)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index documents_org_procedure_status_idx`.execute(db);
}
