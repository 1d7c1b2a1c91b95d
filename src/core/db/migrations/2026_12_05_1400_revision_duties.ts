import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse } from '../dialect/ddl';

/**
 * Separation of duties on document revisions (issue 19, point 12).
 *
 * - organisation.revision_signers: how many different people a revision needs — 3 (author, reviewer and approver
 *   all different; the default) or 2 (for very small offices: the reviewer may also approve, the author still
 *   neither reviews nor approves their own revision).
 * - document_revisions.signers_rule: the rule in force when the revision was approved (2 or 3), written with the
 *   approval and never changed afterwards; null for a revision not approved, or approved before this migration.
 * - Triggers refuse, whatever the code does: an author signing the review of their own revision, an author
 *   approving it, and — unless the revision was approved under the rule of 2 — its reviewer approving it. They fire
 *   only when reviewer_id / approver_id are written, so older rows are never blocked by a later status change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisation')
    .addColumn('revision_signers', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(3)
        .check(sql`revision_signers in (2, 3)`),
    )
    .execute();
  await db.schema
    .alterTable('document_revisions')
    .addColumn('signers_rule', 'integer', (c) => c.check(sql`signers_rule is null or signers_rule in (2, 3)`))
    .execute();

  await createTrigger(
    db,
    'document_revisions_review_not_by_author',
    `before update of reviewer_id on document_revisions
    when new.reviewer_id is not null and new.reviewer_id = new.author_id`,
    refuse('the author of a revision cannot review it'),
  );
  await createTrigger(
    db,
    'document_revisions_approval_by_another',
    `before update of approver_id on document_revisions
    when new.approver_id is not null and (
      new.approver_id = new.author_id or
      (new.approver_id = new.reviewer_id and coalesce(new.signers_rule, 3) <> 2)
    )`,
    refuse('the approver of a revision must be another person than its author and (rule of 3) its reviewer'),
  );
  await createTrigger(
    db,
    'document_revisions_signers_rule_kept',
    `before update of signers_rule on document_revisions
    when old.signers_rule is not null and new.signers_rule is distinct from old.signers_rule`,
    refuse('the separation-of-duties rule of an approved revision never changes'),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['document_revisions_signers_rule_kept', 'document_revisions_approval_by_another', 'document_revisions_review_not_by_author']) {
    await dropTrigger(db, trigger, 'document_revisions');
  }
  await db.schema.alterTable('document_revisions').dropColumn('signers_rule').execute();
  await db.schema.alterTable('organisation').dropColumn('revision_signers').execute();
}
