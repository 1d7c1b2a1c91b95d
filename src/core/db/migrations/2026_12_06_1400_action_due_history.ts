import type { Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse } from '../dialect/ddl';

/**
 * The due dates an action had (issue 20, point 1): a report reads an action as overdue or not with the due date in
 * force at the period's end, so moving a due date later does not rewrite a past period. One row per change, written
 * with the change (the actions service), never updated or deleted. The due date in force on a date D is the
 * due_before of the first change made after D, else the action's current due date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nc_action_due_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('action_id', 'integer', (c) => c.notNull().references('nc_actions.id'))
    .addColumn('due_before', 'text', (c) => c.notNull())
    .addColumn('due_after', 'text', (c) => c.notNull())
    .addColumn('changed_on', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('nc_action_due_history_action_idx').on('nc_action_due_history').columns(['action_id', 'changed_on']).execute();
  await createTrigger(
    db,
    'nc_action_due_history_no_update',
    'before update on nc_action_due_history',
    refuse('the due-date history of an action is kept as written'),
  );
  await createTrigger(
    db,
    'nc_action_due_history_no_delete',
    'before delete on nc_action_due_history',
    refuse('the due-date history of an action is kept as written'),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'nc_action_due_history_no_delete', 'nc_action_due_history');
  await dropTrigger(db, 'nc_action_due_history_no_update', 'nc_action_due_history');
  await db.schema.dropTable('nc_action_due_history').execute();
}
