import { sql, type Kysely } from 'kysely';

/**
 * Organisations: the indexes of the nonconformities' figures and of the action lists lead with organisation_id, as
 * their queries now filter by it first.
 * - nonconformities_procedure_cover_idx: the compliance report's figures of one procedure (listNcFiguresAt) read the
 *   procedure's nonconformities from this covering index; filtered by organisation too, the index without the column
 *   was passed over for (organisation_id, detected_on), which walks every nonconformity of the organisation.
 * - nc_actions_org_due_idx: the open actions past due or due soon (the quality officer's dashboard) and the list of
 *   every action read one organisation's open actions by due date; nc_actions_due_idx (status, due_date) stays for
 *   the queries that read every organisation (the triggers' refills, the bench).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index nonconformities_procedure_cover_idx`.execute(db);
  await sql`create index nonconformities_procedure_cover_idx on nonconformities (organisation_id, procedure_id, detected_on, status, severity)`.execute(db);
  await sql`create index nc_actions_org_due_idx on nc_actions (organisation_id, status, due_date)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index nc_actions_org_due_idx`.execute(db);
  await sql`drop index nonconformities_procedure_cover_idx`.execute(db);
  await sql`create index nonconformities_procedure_cover_idx on nonconformities (procedure_id, detected_on, status, severity)`.execute(db);
}
