import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse } from '../dialect/ddl';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisation')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_agency', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('place_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('report_number_suffix', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('signer_title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('signer_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Ho_Chi_Minh'))
    .addColumn('recipients', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('not_applicable_clauses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('units')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`active in (0, 1)`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'quality_officer', 'leader', 'staff')`))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('email', 'text')
    .addColumn('position_title', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`active in (0, 1)`),
    )
    .addColumn('password_changed_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_unit_idx').on('users').column('unit_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('flash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_seen_idx').on('sessions').column('last_seen_at').execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('username_key', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull().check(sql`succeeded in (0, 1)`))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_user_idx').on('login_attempts').columns(['username_key', 'at']).execute();
  await db.schema.createIndex('login_attempts_ip_idx').on('login_attempts').columns(['ip', 'at']).execute();

  await db.schema
    .createTable('procedures')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('national_code', 'text')
    .addColumn('processing_days', 'integer', (c) => c.check(sql`processing_days is null or processing_days >= 0`))
    .addColumn('online_level', 'text', (c) =>
      c
        .notNull()
        .defaultTo('none')
        .check(sql`online_level in ('full', 'partial', 'none')`),
    )
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('on_time_target', 'real', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`on_time_target >= 0 and on_time_target <= 1`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'retired')`),
    )
    .addColumn('retired_reason', 'text')
    .addColumn('retired_at', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('procedures_national_code_idx').on('procedures').column('national_code').execute();
  await db.schema.createIndex('procedures_unit_idx').on('procedures').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('procedures_field_idx').on('procedures').columns(['field', 'status']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('old_values', 'text')
    .addColumn('new_values', 'text')
    .addColumn('reason', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity', 'entity_id']).execute();
  await db.schema.createIndex('audit_log_user_idx').on('audit_log').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await createTrigger(db, 'audit_log_no_update', 'before update on audit_log', refuse('audit_log is append-only'));
  await createTrigger(db, 'audit_log_no_delete', 'before delete on audit_log', refuse('audit_log is append-only'));
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'audit_log_no_delete', 'audit_log');
  await dropTrigger(db, 'audit_log_no_update', 'audit_log');
  for (const table of ['audit_log', 'procedures', 'login_attempts', 'sessions', 'users', 'units', 'organisation']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
