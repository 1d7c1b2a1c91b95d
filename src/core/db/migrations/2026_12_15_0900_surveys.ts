import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';
import { createTrigger, dropTrigger, isoDate, refuse } from '../dialect/ddl';

/**
 * Citizens' satisfaction surveys (ISO 9001:2015 clause 9.1.2, issue 24).
 * - `survey_question_sets`: the organisation's question set, versioned. A draft is edited; activating it retires the
 *   set in force (one active set per organisation). Answers keep the set (and so the questions) they were given on: an
 *   active or retired set and its questions never change (triggers).
 * - `survey_questions`: the questions of a set, each on one criterion (access to information, the procedure and its
 *   papers, the officials' attitude and guidance, the time taken, the result, or another), in Vietnamese and English,
 *   answered on a 1–5 scale.
 * - `survey_responses`: one answer through the public page, for a procedure (and the unit that handled the procedure
 *   when answered, kept so that moving a procedure later does not move its answers), optionally tied to a dossier code
 *   (one answer per dossier code), with the citizen's comment, the counter named on the card, and the local date. Nothing
 *   else about the citizen is stored. An answer is never changed; spam is discarded with a reason (not deleted), and
 *   discarded answers count nowhere.
 * - `survey_scores`: the answer's score (1–5) per question; a question left unanswered has no row.
 * - `organisation.survey_low_score`: a score at or below it on any question opens a feedback record for triage
 *   (0: never); `organisation.survey_comment_feedback`: a comment opens one too (1) or not (0).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisation')
    .addColumn('survey_low_score', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(2)
        .check(sql`survey_low_score between 0 and 4`),
    )
    .execute();
  await db.schema
    .alterTable('organisation')
    .addColumn('survey_comment_feedback', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`survey_comment_feedback in (0, 1)`),
    )
    .execute();

  await db.schema
    .createTable('survey_question_sets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'active', 'retired')`),
    )
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'text')
    .addColumn('activated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('retired_at', 'text')
    .addCheckConstraint('survey_question_sets_activated', sql`(status = 'draft') = (activated_at is null)`)
    .addCheckConstraint('survey_question_sets_retired', sql`(status = 'retired') = (retired_at is not null)`)
    .execute();
  await sql`create unique index survey_question_sets_version_uq on survey_question_sets (organisation_id, version)`.execute(db);
  await sql`create unique index survey_question_sets_active_uq on survey_question_sets (organisation_id) where status = 'active'`.execute(db);
  await createTrigger(
    db,
    'survey_question_sets_no_delete',
    `before delete on survey_question_sets when old.status <> 'draft'`,
    refuse('a question set that was in use is never deleted'),
  );
  await createTrigger(
    db,
    'survey_question_sets_frozen',
    `before update on survey_question_sets when old.status <> 'draft' and not (old.status = 'active' and new.status = 'retired'
      and new.id = old.id and new.organisation_id = old.organisation_id and new.version = old.version and new.note = old.note
      and new.activated_at = old.activated_at and new.activated_by is not distinct from old.activated_by)`,
    refuse('a question set in use does not change; only its retirement'),
  );

  await db.schema
    .createTable('survey_questions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('question_set_id', 'integer', (c) => c.notNull().references('survey_question_sets.id'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('criterion', 'text', (c) => c.notNull().check(sql`criterion in ('information', 'procedure', 'attitude', 'time', 'result', 'other')`))
    .addColumn('text_vi', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index survey_questions_seq_uq on survey_questions (question_set_id, seq)`.execute(db);
  // A trigger's WHEN may not hold a subquery on PostgreSQL: there the test is in the function's body.
  for (const [event, row] of [
    ['insert', 'new'],
    ['update', 'old'],
    ['delete', 'old'],
  ] as const) {
    const name = `survey_questions_frozen_${event}`;
    const inUse = `(select status from survey_question_sets where id = ${row}.question_set_id) <> 'draft'`;
    if (engineOf(db) === 'sqlite') {
      await createTrigger(db, name, `before ${event} on survey_questions when ${inUse}`, refuse('the questions of a set in use do not change'));
    } else {
      await sql
        .raw(
          `create or replace function ${name}() returns trigger language plpgsql as $fn$ begin if ${inUse} then ` +
            `raise exception 'the questions of a set in use do not change'; end if; return ${event === 'delete' ? 'old' : 'new'}; end $fn$`,
        )
        .execute(db);
      await sql.raw(`create trigger ${name} before ${event} on survey_questions for each row execute function ${name}()`).execute(db);
    }
  }

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('question_set_id', 'integer', (c) => c.notNull().references('survey_question_sets.id'))
    .addColumn('dossier_code', 'text')
    .addColumn('counter', 'text')
    .addColumn('comment', 'text')
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('vi', 'en')`))
    .addColumn('answered_on', 'text', (c) => c.notNull().check(isoDate(db, 'answered_on')))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('counted')
        .check(sql`status in ('counted', 'discarded')`),
    )
    .addColumn('discard_reason', 'text')
    .addColumn('discarded_at', 'text')
    .addColumn('discarded_by', 'integer', (c) => c.references('users.id'))
    .addCheckConstraint('survey_responses_discarded', sql`(status = 'discarded') = (discard_reason is not null and discarded_at is not null)`)
    .execute();
  await sql`create unique index survey_responses_dossier_uq on survey_responses (organisation_id, dossier_code) where dossier_code is not null`.execute(db);
  await sql`create index survey_responses_org_idx on survey_responses (organisation_id, status, answered_on)`.execute(db);
  await sql`create index survey_responses_procedure_idx on survey_responses (procedure_id, answered_on)`.execute(db);
  await createTrigger(
    db,
    'survey_responses_no_delete',
    'before delete on survey_responses',
    refuse('a survey answer is never deleted: discard it with a reason'),
  );
  await createTrigger(
    db,
    'survey_responses_frozen',
    `before update on survey_responses when not (old.status = 'counted' and new.status = 'discarded'
      and new.id = old.id and new.organisation_id = old.organisation_id and new.procedure_id = old.procedure_id
      and new.unit_id is not distinct from old.unit_id and new.question_set_id = old.question_set_id
      and new.dossier_code is not distinct from old.dossier_code and new.counter is not distinct from old.counter
      and new.comment is not distinct from old.comment and new.language = old.language
      and new.answered_on = old.answered_on and new.created_at = old.created_at)`,
    refuse('a survey answer does not change; only its discarding, with a reason'),
  );

  await db.schema
    .createTable('survey_scores')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('survey_responses.id'))
    .addColumn('question_id', 'integer', (c) => c.notNull().references('survey_questions.id'))
    .addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 1 and 5`))
    .addPrimaryKeyConstraint('survey_scores_pk', ['response_id', 'question_id'])
    .execute();
  await sql`create index survey_scores_question_idx on survey_scores (question_id)`.execute(db);
  await createTrigger(db, 'survey_scores_no_update', 'before update on survey_scores', refuse('a survey score never changes'));
  await createTrigger(db, 'survey_scores_no_delete', 'before delete on survey_scores', refuse('a survey score is never deleted'));
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'survey_scores_no_delete', 'survey_scores');
  await dropTrigger(db, 'survey_scores_no_update', 'survey_scores');
  await db.schema.dropTable('survey_scores').ifExists().execute();
  await dropTrigger(db, 'survey_responses_frozen', 'survey_responses');
  await dropTrigger(db, 'survey_responses_no_delete', 'survey_responses');
  await db.schema.dropTable('survey_responses').ifExists().execute();
  for (const event of ['insert', 'update', 'delete']) await dropTrigger(db, `survey_questions_frozen_${event}`, 'survey_questions');
  await db.schema.dropTable('survey_questions').ifExists().execute();
  await dropTrigger(db, 'survey_question_sets_frozen', 'survey_question_sets');
  await dropTrigger(db, 'survey_question_sets_no_delete', 'survey_question_sets');
  await db.schema.dropTable('survey_question_sets').ifExists().execute();
  await db.schema.alterTable('organisation').dropColumn('survey_comment_feedback').execute();
  await db.schema.alterTable('organisation').dropColumn('survey_low_score').execute();
}
