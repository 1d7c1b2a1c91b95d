import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, isoDate, refuse } from '../dialect/ddl';

/**
 * Declarations of conformity (issue 23): each announcement of the organisation's QMS as conformant to TCVN ISO
 * 9001:2015 (công bố) and each re-announcement after its scope changed (công bố lại), as recorded from the signed
 * decision: its number and date, the signer, a note (the scope or why it was announced again), the scope itself as a
 * snapshot of the procedures in the QMS on that day (JSON: code, title, kind), and the scanned decision (a stored
 * file). A record never changes: triggers refuse any update but its cancellation (with a reason) and every deletion.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('qms_declarations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('declaration', 're_declaration')`))
    .addColumn('decision_no', 'text', (c) => c.notNull())
    .addColumn('decided_on', 'text', (c) => c.notNull().check(isoDate(db, 'decided_on')))
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signer_title', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.references('files.sha256'))
    .addColumn('file_name', 'text')
    .addColumn('file_mime', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('recorded')
        .check(sql`status in ('recorded', 'cancelled')`),
    )
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('qms_declarations_file', sql`(file_sha256 is null) = (file_name is null) and (file_sha256 is null) = (file_mime is null)`)
    .addCheckConstraint('qms_declarations_cancelled', sql`(status = 'cancelled') = (cancel_reason is not null and cancelled_at is not null)`)
    .execute();
  await sql`create unique index qms_declarations_number_uq on qms_declarations (organisation_id, decision_no) where status = 'recorded'`.execute(db);
  await sql`create index qms_declarations_org_idx on qms_declarations (organisation_id, status, decided_on)`.execute(db);
  await createTrigger(db, 'qms_declarations_no_delete', 'before delete on qms_declarations', refuse('a declaration is never deleted: cancel it with a reason'));
  await createTrigger(
    db,
    'qms_declarations_frozen',
    `before update on qms_declarations when not (old.status = 'recorded' and new.status = 'cancelled'
      and new.id = old.id and new.organisation_id = old.organisation_id and new.kind = old.kind and new.decision_no = old.decision_no
      and new.decided_on = old.decided_on and new.signer_name = old.signer_name and new.signer_title = old.signer_title
      and new.note = old.note and new.scope = old.scope and new.file_sha256 is not distinct from old.file_sha256
      and new.created_at = old.created_at)`,
    refuse('a declaration does not change once recorded; only its cancellation, with a reason'),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'qms_declarations_frozen', 'qms_declarations');
  await dropTrigger(db, 'qms_declarations_no_delete', 'qms_declarations');
  await db.schema.dropTable('qms_declarations').ifExists().execute();
}
