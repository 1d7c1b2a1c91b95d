import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger } from '../dialect/ddl';

/**
 * Organisations, procedures: a procedure's first terms row ("since registration", FIRST_TERMS_DATE), written by the
 * trigger procedure_terms_first, belongs to the procedure's organisation. The trigger of migration
 * 2026_12_06_0900_procedure_kinds_terms left the column to its default (organisation 1), so another organisation's
 * procedure had its first terms in organisation 1, where its own register (which reads the terms by organisation)
 * did not find them. The trigger now writes the procedure's organisation, and rows written before are corrected.
 */
const FIRST = (organisation: boolean) =>
  `insert into procedure_terms (procedure_id, effective_from, processing_days, online_level, recorded_by, recorded_at${organisation ? ', organisation_id' : ''})
      values (new.id, '1900-01-01', new.processing_days, new.online_level, null, new.created_at${organisation ? ', new.organisation_id' : ''});`;

export async function up(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'procedure_terms_first', 'procedures');
  await createTrigger(db, 'procedure_terms_first', 'after insert on procedures', FIRST(true));
  await sql`update procedure_terms set organisation_id = (select p.organisation_id from procedures p where p.id = procedure_terms.procedure_id)
    where organisation_id <> (select p.organisation_id from procedures p where p.id = procedure_terms.procedure_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'procedure_terms_first', 'procedures');
  await createTrigger(db, 'procedure_terms_first', 'after insert on procedures', FIRST(false));
}
