import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';
import { createTrigger, dropTrigger, isoDate, jsonOf, rebuildSqliteTable, refuse, withForeignKeysOff } from '../dialect/ddl';

/**
 * Management review (xem xét của lãnh đạo, ISO 9001:2015 clause 9.3):
 * - `management_reviews`: one meeting of an organisation for a period — its code, period, date, place, chair (a
 *   leader), secretary, attendees (users, as a JSON array of ids) and guests (free text), the leaders' assessment of
 *   each input (a JSON object keyed by input), the conclusions; a draft until the chair signs it, when the input data
 *   pack and the letterhead are frozen as JSON beside the signature. A signed review never changes and no review is
 *   deleted (triggers).
 * - `management_review_decisions`: the decisions of a review (improvement opportunity, change to the QMS, resource
 *   need), each followed by an action of the actions engine (nc_actions.review_decision_id). Added while the review is
 *   a draft; never changed or deleted; the signing sets `locked` on them, after which no decision is added to the
 *   review (trigger).
 * - The actions engine serves the reviews too: an action now belongs to exactly one of a nonconformity, a risk or a
 *   review's decision (the check nc_actions_one_source over three columns; SQLite rebuilds nc_actions again).
 */
const TWO_SOURCES = `(case when nonconformity_id is null then 0 else 1 end) + (case when risk_id is null then 0 else 1 end) = 1`;
const THREE_SOURCES =
  `(case when nonconformity_id is null then 0 else 1 end) + (case when risk_id is null then 0 else 1 end)` +
  ` + (case when review_decision_id is null then 0 else 1 end) = 1`;
const REVIEW_COLUMN = `"review_decision_id" integer references "management_review_decisions" ("id")`;

const SIGNED_ONLY = 'a signed management review does not change: its minutes are a record';
const NO_DECISION_AFTER_SIGNING = 'a signed management review takes no new decision; its decisions are never changed or deleted';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('management_reviews')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('number_text', 'text')
    .addColumn('period_from', 'text', (c) => c.notNull().check(isoDate(db, 'period_from')))
    .addColumn('period_to', 'text', (c) => c.notNull().check(isoDate(db, 'period_to')))
    .addColumn('held_on', 'text', (c) => c.notNull().check(isoDate(db, 'held_on')))
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('chair_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('secretary_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('attendee_ids', 'text', (c) =>
      c
        .notNull()
        .defaultTo('[]')
        .check(jsonOf(db, 'attendee_ids', 'array')),
    )
    .addColumn('guests', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('assessments', 'text', (c) =>
      c
        .notNull()
        .defaultTo('{}')
        .check(jsonOf(db, 'assessments', 'object')),
    )
    .addColumn('conclusions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'signed')`),
    )
    .addColumn('pack_json', 'text')
    .addColumn('letterhead_json', 'text')
    .addColumn('as_of', 'text', (c) => c.check(sql`as_of is null or (${isoDate(db, 'as_of')})`))
    .addColumn('content_sha256', 'text')
    .addColumn('signature_id', 'integer', (c) => c.references('e_signatures.id'))
    .addColumn('signed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('signed_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('management_reviews_period', sql`period_from <= period_to`)
    .addCheckConstraint(
      'management_reviews_signed',
      sql`(status = 'signed') = (pack_json is not null and letterhead_json is not null and as_of is not null and content_sha256 is not null
        and signature_id is not null and signed_by is not null and signed_at is not null)`,
    )
    .addCheckConstraint('management_reviews_signed_by_chair', sql`signed_by is null or signed_by = chair_id`)
    .execute();
  await sql`create unique index management_reviews_code_uq on management_reviews (organisation_id, code)`.execute(db);
  await sql`create index management_reviews_held_idx on management_reviews (organisation_id, held_on)`.execute(db);
  await createTrigger(db, 'management_reviews_no_delete', 'before delete on management_reviews', refuse('a management review is never deleted'));
  await createTrigger(db, 'management_reviews_signed_frozen', `before update on management_reviews when old.status = 'signed'`, refuse(SIGNED_ONLY));

  await db.schema
    .createTable('management_review_decisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('management_reviews.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('improvement', 'qms_change', 'resource')`))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`locked in (0, 1)`),
    )
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index management_review_decisions_seq_uq on management_review_decisions (review_id, seq)`.execute(db);
  await createTrigger(db, 'management_review_decisions_no_delete', 'before delete on management_review_decisions', refuse(NO_DECISION_AFTER_SIGNING));
  // the one change a decision takes: locked 0 → 1, everything else as it was
  await createTrigger(
    db,
    'management_review_decisions_frozen',
    `before update on management_review_decisions when not (old.locked = 0 and new.locked = 1 and new.id = old.id
      and new.organisation_id = old.organisation_id and new.review_id = old.review_id and new.seq = old.seq and new.kind = old.kind
      and new.description = old.description and new.created_by is not distinct from old.created_by and new.created_at = old.created_at)`,
    refuse(NO_DECISION_AFTER_SIGNING),
  );
  // no decision added to a signed review (PostgreSQL's WHEN takes no subquery: the function asks)
  if (engineOf(db) === 'sqlite') {
    await sql
      .raw(
        `create trigger management_review_decisions_signed before insert on management_review_decisions
         when (select status from management_reviews where id = new.review_id) = 'signed' begin ${refuse(NO_DECISION_AFTER_SIGNING)} end`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create or replace function management_review_decisions_signed() returns trigger language plpgsql as $fn$ begin
           if exists (select 1 from management_reviews where id = new.review_id and status = 'signed') then
             raise exception '${NO_DECISION_AFTER_SIGNING}';
           end if;
           return new; end $fn$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger management_review_decisions_signed before insert on management_review_decisions for each row
         execute function management_review_decisions_signed()`,
      )
      .execute(db);
  }

  if (engineOf(db) === 'postgres') {
    await sql`alter table nc_actions add column review_decision_id integer references management_review_decisions (id)`.execute(db);
    await sql`alter table nc_actions drop constraint nc_actions_one_source`.execute(db);
    await sql.raw(`alter table nc_actions add constraint nc_actions_one_source check (${THREE_SOURCES})`).execute(db);
  } else {
    await withForeignKeysOff(db, () =>
      rebuildSqliteTable(db, 'nc_actions', [{ from: `check (${TWO_SOURCES})`, to: `check (${THREE_SOURCES})` }], { column: REVIEW_COLUMN }),
    );
  }
  await sql`create unique index nc_actions_review_decision_idx on nc_actions (review_decision_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists nc_actions_review_decision_idx`.execute(db);
  const ofReviews = 'select id from nc_actions where review_decision_id is not null';
  await sql.raw(`delete from nc_action_due_history where action_id in (${ofReviews})`).execute(db);
  await sql.raw(`delete from nc_action_notes where action_id in (${ofReviews})`).execute(db);
  await sql.raw(`delete from nc_action_files where action_id in (${ofReviews})`).execute(db);
  await sql`delete from nc_actions where review_decision_id is not null`.execute(db);
  if (engineOf(db) === 'postgres') {
    await sql`alter table nc_actions drop constraint nc_actions_one_source`.execute(db);
    await sql.raw(`alter table nc_actions add constraint nc_actions_one_source check (${TWO_SOURCES})`).execute(db);
    await sql`alter table nc_actions drop column review_decision_id`.execute(db);
  } else {
    await withForeignKeysOff(db, () =>
      rebuildSqliteTable(db, 'nc_actions', [
        { from: `, ${REVIEW_COLUMN}`, to: '' },
        { from: `check (${THREE_SOURCES})`, to: `check (${TWO_SOURCES})` },
      ]),
    );
  }
  await dropTrigger(db, 'management_review_decisions_signed', 'management_review_decisions');
  await dropTrigger(db, 'management_review_decisions_frozen', 'management_review_decisions');
  await dropTrigger(db, 'management_review_decisions_no_delete', 'management_review_decisions');
  await dropTrigger(db, 'management_reviews_signed_frozen', 'management_reviews');
  await dropTrigger(db, 'management_reviews_no_delete', 'management_reviews');
  await db.schema.dropTable('management_review_decisions').ifExists().execute();
  await db.schema.dropTable('management_reviews').ifExists().execute();
}
