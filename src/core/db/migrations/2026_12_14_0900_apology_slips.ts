import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, isoDate, refuse } from '../dialect/ddl';

/**
 * Apology slips for late dossiers (issue 24): the "Phiếu xin lỗi và hẹn lại ngày trả kết quả" the one-stop rules
 * require for every dossier not returned by its due date — its number, the date it was issued, the reason for the
 * delay, the new return date and who signs it. A dossier may have several (a second delay); the latest recorded one
 * is in force. A slip never changes: triggers refuse any update but its cancellation (with a reason) and every
 * deletion; a mistake is corrected by cancelling the slip and recording a new one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('apology_slips')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    .addColumn('slip_no', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull().check(isoDate(db, 'issued_on')))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('new_due_on', 'text', (c) => c.notNull().check(isoDate(db, 'new_due_on')))
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signer_title', 'text', (c) => c.notNull())
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
    .addCheckConstraint('apology_slips_new_date', sql`new_due_on >= issued_on`)
    .addCheckConstraint('apology_slips_cancelled', sql`(status = 'cancelled') = (cancel_reason is not null and cancelled_at is not null)`)
    .execute();
  await sql`create unique index apology_slips_number_uq on apology_slips (organisation_id, slip_no) where status = 'recorded'`.execute(db);
  await sql`create index apology_slips_dossier_idx on apology_slips (dossier_id, status, issued_on)`.execute(db);
  await sql`create index apology_slips_org_idx on apology_slips (organisation_id, status, issued_on)`.execute(db);
  await createTrigger(db, 'apology_slips_no_delete', 'before delete on apology_slips', refuse('an apology slip is never deleted: cancel it with a reason'));
  await createTrigger(
    db,
    'apology_slips_frozen',
    `before update on apology_slips when not (old.status = 'recorded' and new.status = 'cancelled'
      and new.id = old.id and new.organisation_id = old.organisation_id and new.dossier_id = old.dossier_id
      and new.slip_no = old.slip_no and new.issued_on = old.issued_on and new.reason = old.reason
      and new.new_due_on = old.new_due_on and new.signer_name = old.signer_name and new.signer_title = old.signer_title
      and new.created_by is not distinct from old.created_by and new.created_at = old.created_at)`,
    refuse('an apology slip does not change once recorded; only its cancellation, with a reason'),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'apology_slips_frozen', 'apology_slips');
  await dropTrigger(db, 'apology_slips_no_delete', 'apology_slips');
  await db.schema.dropTable('apology_slips').ifExists().execute();
}
