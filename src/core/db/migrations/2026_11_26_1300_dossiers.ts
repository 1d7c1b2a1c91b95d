import { sql, type Kysely } from 'kysely';
import { isoDate } from '../dialect/ddl';

/**
 * Dossier performance (ISO 9001 clause 9.1):
 * - holidays: public holidays and make-up working days (ngày làm bù); cancelled, never deleted. At most one
 *   non-cancelled entry per date.
 * - dossier_imports: the import history (who, when, file, SHA-256, rows added / updated / unchanged).
 * - dossiers: one row per dossier code with its LOCAL received / due / returned dates in their own indexed columns
 *   (so the figures are plain range queries) and the UTC instants when the file gave a time. No personal data.
 * - nonconformity_dossiers: which dossiers a nonconformity (source overdue_dossier) was raised for.
 */
const DATE = (db: Kysely<any>, col: string) => isoDate(db, col);
const DATE_OR_NULL = (db: Kysely<any>, col: string) => sql`${sql.raw(col)} is null or ${isoDate(db, col)}`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('holidays')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('date', 'text', (c) => c.notNull().check(DATE(db, 'date')))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'workday')`))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cancelled', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`cancelled in (0, 1)`),
    )
    .addColumn('cancelled_reason', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index holidays_active_date_idx on holidays (date) where cancelled = 0`.execute(db);
  await db.schema.createIndex('holidays_date_idx').on('holidays').column('date').execute();

  await db.schema
    .createTable('dossier_imports')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`length(sha256) = 64`))
    .addColumn('via', 'text', (c) => c.notNull().check(sql`via in ('upload', 'cli', 'demo')`))
    .addColumn('imported_by', 'integer', (c) => c.references('users.id'))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`rows_total >= 0`),
    )
    .addColumn('rows_added', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`rows_added >= 0`),
    )
    .addColumn('rows_updated', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`rows_updated >= 0`),
    )
    .addColumn('rows_unchanged', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`rows_unchanged >= 0`),
    )
    .execute();
  await db.schema.createIndex('dossier_imports_sha_idx').on('dossier_imports').column('sha256').execute();
  await db.schema.createIndex('dossier_imports_at_idx').on('dossier_imports').column('imported_at').execute();

  await db.schema
    .createTable('dossiers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
    .addColumn('received_on', 'text', (c) => c.notNull().check(DATE(db, 'received_on')))
    .addColumn('received_at', 'text')
    .addColumn('due_on', 'text', (c) => c.notNull().check(DATE(db, 'due_on')))
    .addColumn('due_computed', 'integer', (c) => c.notNull().check(sql`due_computed in (0, 1)`))
    .addColumn('returned_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'returned_on')))
    .addColumn('returned_at', 'text')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome is null or outcome in ('returned', 'withdrawn')`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('direct', 'online', 'postal')`))
    .addColumn('created_import_id', 'integer', (c) => c.notNull().references('dossier_imports.id'))
    .addColumn('updated_import_id', 'integer', (c) => c.notNull().references('dossier_imports.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('dossiers_outcome_needs_return', sql`(returned_on is null) = (outcome is null)`)
    .addCheckConstraint('dossiers_returned_after_received', sql`returned_on is null or returned_on >= received_on`)
    .addCheckConstraint('dossiers_due_after_received', sql`due_on >= received_on`)
    .execute();
  // Covering index for the per-procedure figures (one index-only scan), plus one index per local date.
  await db.schema
    .createIndex('dossiers_procedure_figures_idx')
    .on('dossiers')
    .columns(['procedure_id', 'received_on', 'returned_on', 'due_on', 'outcome', 'channel'])
    .execute();
  await db.schema.createIndex('dossiers_received_idx').on('dossiers').column('received_on').execute();
  await db.schema.createIndex('dossiers_due_idx').on('dossiers').column('due_on').execute();
  await db.schema.createIndex('dossiers_returned_idx').on('dossiers').column('returned_on').execute();

  await db.schema
    .createTable('nonconformity_dossiers')
    .addColumn('nonconformity_id', 'integer', (c) => c.notNull().references('nonconformities.id'))
    .addColumn('dossier_id', 'integer', (c) => c.notNull().references('dossiers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('nonconformity_dossiers_pk', ['nonconformity_id', 'dossier_id'])
    .execute();
  await db.schema.createIndex('nonconformity_dossiers_dossier_idx').on('nonconformity_dossiers').column('dossier_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['nonconformity_dossiers', 'dossiers', 'dossier_imports', 'holidays']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
