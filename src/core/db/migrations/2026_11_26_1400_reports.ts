import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, isoDate, jsonOf, refuse } from '../dialect/ddl';

/**
 * Annual QMS reports (báo cáo tình hình áp dụng, duy trì và cải tiến HTQLCL), one per year.
 * A draft keeps only its narratives (the figures are computed live); issuing it (a leader's e-signature)
 * stores the frozen figures, the narratives and the letterhead as they were, and from then on the row can
 * never change: a trigger refuses any UPDATE of an issued row, and any DELETE.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('annual_reports')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('year', 'integer', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`year between 2000 and 2100`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'issued')`),
    )
    .addColumn('number_text', 'text')
    .addColumn('narratives', 'text', (c) =>
      c
        .notNull()
        .defaultTo('{}')
        .check(jsonOf(db, 'narratives', 'object')),
    )
    .addColumn('figures_json', 'text', (c) => c.check(sql`figures_json is null or ${jsonOf(db, 'figures_json', 'any')}`))
    .addColumn('letterhead_json', 'text', (c) => c.check(sql`letterhead_json is null or ${jsonOf(db, 'letterhead_json', 'any')}`))
    .addColumn('as_of', 'text', (c) => c.check(sql`as_of is null or ${isoDate(db, 'as_of')}`))
    .addColumn('content_sha256', 'text', (c) => c.check(sql`content_sha256 is null or length(content_sha256) = 64`))
    .addColumn('signature_id', 'integer', (c) => c.references('e_signatures.id'))
    .addColumn('issued_by', 'integer', (c) => c.references('users.id'))
    .addColumn('issued_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'annual_reports_issued_complete',
      sql`status <> 'issued' or (figures_json is not null and letterhead_json is not null and as_of is not null
        and content_sha256 is not null and signature_id is not null and issued_by is not null and issued_at is not null)`,
    )
    .execute();
  await db.schema.createIndex('annual_reports_status_idx').on('annual_reports').columns(['status', 'year']).execute();
  await createTrigger(
    db,
    'annual_reports_issued_frozen',
    `before update on annual_reports when old.status = 'issued'`,
    refuse('an issued annual report cannot change'),
  );
  await createTrigger(db, 'annual_reports_no_delete', 'before delete on annual_reports', refuse('annual reports are never deleted'));
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'annual_reports_no_delete', 'annual_reports');
  await dropTrigger(db, 'annual_reports_issued_frozen', 'annual_reports');
  await db.schema.dropTable('annual_reports').ifExists().execute();
}
