import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, withoutRowid } from '../dialect/ddl';

/**
 * nc_register_counts: how many nonconformities there are per (year, status, severity), kept by row triggers in the
 * transaction that inserts, changes or deletes one, whoever writes it. The register counts its rows from here when
 * it is filtered by status and severity only (or not at all): PostgreSQL counted the whole table's 100,000 index
 * entries for the unfiltered register on every page (4 ms of database CPU per request at province scale), and the
 * per-year counts let a deep page of the register in code order start at its first row's (year, seq) instead of
 * walking past every row before it (`offset 74950`: 22 ms). At most a few hundred rows (years × 9 statuses × 2).
 * Rows that fall to 0 stay.
 */
const KEY = (row: 'new' | 'old') => `year = ${row}.year and status = ${row}.status and severity = ${row}.severity`;
const add = `insert or ignore into nc_register_counts (year, status, severity, n) values (new.year, new.status, new.severity, 0);
  update nc_register_counts set n = n + 1 where ${KEY('new')};`;
const remove = `update nc_register_counts set n = n - 1 where ${KEY('old')};`;

const TRIGGERS = [
  { name: 'nc_register_counts_insert', on: 'after insert on nonconformities', body: add },
  {
    name: 'nc_register_counts_update',
    // The three columns are NOT NULL, so `<>` compares them the same way on both engines.
    on: 'after update of year, status, severity on nonconformities when old.year <> new.year or old.status <> new.status or old.severity <> new.severity',
    body: `${remove}\n  ${add}`,
  },
  { name: 'nc_register_counts_delete', on: 'after delete on nonconformities', body: remove },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nc_register_counts')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('nc_register_counts_pk', ['year', 'status', 'severity'])
    .modifyEnd(withoutRowid(db))
    .execute();
  await sql`insert into nc_register_counts (year, status, severity, n)
    select year, status, severity, count(*) from nonconformities group by year, status, severity`.execute(db);
  for (const t of TRIGGERS) await createTrigger(db, t.name, t.on, t.body);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TRIGGERS) await dropTrigger(db, t.name, 'nonconformities');
  await db.schema.dropTable('nc_register_counts').ifExists().execute();
}
