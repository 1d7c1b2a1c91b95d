import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger } from '../dialect/ddl';

/**
 * figure_changes: which procedures' report figures changed, and in what order. Every change to what a procedure's
 * row of the all-procedures summary is computed from (the procedure, its dossiers, documents and revisions,
 * nonconformities with their history and actions, audits) moves that procedure to the end (a new seq), in the
 * transaction that makes the change, whoever makes it (the app, the CLI in another process, a script). procedure_id 0
 * stands for every procedure (a unit renamed). The summary's rows are recomputed only for the procedures listed
 * after the last seq they were computed at. One row per procedure: the table never grows beyond them.
 *
 * Dossiers are followed through dossier_stats_dirty (marked by row triggers, or once per procedure by a bulk
 * import): a BEFORE INSERT trigger fires even when `insert or ignore` then finds the procedure already marked.
 * The trigger bodies use no conflict clause (an outer `or ignore` would override it): delete, then insert.
 */
const mark = (procedure: string) => `delete from figure_changes where procedure_id = ${procedure};
  insert into figure_changes (procedure_id) values (${procedure});`;
interface Trigger {
  name: string;
  on: string;
  body: string;
}

/** Statements that mark the procedure (an SQL expression yielding its id or null) of the changed row. */
const bySelect = (select: string) => `delete from figure_changes where procedure_id in (${select});
  insert into figure_changes (procedure_id) select distinct procedure_id from (${select}) as changed where procedure_id is not null;`;

const TRIGGERS: Trigger[] = [
  { name: 'fc_procedures_insert', on: 'after insert on procedures', body: mark('new.id') },
  { name: 'fc_procedures_update', on: 'after update on procedures', body: mark('new.id') },
  { name: 'fc_units_update', on: 'after update of code on units', body: mark('0') },
  { name: 'fc_dossiers', on: 'before insert on dossier_stats_dirty', body: mark('new.procedure_id') },
  { name: 'fc_nc_insert', on: 'after insert on nonconformities when new.procedure_id is not null', body: mark('new.procedure_id') },
  {
    name: 'fc_nc_update',
    on: 'after update on nonconformities',
    body: bySelect('select new.procedure_id as procedure_id union select old.procedure_id'),
  },
  {
    name: 'fc_nc_history_insert',
    on: 'after insert on nc_status_history',
    body: bySelect('select procedure_id from nonconformities where id = new.nonconformity_id'),
  },
  {
    name: 'fc_nc_history_update',
    on: 'after update on nc_status_history',
    body: bySelect('select procedure_id from nonconformities where id = new.nonconformity_id'),
  },
  {
    name: 'fc_nc_actions_insert',
    on: 'after insert on nc_actions',
    body: bySelect('select procedure_id from nonconformities where id = new.nonconformity_id'),
  },
  {
    name: 'fc_nc_actions_update',
    on: 'after update on nc_actions',
    body: bySelect('select procedure_id from nonconformities where id in (new.nonconformity_id, old.nonconformity_id)'),
  },
  { name: 'fc_documents_insert', on: 'after insert on documents when new.procedure_id is not null', body: mark('new.procedure_id') },
  { name: 'fc_documents_update', on: 'after update on documents', body: bySelect('select new.procedure_id as procedure_id union select old.procedure_id') },
  { name: 'fc_revisions_insert', on: 'after insert on document_revisions', body: bySelect('select procedure_id from documents where id = new.document_id') },
  { name: 'fc_revisions_update', on: 'after update on document_revisions', body: bySelect('select procedure_id from documents where id = new.document_id') },
  { name: 'fc_audits_update', on: 'after update on audits', body: bySelect('select procedure_id from audit_procedures where audit_id = new.id') },
  { name: 'fc_audit_procedures_insert', on: 'after insert on audit_procedures', body: mark('new.procedure_id') },
  { name: 'fc_audit_procedures_delete', on: 'after delete on audit_procedures', body: mark('old.procedure_id') },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('figure_changes')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('procedure_id', 'integer', (c) => c.notNull().unique())
    .execute();
  for (const t of TRIGGERS) await createTrigger(db, t.name, t.on, t.body);
  // Whatever was computed before this table existed is unknown to it: every procedure counts as changed.
  await sql`insert into figure_changes (procedure_id) values (0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TRIGGERS) await dropTrigger(db, t.name, /\bon (\w+)/.exec(t.on)![1]);
  await sql`drop table if exists figure_changes`.execute(db);
}
