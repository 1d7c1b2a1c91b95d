import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, rebuildSqliteTable, withForeignKeysOff, withoutRowid, type TableEdit } from '../dialect/ddl';
import { engineOf } from '../dialect/engine';
import { up as ncRegisterCountsUp, down as ncRegisterCountsDown } from './2026_12_08_1100_nc_register_counts';
import { up as overviewCountsUp, down as overviewCountsDown } from './2026_12_09_0910_overview_counts';
import { up as openActionDueCountsUp, down as openActionDueCountsDown } from './2026_12_09_0920_open_action_due_counts';

/**
 * Organisations (issue 22), the schema's part: one database holds many organisations, each with its own QMS.
 *
 * - `organisation` becomes the table of organisations (it held the one office's settings, id 1): a code (unique),
 *   a parent (the tree province → department or commune → office), a kind and a status (`read_only` once merged
 *   into a successor). The existing row keeps id 1 and gets the code `DV1`; a database that had no settings yet
 *   gets that row with an empty name (settings not filled in yet, as before).
 * - `organisation_lineage`: merges and splits (predecessor → successor, date, reason).
 * - Every table of an organisation's data gets `organisation_id` (NOT NULL, references organisation), 1 for every
 *   existing row. Its default 1 is transitional: the application writes it explicitly, and a later migration
 *   drops the default once every writer does.
 * - What was unique in the database becomes unique per organisation: codes (units, procedures, documents,
 *   nonconformities, audits, dossiers), an NC's (year, seq), the audit programme and annual report of a year, a
 *   checklist template's name, the record-number counters.
 * - The figures kept by triggers (overview_counts, nc_register_counts, open_action_due_counts) are kept per
 *   organisation: rebuilt with organisation_id in their key and refilled.
 * - Holidays: organisation_id NULL is a day for everyone (the country's calendar, set once); an organisation may
 *   add its own days. The existing days become everyone's.
 *
 * Not given the column: the tables that are not an organisation's data (migrations, meta, content-addressed files,
 * login throttling, signing keys, sessions: a session belongs to a user) and the derived tables keyed by a
 * procedure's or an NC's id, which belong to one organisation through that id (dossier_stats_*, figure_changes,
 * nc_report_spans). The audit chain's switch points (audit_chain) are the database's: the chains per organisation
 * begin at the second (2026_12_12_0900_audit_chain_per_organisation).
 *
 * SQLite cannot alter a constraint: each table is rebuilt from its own stored definition (rebuildSqliteTable), in one
 * transaction with foreign keys checked before commit. PostgreSQL alters the tables in place.
 */

const COLUMN = `"organisation_id" integer default 1 not null references "organisation" ("id")`;

/** The org tables with no constraint to change: the column only. */
const PLAIN = [
  'users',
  'procedure_terms',
  'document_revisions',
  'document_reviews',
  'document_review_due_changes',
  'document_acknowledgements',
  'document_ack_units',
  'nc_status_history',
  'nc_corrections',
  'nc_verifications',
  'nc_actions',
  'nc_action_notes',
  'nc_action_files',
  'nc_action_due_history',
  'nonconformity_dossiers',
  'audit_procedures',
  'audit_units',
  'audit_clauses',
  'audit_team_members',
  'audit_checklist_items',
  'audit_findings',
  'audit_evidence_files',
  'audit_programme_items',
  'audit_checklist_template_questions',
  'dossier_imports',
  'e_signatures',
  'audit_log',
];

interface Scoped {
  table: string;
  /** SQLite: edits of the stored definition besides the column (exactly once each). */
  sqlite: TableEdit[];
  /** SQLite: the table constraints added after the column. */
  constraints: string;
  /** PostgreSQL: statements run after the column is added. */
  postgres: string[];
  /** PostgreSQL: what `down` runs before the column is dropped. */
  postgresDown: string[];
}

/** A column that was unique in the database and becomes unique per organisation. */
function uniquePerOrg(table: string, column: string, type: string, pgName = `${table}_${column}_key`): Scoped {
  return {
    table,
    sqlite: [{ from: `"${column}" ${type} not null unique`, to: `"${column}" ${type} not null` }],
    constraints: `, constraint "${table}_org_${column}_uq" unique ("organisation_id", "${column}")`,
    postgres: [
      `alter table ${table} drop constraint ${pgName}`,
      `alter table ${table} add constraint ${table}_org_${column}_uq unique (organisation_id, ${column})`,
    ],
    postgresDown: [`alter table ${table} drop constraint ${table}_org_${column}_uq`, `alter table ${table} add constraint ${pgName} unique (${column})`],
  };
}

const SCOPED: Scoped[] = [
  uniquePerOrg('units', 'code', 'text'),
  uniquePerOrg('procedures', 'code', 'text'),
  uniquePerOrg('documents', 'code', 'text'),
  uniquePerOrg('audits', 'code', 'text'),
  uniquePerOrg('dossiers', 'code', 'text'),
  uniquePerOrg('audit_checklist_templates', 'name', 'text'),
  {
    ...uniquePerOrg('audit_programmes', 'year', 'integer'),
    sqlite: [{ from: `"year" integer not null unique check`, to: `"year" integer not null check` }],
  },
  {
    ...uniquePerOrg('annual_reports', 'year', 'integer'),
    sqlite: [{ from: `"year" integer not null unique check`, to: `"year" integer not null check` }],
  },
  (() => {
    const code = uniquePerOrg('nonconformities', 'code', 'text');
    return {
      ...code,
      sqlite: [
        ...code.sqlite,
        {
          from: `constraint "nonconformities_year_seq_uq" unique ("year", "seq")`,
          to: `constraint "nonconformities_year_seq_uq" unique ("organisation_id", "year", "seq")`,
        },
      ],
      postgres: [
        ...code.postgres,
        'alter table nonconformities drop constraint nonconformities_year_seq_uq',
        'alter table nonconformities add constraint nonconformities_year_seq_uq unique (organisation_id, year, seq)',
      ],
      postgresDown: [
        ...code.postgresDown,
        'alter table nonconformities drop constraint nonconformities_year_seq_uq',
        'alter table nonconformities add constraint nonconformities_year_seq_uq unique (year, seq)',
      ],
    };
  })(),
  {
    table: 'nc_counters',
    sqlite: [{ from: `"year" integer primary key check`, to: `"year" integer not null check` }],
    constraints: `, constraint "nc_counters_pk" primary key ("organisation_id", "year")`,
    postgres: [
      'alter table nc_counters drop constraint nc_counters_pkey',
      'alter table nc_counters add constraint nc_counters_pk primary key (organisation_id, year)',
    ],
    postgresDown: ['alter table nc_counters drop constraint nc_counters_pk', 'alter table nc_counters add constraint nc_counters_pkey primary key (year)'],
  },
  {
    table: 'audit_code_counters',
    sqlite: [
      {
        from: `constraint "audit_code_counters_pk" primary key ("prefix", "year")`,
        to: `constraint "audit_code_counters_pk" primary key ("organisation_id", "prefix", "year")`,
      },
    ],
    constraints: '',
    postgres: [
      'alter table audit_code_counters drop constraint audit_code_counters_pk',
      'alter table audit_code_counters add constraint audit_code_counters_pk primary key (organisation_id, prefix, year)',
    ],
    postgresDown: [
      'alter table audit_code_counters drop constraint audit_code_counters_pk',
      'alter table audit_code_counters add constraint audit_code_counters_pk primary key (prefix, year)',
    ],
  },
];

/** Adds the column (and the table's new constraints) on SQLite. */
const addColumn = (db: Kysely<any>, table: string, s: Scoped | undefined) =>
  rebuildSqliteTable(db, table, s?.sqlite ?? [], { column: COLUMN, constraints: s?.constraints });
/** Its reverse, for `down`. */
const dropColumn = (db: Kysely<any>, table: string, s: Scoped | undefined) =>
  rebuildSqliteTable(db, table, [
    { from: `, ${COLUMN}`, to: '' },
    ...(s?.constraints ? [{ from: s.constraints, to: '' }] : []),
    ...(s?.sqlite ?? []).map((e) => ({ from: e.to, to: e.from as string })),
  ]);

// ---- the figures kept by triggers, per organisation ----------------------------------------------------------

const plusOverview = (
  name: string,
  row: 'new',
  when: string,
) => `insert or ignore into overview_counts (organisation_id, name, n) select ${row}.organisation_id, ${name}, 0 where ${when};
  update overview_counts set n = n + 1 where organisation_id = ${row}.organisation_id and name = ${name} and ${when};`;
const minusOverview = (name: string, when: string) =>
  `update overview_counts set n = n - 1 where organisation_id = old.organisation_id and name = ${name} and ${when};`;

/** The admin's counts per organisation, from the tables (the migration, and bulk loads that suspend the triggers). */
export const OVERVIEW_COUNTS_FILL = `insert into overview_counts (organisation_id, name, n)
  select organisation_id, 'documents', count(*) from documents where status = 'active' group by organisation_id
  union all select organisation_id, 'procedures', count(*) from procedures where status = 'active' group by organisation_id
  union all select organisation_id, 'users:' || role, count(*) from users where active = 1 group by organisation_id, role`;

/** Open actions per organisation and due date, from the table. */
export const OPEN_ACTION_DUE_COUNTS_FILL = `insert into open_action_due_counts (organisation_id, due_date, n)
  select organisation_id, due_date, count(*) from nc_actions where status in ('planned', 'in_progress') group by organisation_id, due_date`;

/** The register's counts per organisation, year, status and severity, from the table. */
export const NC_REGISTER_COUNTS_FILL = `insert into nc_register_counts (organisation_id, year, status, severity, n)
  select organisation_id, year, status, severity, count(*) from nonconformities group by organisation_id, year, status, severity`;

const NC_KEY = (row: 'new' | 'old') =>
  `organisation_id = ${row}.organisation_id and year = ${row}.year and status = ${row}.status and severity = ${row}.severity`;
const ncAdd = `insert or ignore into nc_register_counts (organisation_id, year, status, severity, n) values (new.organisation_id, new.year, new.status, new.severity, 0);
  update nc_register_counts set n = n + 1 where ${NC_KEY('new')};`;
const ncRemove = `update nc_register_counts set n = n - 1 where ${NC_KEY('old')};`;

const OPEN = (row: 'new' | 'old') => `${row}.status in ('planned', 'in_progress')`;
const dueAdd = `insert or ignore into open_action_due_counts (organisation_id, due_date, n) select new.organisation_id, new.due_date, 0 where ${OPEN('new')};
  update open_action_due_counts set n = n + 1 where organisation_id = new.organisation_id and due_date = new.due_date and ${OPEN('new')};`;
const dueRemove = `update open_action_due_counts set n = n - 1 where organisation_id = old.organisation_id and due_date = old.due_date and ${OPEN('old')};`;

const TRIGGERS = [
  ...(['documents', 'procedures'] as const).flatMap((table) => [
    { name: `overview_counts_${table}_insert`, table, on: `after insert on ${table}`, body: plusOverview(`'${table}'`, 'new', `new.status = 'active'`) },
    {
      name: `overview_counts_${table}_update`,
      table,
      on: `after update of status, organisation_id on ${table} when old.status <> new.status or old.organisation_id <> new.organisation_id`,
      body: `${minusOverview(`'${table}'`, `old.status = 'active'`)}\n  ${plusOverview(`'${table}'`, 'new', `new.status = 'active'`)}`,
    },
    { name: `overview_counts_${table}_delete`, table, on: `after delete on ${table}`, body: minusOverview(`'${table}'`, `old.status = 'active'`) },
  ]),
  { name: 'overview_counts_users_insert', table: 'users', on: 'after insert on users', body: plusOverview(`'users:' || new.role`, 'new', 'new.active = 1') },
  {
    name: 'overview_counts_users_update',
    table: 'users',
    on: 'after update of active, role, organisation_id on users when old.active <> new.active or old.role <> new.role or old.organisation_id <> new.organisation_id',
    body: `${minusOverview(`'users:' || old.role`, 'old.active = 1')}\n  ${plusOverview(`'users:' || new.role`, 'new', 'new.active = 1')}`,
  },
  { name: 'overview_counts_users_delete', table: 'users', on: 'after delete on users', body: minusOverview(`'users:' || old.role`, 'old.active = 1') },
  { name: 'nc_register_counts_insert', table: 'nonconformities', on: 'after insert on nonconformities', body: ncAdd },
  {
    name: 'nc_register_counts_update',
    table: 'nonconformities',
    on:
      'after update of year, status, severity, organisation_id on nonconformities when old.year <> new.year or old.status <> new.status' +
      ' or old.severity <> new.severity or old.organisation_id <> new.organisation_id',
    body: `${ncRemove}\n  ${ncAdd}`,
  },
  { name: 'nc_register_counts_delete', table: 'nonconformities', on: 'after delete on nonconformities', body: ncRemove },
  { name: 'open_action_due_counts_insert', table: 'nc_actions', on: 'after insert on nc_actions', body: dueAdd },
  {
    name: 'open_action_due_counts_update',
    table: 'nc_actions',
    on:
      'after update of status, due_date, organisation_id on nc_actions when old.status <> new.status or old.due_date <> new.due_date' +
      ' or old.organisation_id <> new.organisation_id',
    body: `${dueRemove}\n  ${dueAdd}`,
  },
  { name: 'open_action_due_counts_delete', table: 'nc_actions', on: 'after delete on nc_actions', body: dueRemove },
];

async function createCounts(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('overview_counts')
    .addColumn('organisation_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('overview_counts_pk', ['organisation_id', 'name'])
    .modifyEnd(withoutRowid(db))
    .execute();
  await db.schema
    .createTable('nc_register_counts')
    .addColumn('organisation_id', 'integer', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('nc_register_counts_pk', ['organisation_id', 'year', 'status', 'severity'])
    .modifyEnd(withoutRowid(db))
    .execute();
  await db.schema
    .createTable('open_action_due_counts')
    .addColumn('organisation_id', 'integer', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('open_action_due_counts_pk', ['organisation_id', 'due_date'])
    .modifyEnd(withoutRowid(db))
    .execute();
  await sql.raw(OVERVIEW_COUNTS_FILL).execute(db);
  await sql.raw(NC_REGISTER_COUNTS_FILL).execute(db);
  await sql.raw(OPEN_ACTION_DUE_COUNTS_FILL).execute(db);
  for (const t of TRIGGERS) await createTrigger(db, t.name, t.on, t.body);
}

async function dropCounts(db: Kysely<any>): Promise<void> {
  for (const t of TRIGGERS) await dropTrigger(db, t.name, t.table);
  for (const table of ['overview_counts', 'nc_register_counts', 'open_action_due_counts']) await db.schema.dropTable(table).ifExists().execute();
}

// ---- organisation ----------------------------------------------------------------------------------------------

const ORG_KINDS = `'province', 'department', 'commune', 'office', 'template'`;
const ORG_COLUMNS =
  `"code" text default '' not null, "parent_id" integer references "organisation" ("id"),` +
  ` "kind" text default 'office' not null check (kind in (${ORG_KINDS})),` +
  ` "status" text default 'active' not null check (status in ('active', 'read_only')), "created_at" text default '' not null`;

async function organisationUp(db: Kysely<any>, now: string): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    await rebuildSqliteTable(db, 'organisation', [{ from: `"id" integer primary key check (id = 1)`, to: `"id" integer primary key autoincrement` }], {
      column: ORG_COLUMNS,
    });
  } else {
    await sql`alter table organisation drop constraint organisation_id_check`.execute(db);
    await sql`alter table organisation alter column id add generated by default as identity`.execute(db);
    await sql
      .raw(
        `alter table organisation add column code text not null default '', add column parent_id integer references organisation (id),
      add column kind text not null default 'office' check (kind in (${ORG_KINDS})),
      add column status text not null default 'active' check (status in ('active', 'read_only')), add column created_at text not null default ''`,
      )
      .execute(db);
  }
  await sql`insert into organisation (id, name, updated_at) select 1, '', ${now} where not exists (select 1 from organisation)`.execute(db);
  await sql`update organisation set code = 'DV1', created_at = ${now} where id = 1`.execute(db);
  if (engineOf(db) === 'postgres') await sql`select setval(pg_get_serial_sequence('organisation', 'id'), (select max(id) from organisation))`.execute(db);
  await sql`create unique index organisation_code_uq on organisation (code)`.execute(db);
  await sql`create index organisation_parent_idx on organisation (parent_id)`.execute(db);
  await db.schema
    .createTable('organisation_lineage')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('predecessor_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('successor_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('merge', 'split')`))
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addCheckConstraint('organisation_lineage_not_self', sql`predecessor_id <> successor_id`)
    .addUniqueConstraint('organisation_lineage_pair', ['predecessor_id', 'successor_id'])
    .execute();
  await sql`create index organisation_lineage_successor_idx on organisation_lineage (successor_id)`.execute(db);
}

async function organisationDown(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisation_lineage').execute();
  await sql`drop index organisation_parent_idx`.execute(db);
  await sql`drop index organisation_code_uq`.execute(db);
  await sql`delete from organisation where id <> 1`.execute(db);
  if (engineOf(db) === 'sqlite') {
    await rebuildSqliteTable(db, 'organisation', [
      { from: `"id" integer primary key autoincrement`, to: `"id" integer primary key check (id = 1)` },
      { from: `, ${ORG_COLUMNS}`, to: '' },
    ]);
  } else {
    await sql`alter table organisation drop column code, drop column parent_id, drop column kind, drop column status, drop column created_at`.execute(db);
    await sql`alter table organisation alter column id drop identity`.execute(db);
    await sql`alter table organisation add constraint organisation_id_check check (id = 1)`.execute(db);
  }
}

// ---- holidays ----------------------------------------------------------------------------------------------------

/** As SQLite stores it in the table's definition after ALTER TABLE ADD COLUMN. */
const HOLIDAYS_COLUMN = ', organisation_id integer references organisation (id)';

async function holidaysUp(db: Kysely<any>): Promise<void> {
  await sql.raw(`alter table holidays add column${HOLIDAYS_COLUMN.slice(1)}`).execute(db);
  await sql`drop index holidays_active_date_idx`.execute(db);
  await sql`create unique index holidays_active_date_idx on holidays (coalesce(organisation_id, 0), date) where cancelled = 0`.execute(db);
}

async function holidaysDown(db: Kysely<any>): Promise<void> {
  await sql`drop index holidays_active_date_idx`.execute(db);
  await sql`delete from holidays where organisation_id is not null`.execute(db);
  if (engineOf(db) === 'sqlite') await rebuildSqliteTable(db, 'holidays', [{ from: HOLIDAYS_COLUMN, to: '' }]);
  else await sql`alter table holidays drop column organisation_id`.execute(db);
  await sql`create unique index holidays_active_date_idx on holidays (date) where cancelled = 0`.execute(db);
}

// ---- up and down -------------------------------------------------------------------------------------------------

export async function up(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  await ncRegisterCountsDown(db);
  await overviewCountsDown(db);
  await openActionDueCountsDown(db);
  await withForeignKeysOff(db, async () => {
    await organisationUp(db, now);
    const scoped = new Map(SCOPED.map((s) => [s.table, s]));
    for (const table of [...PLAIN, ...scoped.keys()]) {
      const s = scoped.get(table);
      if (engineOf(db) === 'sqlite') await addColumn(db, table, s);
      else {
        await sql.raw(`alter table ${table} add column organisation_id integer not null default 1 references organisation (id)`).execute(db);
        for (const statement of s?.postgres ?? []) await sql.raw(statement).execute(db);
      }
    }
    await holidaysUp(db);
    await createCounts(db);
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  const others = await sql<{ n: number }>`select count(*) as n from organisation where id <> 1`.execute(db);
  if (Number(others.rows[0].n) > 0) throw new Error('organisations: this database holds more than one organisation; it cannot go back to one');
  await dropCounts(db);
  await withForeignKeysOff(db, async () => {
    const scoped = new Map(SCOPED.map((s) => [s.table, s]));
    for (const table of [...PLAIN, ...scoped.keys()]) {
      const s = scoped.get(table);
      if (engineOf(db) === 'sqlite') await dropColumn(db, table, s);
      else {
        for (const statement of s?.postgresDown ?? []) await sql.raw(statement).execute(db);
        await sql.raw(`alter table ${table} drop column organisation_id`).execute(db);
      }
    }
    await holidaysDown(db);
    await organisationDown(db);
  });
  await ncRegisterCountsUp(db);
  await overviewCountsUp(db);
  await openActionDueCountsUp(db);
}
