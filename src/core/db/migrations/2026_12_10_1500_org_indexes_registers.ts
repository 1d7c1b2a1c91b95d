import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger } from '../dialect/ddl';

/**
 * Organisations, procedures: a procedure's first terms row ("since registration", FIRST_TERMS_DATE), written by the
 * trigger procedure_terms_first, belongs to the procedure's organisation. The trigger of migration
 * 2026_12_06_0900_procedure_kinds_terms left the column to its default (organisation 1), so another organisation's
 * procedure had its first terms in organisation 1, where its own register (which reads the terms by organisation)
 * did not find them. The trigger now writes the procedure's organisation, and rows written before are corrected.
 *
 * Indexes: the register's list of fields (distinct fields of the organisation's procedures, and the filter by field)
 * reads (organisation_id, field, status) instead of (field, status); the users' lists and pickers of an organisation
 * read (organisation_id, active) where they walked every organisation's users. The register's pages, the procedure
 * and unit options are served by the unique (organisation_id, code) indexes.
 */
const FIRST = (organisation: boolean) =>
  `insert into procedure_terms (procedure_id, effective_from, processing_days, online_level, recorded_by, recorded_at${organisation ? ', organisation_id' : ''})
      values (new.id, '1900-01-01', new.processing_days, new.online_level, null, new.created_at${organisation ? ', new.organisation_id' : ''});`;

export async function up(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'procedure_terms_first', 'procedures');
  await createTrigger(db, 'procedure_terms_first', 'after insert on procedures', FIRST(true));
  await sql`update procedure_terms set organisation_id = (select p.organisation_id from procedures p where p.id = procedure_terms.procedure_id)
    where organisation_id <> (select p.organisation_id from procedures p where p.id = procedure_terms.procedure_id)`.execute(db);
  await sql`drop index procedures_field_idx`.execute(db);
  await sql`create index procedures_field_idx on procedures (organisation_id, field, status)`.execute(db);
  await sql`create index users_organisation_idx on users (organisation_id, active)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index users_organisation_idx`.execute(db);
  await sql`drop index procedures_field_idx`.execute(db);
  await sql`create index procedures_field_idx on procedures (field, status)`.execute(db);
  await dropTrigger(db, 'procedure_terms_first', 'procedures');
  await createTrigger(db, 'procedure_terms_first', 'after insert on procedures', FIRST(false));
}
