import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';
import { jsonOf } from '../dialect/ddl';

/**
 * Internal audits (ISO 9001 clause 9.2): the yearly programme and its planned audits, audits with their
 * scope and team, checklists, findings (linked to the nonconformities they raise), checklist templates.
 */
const AUDIT_TYPES = sql`('internal', 'certification', 'surveillance')`;
const RESULTS = sql`('conform', 'major_nc', 'minor_nc', 'observation', 'ofi', 'not_applicable')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_programmes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('year', 'integer', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`year between 2000 and 2100`),
    )
    .addColumn('objectives', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'approved')`),
    )
    .addColumn('approved_by', 'integer', (c) => c.references('users.id'))
    .addColumn('approved_at', 'text')
    .addColumn('signature_id', 'integer', (c) => c.references('e_signatures.id'))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_programme_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('programme_id', 'integer', (c) => c.notNull().references('audit_programmes.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull().check(sql`month between 1 and 12`))
    .addColumn('audit_type', 'text', (c) =>
      c
        .notNull()
        .defaultTo('internal')
        .check(sql`audit_type in ${AUDIT_TYPES}`),
    )
    .addColumn('procedure_ids', 'text', (c) =>
      c
        .notNull()
        .defaultTo('[]')
        .check(jsonOf(db, 'procedure_ids', 'array')),
    )
    .addColumn('unit_ids', 'text', (c) =>
      c
        .notNull()
        .defaultTo('[]')
        .check(jsonOf(db, 'unit_ids', 'array')),
    )
    .addColumn('clauses', 'text', (c) =>
      c
        .notNull()
        .defaultTo('[]')
        .check(jsonOf(db, 'clauses', 'array')),
    )
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('planned')
        .check(sql`status in ('planned', 'cancelled')`),
    )
    .addColumn('cancel_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_programme_items_programme_idx').on('audit_programme_items').columns(['programme_id', 'month']).execute();

  await db.schema
    .createTable('audit_code_counters')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_no', 'integer', (c) => c.notNull().check(sql`last_no >= 0`))
    .addPrimaryKeyConstraint('audit_code_counters_pk', ['prefix', 'year'])
    .execute();

  await db.schema
    .createTable('audits')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ${AUDIT_TYPES}`))
    .addColumn('programme_item_id', 'integer', (c) => c.references('audit_programme_items.id'))
    .addColumn('follow_up_of', 'integer', (c) => c.references('audits.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('objectives', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('criteria_other', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('external_body', 'text')
    .addColumn('auditee_unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('lead_auditor_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('planned_start', 'text', (c) => c.notNull())
    .addColumn('planned_end', 'text', (c) => c.notNull())
    .addColumn('actual_start', 'text')
    .addColumn('actual_end', 'text')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('planned')
        .check(sql`status in ('planned', 'in_progress', 'reported', 'closed', 'cancelled')`),
    )
    .addColumn('cancel_reason', 'text')
    .addColumn('conclusion', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('report_issued_at', 'text')
    .addColumn('report_signature_id', 'integer', (c) => c.references('e_signatures.id'))
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('audits_planned_order', sql`planned_end >= planned_start`)
    .addCheckConstraint('audits_actual_order', sql`actual_end is null or (actual_start is not null and actual_end >= actual_start)`)
    .execute();
  await db.schema.createIndex('audits_status_idx').on('audits').columns(['status', 'planned_start']).execute();
  await db.schema.createIndex('audits_actual_start_idx').on('audits').column('actual_start').execute();
  await db.schema.createIndex('audits_item_idx').on('audits').column('programme_item_id').execute();

  await db.schema
    .createTable('audit_team_members')
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audits.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('audit_team_members_pk', ['audit_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('audit_procedures')
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audits.id'))
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
    .addPrimaryKeyConstraint('audit_procedures_pk', ['audit_id', 'procedure_id'])
    .execute();
  await db.schema.createIndex('audit_procedures_procedure_idx').on('audit_procedures').column('procedure_id').execute();
  await db.schema
    .createTable('audit_units')
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audits.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('audit_units_pk', ['audit_id', 'unit_id'])
    .execute();
  await db.schema
    .createTable('audit_clauses')
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audits.id'))
    .addColumn('clause', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_clauses_pk', ['audit_id', 'clause'])
    .execute();

  await db.schema
    .createTable('audit_checklist_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audits.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('clause', 'text')
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.check(sql`result is null or result in ${RESULTS}`))
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('statement', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('found_on', 'text')
    // A reference to a table created below: SQLite takes it at once, PostgreSQL once that table exists (below).
    .addColumn('follows_finding_id', 'integer', (c) => (engineOf(db) === 'sqlite' ? c.references('audit_findings.id') : c))
    .addColumn('assessed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('assessed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_checklist_items_audit_idx').on('audit_checklist_items').columns(['audit_id', 'position']).execute();

  await db.schema
    .createTable('audit_findings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audits.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('checklist_item_id', 'integer', (c) => c.notNull().unique().references('audit_checklist_items.id'))
    .addColumn('grade', 'text', (c) => c.notNull().check(sql`grade in ('major_nc', 'minor_nc', 'observation', 'ofi')`))
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('clause', 'text')
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('found_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'withdrawn')`),
    )
    .addColumn('withdrawn_reason', 'text')
    .addColumn('nonconformity_id', 'integer', (c) => c.unique().references('nonconformities.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('audit_findings_seq_unique', ['audit_id', 'seq'])
    .addCheckConstraint('audit_findings_nc_grade', sql`nonconformity_id is null or grade in ('major_nc', 'minor_nc')`)
    .execute();
  if (engineOf(db) !== 'sqlite')
    await db.schema
      .alterTable('audit_checklist_items')
      .addForeignKeyConstraint('audit_checklist_items_follows_finding_fk', ['follows_finding_id'], 'audit_findings', ['id'])
      .execute();
  await db.schema.createIndex('audit_findings_procedure_idx').on('audit_findings').columns(['procedure_id', 'grade']).execute();

  await db.schema
    .createTable('audit_evidence_files')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('audit_id', 'integer', (c) => c.notNull().references('audits.id'))
    .addColumn('checklist_item_id', 'integer', (c) => c.notNull().references('audit_checklist_items.id'))
    .addColumn('file_sha256', 'text', (c) => c.notNull().references('files.sha256'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_evidence_files_item_idx').on('audit_evidence_files').column('checklist_item_id').execute();

  await db.schema
    .createTable('audit_checklist_templates')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`active in (0, 1)`),
    )
    .addColumn('retired_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('audit_checklist_template_questions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('template_id', 'integer', (c) => c.notNull().references('audit_checklist_templates.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('clause', 'text')
    .addColumn('question', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_checklist_template_questions_idx').on('audit_checklist_template_questions').columns(['template_id', 'position']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_checklist_template_questions',
    'audit_checklist_templates',
    'audit_evidence_files',
    'audit_findings',
    'audit_checklist_items',
    'audit_clauses',
    'audit_units',
    'audit_procedures',
    'audit_team_members',
    'audits',
    'audit_code_counters',
    'audit_programme_items',
    'audit_programmes',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
