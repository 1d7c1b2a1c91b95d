import { sql, type Kysely } from 'kysely';

/**
 * Organisations: the NC register's indexes lead with organisation_id, as its queries filter by it first. The
 * per-status runs in code order (status, severity, year, seq) and the list by detection date are read within one
 * organisation. The (organisation_id, year, seq) order of a deep page is the per-organisation unique constraint's
 * own index (migration 2026_12_10_0900_organisations). A procedure typed by its national code in the register's
 * procedure filter is found within the organisation too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index nonconformities_status_code_idx`.execute(db);
  await sql`create index nonconformities_status_code_idx on nonconformities (organisation_id, status, severity, year, seq)`.execute(db);
  await sql`drop index nonconformities_detected_idx`.execute(db);
  await sql`create index nonconformities_detected_idx on nonconformities (organisation_id, detected_on)`.execute(db);
  await sql`drop index procedures_national_code_idx`.execute(db);
  await sql`create index procedures_national_code_idx on procedures (organisation_id, national_code)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index nonconformities_status_code_idx`.execute(db);
  await sql`create index nonconformities_status_code_idx on nonconformities (status, severity, year, seq)`.execute(db);
  await sql`drop index nonconformities_detected_idx`.execute(db);
  await sql`create index nonconformities_detected_idx on nonconformities (detected_on)`.execute(db);
  await sql`drop index procedures_national_code_idx`.execute(db);
  await sql`create index procedures_national_code_idx on procedures (national_code)`.execute(db);
}
