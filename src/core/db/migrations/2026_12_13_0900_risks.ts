import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';
import { appendOnly, dropTrigger, isoDate, rebuildSqliteTable, withForeignKeysOff } from '../dialect/ddl';

/**
 * Risks and opportunities (ISO 9001:2015 clause 6.1, issue 23): the register of each organisation, per procedure or
 * process, and the reviews of each entry.
 * - `risks`: what may happen (or may be gained), its cause and consequence, likelihood and impact (1–5) and the level
 *   they give in the organisation's matrix (kept here, rewritten in the transaction that changes the matrix or the
 *   scores), the treatment chosen, the owner, the next review's date, and the residual scores and level and the
 *   actions' effectiveness as judged at the latest review. Corrected by editing (audit-logged); closed with a reason.
 * - `risk_reviews`: each review as held (residual scores and level, effectiveness, note, next review); never changed
 *   or deleted.
 * - `organisation.risk_matrix`: the matrix as 25 digits 1–4 (low … very high), likelihood 1–5 by impact 1–5 row by
 *   row; null is the default matrix (src/features/risks/risks.matrix.ts).
 * - The actions engine serves risks too: an action belongs to a nonconformity or to a risk, never both.
 *   nc_actions.nonconformity_id becomes nullable, nc_actions.risk_id is added and a check holds exactly one of them.
 */
const DIGITS = (db: Kysely<any>) =>
  engineOf(db) === 'sqlite' ? sql.raw(`length(risk_matrix) = 25 and risk_matrix not glob '*[^1-4]*'`) : sql.raw(`risk_matrix ~ '^[1-4]{25}$'`);

const LEVEL = (column: string) => sql.raw(`${column} in ('low', 'medium', 'high', 'very_high')`);
const SCORE = (column: string) => sql.raw(`${column} between 1 and 5`);

const ONE_SOURCE = `(case when nonconformity_id is null then 0 else 1 end) + (case when risk_id is null then 0 else 1 end) = 1`;
const NC_REQUIRED = `"nonconformity_id" integer not null references "nonconformities" ("id")`;
const NC_OPTIONAL = `"nonconformity_id" integer references "nonconformities" ("id")`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisation')
    .addColumn('risk_matrix', 'text', (c) => c.check(sql`risk_matrix is null or (${DIGITS(db)})`))
    .execute();
  await db.schema
    .createTable('risks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('risk', 'opportunity')`))
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('process', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('consequence', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('likelihood', 'integer', (c) => c.notNull().check(SCORE('likelihood')))
    .addColumn('impact', 'integer', (c) => c.notNull().check(SCORE('impact')))
    .addColumn('level', 'text', (c) => c.notNull().check(LEVEL('level')))
    .addColumn('treatment', 'text', (c) => c.check(sql`treatment is null or treatment in ('accept', 'reduce', 'avoid', 'transfer', 'pursue')`))
    .addColumn('treatment_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('identified_on', 'text', (c) => c.notNull().check(isoDate(db, 'identified_on')))
    .addColumn('review_due', 'text', (c) => c.notNull().check(isoDate(db, 'review_due')))
    .addColumn('last_reviewed_on', 'text', (c) => c.check(sql`last_reviewed_on is null or (${isoDate(db, 'last_reviewed_on')})`))
    .addColumn('residual_likelihood', 'integer', (c) => c.check(sql`residual_likelihood is null or (${SCORE('residual_likelihood')})`))
    .addColumn('residual_impact', 'integer', (c) => c.check(sql`residual_impact is null or (${SCORE('residual_impact')})`))
    .addColumn('residual_level', 'text', (c) => c.check(sql`residual_level is null or (${LEVEL('residual_level')})`))
    .addColumn('effectiveness', 'text', (c) =>
      c.check(sql`effectiveness is null or effectiveness in ('effective', 'partly_effective', 'not_effective', 'too_early')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'closed')`),
    )
    .addColumn('closed_on', 'text', (c) => c.check(sql`closed_on is null or (${isoDate(db, 'closed_on')})`))
    .addColumn('close_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('risks_subject', sql`procedure_id is not null or (process is not null and process <> '')`)
    .addCheckConstraint(
      'risks_treatment_kind',
      sql`treatment is null or (kind = 'risk' and treatment in ('accept', 'reduce', 'avoid', 'transfer')) or (kind = 'opportunity' and treatment in ('pursue', 'accept'))`,
    )
    .addCheckConstraint(
      'risks_residual',
      sql`(residual_level is null) = (residual_likelihood is null) and (residual_level is null) = (residual_impact is null)`,
    )
    .addCheckConstraint('risks_closed', sql`(status = 'closed') = (closed_on is not null and close_reason is not null)`)
    .execute();
  await sql`create unique index risks_code_uq on risks (organisation_id, code)`.execute(db);
  await sql`create index risks_org_status_idx on risks (organisation_id, status, review_due)`.execute(db);
  await sql`create index risks_procedure_idx on risks (procedure_id)`.execute(db);

  await db.schema
    .createTable('risk_reviews')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('risk_id', 'integer', (c) => c.notNull().references('risks.id'))
    .addColumn('reviewed_on', 'text', (c) => c.notNull().check(isoDate(db, 'reviewed_on')))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('likelihood', 'integer', (c) => c.notNull().check(SCORE('likelihood')))
    .addColumn('impact', 'integer', (c) => c.notNull().check(SCORE('impact')))
    .addColumn('level', 'text', (c) => c.notNull().check(LEVEL('level')))
    .addColumn('effectiveness', 'text', (c) => c.notNull().check(sql`effectiveness in ('effective', 'partly_effective', 'not_effective', 'too_early')`))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('next_review', 'text', (c) => c.check(sql`next_review is null or (${isoDate(db, 'next_review')})`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index risk_reviews_risk_idx on risk_reviews (risk_id, id)`.execute(db);
  await appendOnly(
    db,
    'risk_reviews',
    { update: 'risk_reviews_no_update', delete: 'risk_reviews_no_delete' },
    'a review of a risk is a record: it is never changed or deleted',
  );

  if (engineOf(db) === 'postgres') {
    await sql`alter table nc_actions alter column nonconformity_id drop not null`.execute(db);
    await sql`alter table nc_actions add column risk_id integer references risks (id)`.execute(db);
    await sql.raw(`alter table nc_actions add constraint nc_actions_one_source check (${ONE_SOURCE})`).execute(db);
  } else {
    await withForeignKeysOff(db, () =>
      rebuildSqliteTable(db, 'nc_actions', [{ from: NC_REQUIRED, to: NC_OPTIONAL }], {
        column: `"risk_id" integer references "risks" ("id")`,
        constraints: `, constraint "nc_actions_one_source" check (${ONE_SOURCE})`,
      }),
    );
  }
  await sql`create index nc_actions_risk_idx on nc_actions (risk_id, status)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists nc_actions_risk_idx`.execute(db);
  await sql`delete from nc_action_due_history where action_id in (select id from nc_actions where risk_id is not null)`.execute(db);
  await sql`delete from nc_action_notes where action_id in (select id from nc_actions where risk_id is not null)`.execute(db);
  await sql`delete from nc_action_files where action_id in (select id from nc_actions where risk_id is not null)`.execute(db);
  await sql`delete from nc_actions where risk_id is not null`.execute(db);
  if (engineOf(db) === 'postgres') {
    await sql`alter table nc_actions drop constraint nc_actions_one_source`.execute(db);
    await sql`alter table nc_actions drop column risk_id`.execute(db);
    await sql`alter table nc_actions alter column nonconformity_id set not null`.execute(db);
  } else {
    await withForeignKeysOff(db, () =>
      rebuildSqliteTable(db, 'nc_actions', [
        { from: NC_OPTIONAL, to: NC_REQUIRED },
        { from: `, "risk_id" integer references "risks" ("id")`, to: '' },
        { from: `, constraint "nc_actions_one_source" check (${ONE_SOURCE})`, to: '' },
      ]),
    );
  }
  await dropTrigger(db, 'risk_reviews_no_update', 'risk_reviews');
  await dropTrigger(db, 'risk_reviews_no_delete', 'risk_reviews');
  await db.schema.dropTable('risk_reviews').ifExists().execute();
  await db.schema.dropTable('risks').ifExists().execute();
  await db.schema.alterTable('organisation').dropColumn('risk_matrix').execute();
}
