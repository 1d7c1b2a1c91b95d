import { sql, type Kysely } from 'kysely';

/**
 * Organisations: the audits' indexes lead with organisation_id, as their queries filter by it first. The dashboard's
 * next audits walk one organisation's (status, planned_start) run, cut to a few rows, instead of every organisation's;
 * the reports and the coverage matrix read one organisation's audits by first day of fieldwork (actual_start).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index audits_status_idx`.execute(db);
  await sql`create index audits_status_idx on audits (organisation_id, status, planned_start)`.execute(db);
  await sql`drop index audits_actual_start_idx`.execute(db);
  await sql`create index audits_actual_start_idx on audits (organisation_id, actual_start)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index audits_status_idx`.execute(db);
  await sql`create index audits_status_idx on audits (status, planned_start)`.execute(db);
  await sql`drop index audits_actual_start_idx`.execute(db);
  await sql`create index audits_actual_start_idx on audits (actual_start)`.execute(db);
}
