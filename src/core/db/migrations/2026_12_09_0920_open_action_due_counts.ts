import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, withoutRowid } from '../dialect/ddl';

/**
 * open_action_due_counts: how many open actions (planned or in progress) fall due on each day, kept by row triggers
 * in the transaction that inserts, changes or deletes an action, whoever writes it. The quality officer's home page
 * counts the open actions overdue (due before today) and due soon from it: a sum over the days before today (about
 * 900 rows at province scale) instead of the 8,565 entries of the (status, due_date) index, read again on every
 * request. Rows that fall to 0 stay. OPEN_ACTION_DUE_COUNTS_FILL computes them from the table (the migration, and
 * any bulk load that suspends triggers, such as the benchmark's generator).
 */
export const OPEN_ACTION_DUE_COUNTS_FILL = `insert into open_action_due_counts (due_date, n)
  select due_date, count(*) from nc_actions where status in ('planned', 'in_progress') group by due_date`;

const OPEN = (row: 'new' | 'old') => `${row}.status in ('planned', 'in_progress')`;
const add = `insert or ignore into open_action_due_counts (due_date, n) select new.due_date, 0 where ${OPEN('new')};
  update open_action_due_counts set n = n + 1 where due_date = new.due_date and ${OPEN('new')};`;
const remove = `update open_action_due_counts set n = n - 1 where due_date = old.due_date and ${OPEN('old')};`;

const TRIGGERS = [
  { name: 'open_action_due_counts_insert', on: 'after insert on nc_actions', body: add },
  {
    name: 'open_action_due_counts_update',
    // status and due_date are NOT NULL, so `<>` compares them the same way on both engines.
    on: 'after update of status, due_date on nc_actions when old.status <> new.status or old.due_date <> new.due_date',
    body: `${remove}\n  ${add}`,
  },
  { name: 'open_action_due_counts_delete', on: 'after delete on nc_actions', body: remove },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('open_action_due_counts')
    .addColumn('due_date', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .modifyEnd(withoutRowid(db))
    .execute();
  await sql.raw(OPEN_ACTION_DUE_COUNTS_FILL).execute(db);
  for (const t of TRIGGERS) await createTrigger(db, t.name, t.on, t.body);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TRIGGERS) await dropTrigger(db, t.name, 'nc_actions');
  await db.schema.dropTable('open_action_due_counts').ifExists().execute();
}
