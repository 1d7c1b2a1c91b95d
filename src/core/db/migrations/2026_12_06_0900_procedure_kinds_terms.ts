import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, isoDate, refuse } from '../dialect/ddl';

/**
 * Procedures of two kinds, and their terms with effective dates (issue 20, point 7).
 *
 * - procedures.kind: 'administrative' (thủ tục hành chính: national code, online level, processing days; counted as
 *   TTHC in the reports) or 'internal' (a process of the QMS itself: document control, internal audit, management
 *   review…; never counted as TTHC). Existing rows without a national code and without processing days are internal
 *   processes (an administrative procedure always has a processing time); every other row is administrative. The
 *   register shows the kind, and an admin corrects it where this guess is wrong.
 * - procedure_terms: the processing days and online level of a procedure from a date on. The value in force on a date
 *   is the row with the latest effective_from on or before it. A procedure's first row (its terms as registered)
 *   is dated 1900-01-01, "since registration": it covers dossiers of any earlier date. procedures.processing_days / online_level keep the latest row: changes
 *   take effect today or on a past date, never in the future, so the latest row is the one in force today.
 *   One row per procedure and date; a row is never deleted, and every write also marks the procedure in
 *   figure_changes (report rows are recomputed).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('procedures')
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('administrative')
        .check(sql`kind in ('administrative', 'internal')`),
    )
    .execute();
  await sql`update procedures set kind = 'internal'
    where (national_code is null or trim(national_code) = '') and processing_days is null`.execute(db);

  await db.schema
    .createTable('procedure_terms')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
    .addColumn('effective_from', 'text', (c) => c.notNull().check(isoDate(db, 'effective_from')))
    .addColumn('processing_days', 'integer', (c) => c.check(sql`processing_days is null or processing_days >= 0`))
    .addColumn('online_level', 'text', (c) => c.notNull().check(sql`online_level in ('full', 'partial', 'none')`))
    .addColumn('recorded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('procedure_terms_procedure_date', ['procedure_id', 'effective_from'])
    .execute();
  // The terms as registered apply from the start (FIRST_TERMS_DATE): a later change, whatever date it is entered
  // for, then applies from its own date on.
  await sql`insert into procedure_terms (procedure_id, effective_from, processing_days, online_level, recorded_by, recorded_at)
    select id, '1900-01-01', processing_days, online_level, null, created_at from procedures`.execute(db);
  // Every procedure has its first row, however it is written (the app, an import, a script).
  await createTrigger(
    db,
    'procedure_terms_first',
    `after insert on procedures`,
    `insert into procedure_terms (procedure_id, effective_from, processing_days, online_level, recorded_by, recorded_at)
      values (new.id, '1900-01-01', new.processing_days, new.online_level, null, new.created_at);`,
  );
  await createTrigger(
    db,
    'procedure_terms_no_delete',
    'before delete on procedure_terms',
    refuse('the terms of a procedure are kept: add a row with a new effective date'),
  );
  await createTrigger(
    db,
    'fc_procedure_terms_insert',
    `after insert on procedure_terms`,
    `delete from figure_changes where procedure_id = new.procedure_id; insert into figure_changes (procedure_id) values (new.procedure_id);`,
  );
  await createTrigger(
    db,
    'fc_procedure_terms_update',
    `after update on procedure_terms`,
    `delete from figure_changes where procedure_id = new.procedure_id; insert into figure_changes (procedure_id) values (new.procedure_id);`,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['fc_procedure_terms_update', 'fc_procedure_terms_insert', 'procedure_terms_no_delete', 'procedure_terms_first']) {
    await dropTrigger(db, trigger, trigger === 'procedure_terms_first' ? 'procedures' : 'procedure_terms');
  }
  await db.schema.dropTable('procedure_terms').execute();
  await db.schema.alterTable('procedures').dropColumn('kind').execute();
}
