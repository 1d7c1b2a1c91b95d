import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, withoutRowid } from '../dialect/ddl';

/**
 * Province scale (npm run bench: 2,000 procedures, 2,000,000 dossiers, 100,000 nonconformities).
 *
 * Indexes, each for statements that EXPLAIN QUERY PLAN showed walking far too many rows (SQLite runs without
 * ANALYZE statistics here, so an index must also be the obvious choice for the planner):
 * - nc_status_history (nonconformity_id, to_status, changed_on): "closed within the period" probes per nonconformity;
 *   without it the planner walked every closing of the period for each nonconformity (to_status index);
 * - nc_status_history (nonconformity_id, id, changed_on, to_status): "status at date D" (last entry on or before D)
 *   read from the index in id order, without a sort;
 * - nc_actions (nonconformity_id, status, due_date, completed_on): open / overdue / next-due counts per nonconformity
 *   in the register, and overdue actions per procedure, from the index alone;
 * - nonconformities (procedure_id, detected_on, status, severity): one procedure's raised / open / closed counts and
 *   every procedure's at once, from the index alone;
 * - document_revisions (status, next_review_due): documents due for periodic review;
 * - documents (ack_scope, owner_unit_id): the documents that concern a user (pending acknowledgements).
 *
 * Summary tables for the dossier figures of REPORTING.md, so that a report never scans a procedure's dossiers:
 * every figure is a difference of counts "key <= X" over one date per dossier (received, returned, the day after
 * the due date, and the later of that day and the return), kept per procedure and day (dossier_stats_day) and per
 * procedure and month (dossier_stats_month). Triggers on dossiers only mark the procedure in dossier_stats_dirty
 * (cheap enough for million-row imports); readers recompute the marked procedures from the dossiers before using
 * the tables (src/features/dossiers/dossiers.stats.queries.ts). Existing dossiers are marked here.
 */
const COLUMNS = 'procedure_id, received_on, due_on, returned_on, outcome, channel';
const COUNTERS = ['rd', 'ro', 'rp', 'te', 'tt', 'tl', 'd1', 'o'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('nc_status_history_nc_to_idx').on('nc_status_history').columns(['nonconformity_id', 'to_status', 'changed_on']).execute();
  await db.schema.createIndex('nc_status_history_nc_last_idx').on('nc_status_history').columns(['nonconformity_id', 'id', 'changed_on', 'to_status']).execute();
  await db.schema.createIndex('nc_actions_nc_due_idx').on('nc_actions').columns(['nonconformity_id', 'status', 'due_date', 'completed_on']).execute();
  await db.schema
    .createIndex('nonconformities_procedure_cover_idx')
    .on('nonconformities')
    .columns(['procedure_id', 'detected_on', 'status', 'severity'])
    .execute();
  await db.schema.createIndex('document_revisions_review_due_idx').on('document_revisions').columns(['status', 'next_review_due']).execute();
  await db.schema.createIndex('documents_ack_scope_idx').on('documents').columns(['ack_scope', 'owner_unit_id']).execute();

  for (const [table, key] of [
    ['dossier_stats_day', 'day'],
    ['dossier_stats_month', 'month'],
  ] as const) {
    let t = db.schema
      .createTable(table)
      .modifyEnd(withoutRowid(db))
      .addColumn('procedure_id', 'integer', (c) => c.notNull())
      .addColumn(key, 'text', (c) => c.notNull());
    for (const counter of COUNTERS) t = t.addColumn(counter, 'integer', (c) => c.notNull().defaultTo(0));
    await t.addPrimaryKeyConstraint(`${table}_pk`, ['procedure_id', key]).execute();
  }
  await db.schema
    .createTable('dossier_stats_dirty')
    .addColumn('procedure_id', 'integer', (c) => c.primaryKey())
    .execute();

  const mark = (row: string) => `insert or ignore into dossier_stats_dirty (procedure_id) values (${row}.procedure_id);`;
  await createTrigger(db, 'dossier_stats_on_insert', 'after insert on dossiers', mark('new'), { suspendable: true });
  await createTrigger(db, 'dossier_stats_on_update', `after update of ${COLUMNS} on dossiers`, `${mark('old')} ${mark('new')}`, { suspendable: true });
  await createTrigger(db, 'dossier_stats_on_delete', 'after delete on dossiers', mark('old'), { suspendable: true });
  await sql`insert into dossier_stats_dirty (procedure_id) select distinct procedure_id from dossiers where true on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['dossier_stats_on_delete', 'dossier_stats_on_update', 'dossier_stats_on_insert']) await dropTrigger(db, trigger, 'dossiers');
  for (const table of ['dossier_stats_dirty', 'dossier_stats_month', 'dossier_stats_day']) await db.schema.dropTable(table).ifExists().execute();
  for (const index of [
    'documents_ack_scope_idx',
    'document_revisions_review_due_idx',
    'nonconformities_procedure_cover_idx',
    'nc_actions_nc_due_idx',
    'nc_status_history_nc_last_idx',
    'nc_status_history_nc_to_idx',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
}
