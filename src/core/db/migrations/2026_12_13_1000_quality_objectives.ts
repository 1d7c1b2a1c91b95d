import { sql, type Kysely } from 'kysely';
import { appendOnly, createTrigger, dropTrigger, refuse } from '../dialect/ddl';

/**
 * Quality objectives (mục tiêu chất lượng, TCVN ISO 9001:2015 clause 6.2): per organisation and year, a set of
 * objectives (the organisation's or one unit's), each with its indicator, target, frequency of measurement, owner and
 * the plan of 6.2.2; the set is approved by a leader's electronic signature (objective_approvals keeps every
 * approval). An approved objective is locked: triggers refuse any change of its content (only its cancellation, with
 * a reason, which is an amendment that needs a new approval) and every deletion. Manual readings are append-only: a
 * reading is corrected by a later reading that supersedes it, with a reason.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('objective_sets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2000 and 2100`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'submitted', 'approved')`),
    )
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by', 'integer', (c) => c.references('users.id'))
    .addColumn('approved_at', 'text')
    .addColumn('signature_id', 'integer', (c) => c.references('e_signatures.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('objective_sets_approved', sql`(status = 'approved') = (signature_id is not null and approved_at is not null)`)
    .execute();
  await sql`create unique index objective_sets_year_uq on objective_sets (organisation_id, year)`.execute(db);

  await db.schema
    .createTable('quality_objectives')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('set_id', 'integer', (c) => c.notNull().references('objective_sets.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('objective', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text', (c) =>
      c.notNull().check(sql`indicator in ('manual', 'on_time_rate', 'nc_closed_on_time', 'audit_programme_completed', 'documents_reviewed_on_time')`),
    )
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('comparison', 'text', (c) => c.notNull().check(sql`comparison in ('gte', 'lte')`))
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('monthly', 'quarterly', 'half_yearly', 'yearly')`))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('plan_what', 'text', (c) => c.notNull())
    .addColumn('plan_resources', 'text', (c) => c.notNull())
    .addColumn('plan_who', 'text', (c) => c.notNull())
    .addColumn('plan_when', 'text', (c) => c.notNull())
    .addColumn('plan_evaluation', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'cancelled')`),
    )
    .addColumn('locked', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`locked in (0, 1)`),
    )
    .addColumn('approved_revision', 'integer')
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('quality_objectives_procedure', sql`indicator = 'on_time_rate' or procedure_id is null`)
    .addCheckConstraint('quality_objectives_unit', sql`indicator = 'manual' or unit = '%'`)
    .addCheckConstraint('quality_objectives_cancelled', sql`(status = 'cancelled') = (cancel_reason is not null and cancelled_at is not null)`)
    .addCheckConstraint('quality_objectives_locked', sql`(locked = 1) = (approved_revision is not null)`)
    .execute();
  await sql`create unique index quality_objectives_seq_uq on quality_objectives (organisation_id, year, seq)`.execute(db);
  await sql`create index quality_objectives_set_idx on quality_objectives (set_id, status)`.execute(db);

  await db.schema
    .createTable('objective_approvals')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('set_id', 'integer', (c) => c.notNull().references('objective_sets.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('signature_id', 'integer', (c) => c.notNull().references('e_signatures.id'))
    .addColumn('approved_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'text', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('objectives', 'integer', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`create unique index objective_approvals_uq on objective_approvals (set_id, revision)`.execute(db);

  await db.schema
    .createTable('objective_readings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('objective_id', 'integer', (c) => c.notNull().references('quality_objectives.id'))
    .addColumn('period', 'text', (c) =>
      c.notNull().check(sql`period in ('M01','M02','M03','M04','M05','M06','M07','M08','M09','M10','M11','M12','Q1','Q2','Q3','Q4','H1','H2','Y')`),
    )
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('file_sha256', 'text', (c) => c.references('files.sha256'))
    .addColumn('file_name', 'text')
    .addColumn('file_mime', 'text')
    .addColumn('supersedes_id', 'integer', (c) => c.references('objective_readings.id'))
    .addColumn('correction_reason', 'text')
    .addColumn('recorded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addCheckConstraint('objective_readings_file', sql`(file_sha256 is null) = (file_name is null) and (file_sha256 is null) = (file_mime is null)`)
    .addCheckConstraint('objective_readings_correction', sql`(supersedes_id is null) = (correction_reason is null)`)
    .execute();
  // one first reading per period; each reading corrected at most once (a correction is corrected in turn)
  await sql`create unique index objective_readings_first_uq on objective_readings (objective_id, period) where supersedes_id is null`.execute(db);
  await sql`create unique index objective_readings_supersedes_uq on objective_readings (supersedes_id) where supersedes_id is not null`.execute(db);

  await createTrigger(
    db,
    'quality_objectives_no_delete',
    'before delete on quality_objectives',
    refuse('an objective is never deleted: cancel it with a reason'),
  );
  await createTrigger(
    db,
    'quality_objectives_frozen',
    `before update on quality_objectives when (old.status = 'cancelled') or (old.locked = 1 and not (new.locked = 1
      and new.id = old.id and new.organisation_id = old.organisation_id and new.set_id = old.set_id and new.year = old.year
      and new.seq = old.seq and new.unit_id is not distinct from old.unit_id and new.objective = old.objective
      and new.indicator = old.indicator and new.procedure_id is not distinct from old.procedure_id
      and new.comparison = old.comparison and new.target = old.target and new.unit = old.unit and new.frequency = old.frequency
      and new.owner_id = old.owner_id and new.plan_what = old.plan_what and new.plan_resources = old.plan_resources
      and new.plan_who = old.plan_who and new.plan_when = old.plan_when and new.plan_evaluation = old.plan_evaluation
      and new.approved_revision = old.approved_revision and new.created_at = old.created_at))`,
    refuse('an approved objective does not change; only its cancellation, with a reason, as an amendment'),
  );
  await appendOnly(
    db,
    'objective_approvals',
    { update: 'objective_approvals_no_update', delete: 'objective_approvals_no_delete' },
    'an approval of the objectives is never changed or deleted',
  );
  await appendOnly(
    db,
    'objective_readings',
    { update: 'objective_readings_no_update', delete: 'objective_readings_no_delete' },
    'a reading is never changed or deleted: correct it with a new reading and a reason',
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'objective_readings_no_delete', 'objective_readings');
  await dropTrigger(db, 'objective_readings_no_update', 'objective_readings');
  await dropTrigger(db, 'objective_approvals_no_delete', 'objective_approvals');
  await dropTrigger(db, 'objective_approvals_no_update', 'objective_approvals');
  await dropTrigger(db, 'quality_objectives_frozen', 'quality_objectives');
  await dropTrigger(db, 'quality_objectives_no_delete', 'quality_objectives');
  await db.schema.dropTable('objective_readings').ifExists().execute();
  await db.schema.dropTable('objective_approvals').ifExists().execute();
  await db.schema.dropTable('quality_objectives').ifExists().execute();
  await db.schema.dropTable('objective_sets').ifExists().execute();
}
