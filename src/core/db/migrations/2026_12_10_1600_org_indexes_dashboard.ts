import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger } from '../dialect/ddl';

/**
 * Organisations, the home pages: every figure is the signed-in organisation's, so the indexes they read hold
 * organisation_id, and the admin's count of audit-log entries is kept per organisation.
 * - overview_counts 'audit_log': the organisation's audit-log entries, kept by a row trigger in the transaction that
 *   appends one (the log refuses updates and deletes). The page read the log's last id as its number of entries; an
 *   organisation's share of a log of a million entries would be a count of that many index entries per request.
 *   OVERVIEW_AUDIT_LOG_FILL computes it from the log (this migration, and bulk loads that suspend triggers).
 * - audit_log_org_idx (organisation_id, id): the organisation's last entry (the admin's home page) and the audit
 *   trail's pages, newest first, and their count.
 * - The quality officer's reviews due are counted from the review-date index alone, and the recently published
 *   revisions (every home page but the admin's) walk their index newest first: organisation_id is added after the
 *   columns they walk, so that the organisation is tested in the index, without reading the rows of the others.
 *   Not leading: SQLite (no statistics) would take an index whose first column is organisation_id for any query
 *   that filters the revisions by organisation (as every query does now), before the index of its own order.
 * - The documents that concern a user (pending acknowledgements): the organisation's active documents of a scope
 *   (and of an owning unit), with code and title, from the index alone: (ack_scope, organisation_id, …).
 * The leader's revisions in review keep their (status, submitted_at) index: a few rows, tested one by one.
 * Same names: the readers of these indexes filter by organisation too.
 */
export const OVERVIEW_AUDIT_LOG_FILL = `insert into overview_counts (organisation_id, name, n)
  select organisation_id, 'audit_log', count(*) from audit_log group by organisation_id`;

const PUBLISHED = `status not in ('draft', 'in_review', 'approved', 'withdrawn', 'cancelled')`;

const AUDIT_LOG_COUNT = `insert or ignore into overview_counts (organisation_id, name, n) values (new.organisation_id, 'audit_log', 0);
  update overview_counts set n = n + 1 where organisation_id = new.organisation_id and name = 'audit_log';`;

/** [name, organisation-scoped definition, former definition]. */
const INDEXES: [string, string, string][] = [
  ['document_revisions_review_due_idx', 'on document_revisions (status, next_review_due, organisation_id)', 'on document_revisions (status, next_review_due)'],
  [
    'document_revisions_published_from_idx',
    `on document_revisions (effective_from, organisation_id) where ${PUBLISHED}`,
    `on document_revisions (effective_from) where ${PUBLISHED}`,
  ],
  [
    'documents_ack_cover_idx',
    `on documents (ack_scope, organisation_id, owner_unit_id, id, code, title) where status = 'active'`,
    `on documents (ack_scope, owner_unit_id, id, code, title) where status = 'active'`,
  ],
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_log_org_idx on audit_log (organisation_id, id)`.execute(db);
  await sql.raw(OVERVIEW_AUDIT_LOG_FILL).execute(db);
  await createTrigger(db, 'overview_counts_audit_log_insert', 'after insert on audit_log', AUDIT_LOG_COUNT);
  for (const [name, scoped] of INDEXES) {
    await sql.raw(`drop index ${name}`).execute(db);
    await sql.raw(`create index ${name} ${scoped}`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, , former] of INDEXES) {
    await sql.raw(`drop index ${name}`).execute(db);
    await sql.raw(`create index ${name} ${former}`).execute(db);
  }
  await dropTrigger(db, 'overview_counts_audit_log_insert', 'audit_log');
  await sql`delete from overview_counts where name = 'audit_log'`.execute(db);
  await sql`drop index audit_log_org_idx`.execute(db);
}
