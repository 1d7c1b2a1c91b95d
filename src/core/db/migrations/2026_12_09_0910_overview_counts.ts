import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, withoutRowid } from '../dialect/ddl';

/**
 * overview_counts: the admin's home-page figures that grow with the province, kept by row triggers in the
 * transaction that inserts, changes or deletes a row, whoever writes it:
 *   'documents'        active documents          'procedures'      active procedures
 *   'users:<role>'     active users of that role
 * Counting them on every request read 19,850 entries of a documents index, 2,000 of a procedures index and the
 * 1,000 users (2.0 ms of PostgreSQL CPU of the page's 2.4 at province scale, most of it the documents). Rows that
 * fall to 0 stay. OVERVIEW_COUNTS_FILL computes them from the tables (the migration, and any bulk load that
 * suspends triggers, such as the benchmark's generator).
 */
export const OVERVIEW_COUNTS_FILL = `insert into overview_counts (name, n)
  select 'documents', count(*) from documents where status = 'active'
  union all select 'procedures', count(*) from procedures where status = 'active'
  union all select 'users:' || role, count(*) from users where active = 1 group by role`;

/** +1 to `name` when `when` holds (a row created on first use), -1 likewise. */
const plus = (name: string, when: string) => `insert or ignore into overview_counts (name, n) select ${name}, 0 where ${when};
  update overview_counts set n = n + 1 where name = ${name} and ${when};`;
const minus = (name: string, when: string) => `update overview_counts set n = n - 1 where name = ${name} and ${when};`;

const TRIGGERS = [
  ...(['documents', 'procedures'] as const).flatMap((table) => [
    { name: `overview_counts_${table}_insert`, table, on: `after insert on ${table}`, body: plus(`'${table}'`, `new.status = 'active'`) },
    {
      name: `overview_counts_${table}_update`,
      table,
      // status is NOT NULL, so `<>` compares it the same way on both engines.
      on: `after update of status on ${table} when old.status <> new.status`,
      body: `${minus(`'${table}'`, `old.status = 'active'`)}\n  ${plus(`'${table}'`, `new.status = 'active'`)}`,
    },
    { name: `overview_counts_${table}_delete`, table, on: `after delete on ${table}`, body: minus(`'${table}'`, `old.status = 'active'`) },
  ]),
  { name: 'overview_counts_users_insert', table: 'users', on: 'after insert on users', body: plus(`'users:' || new.role`, 'new.active = 1') },
  {
    name: 'overview_counts_users_update',
    table: 'users',
    // active and role are NOT NULL.
    on: 'after update of active, role on users when old.active <> new.active or old.role <> new.role',
    body: `${minus(`'users:' || old.role`, 'old.active = 1')}\n  ${plus(`'users:' || new.role`, 'new.active = 1')}`,
  },
  { name: 'overview_counts_users_delete', table: 'users', on: 'after delete on users', body: minus(`'users:' || old.role`, 'old.active = 1') },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('overview_counts')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .modifyEnd(withoutRowid(db))
    .execute();
  await sql.raw(OVERVIEW_COUNTS_FILL).execute(db);
  for (const t of TRIGGERS) await createTrigger(db, t.name, t.on, t.body);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TRIGGERS) await dropTrigger(db, t.name, t.table);
  await db.schema.dropTable('overview_counts').ifExists().execute();
}
