import { sql, type Kysely } from 'kysely';

/**
 * Oversight (issue 22): the date an organisation declared its QMS in conformity with TCVN ISO 9001:2015 (công bố
 * HTQLCL phù hợp), a local date YYYY-MM-DD as every date column (text on both engines), null while it has not
 * declared. Set on the organisation's settings page, listed on the oversight page of the organisations above it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table organisation add column qms_declared_on text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table organisation drop column qms_declared_on`.execute(db);
}
