import type { Kysely } from 'kysely';

/**
 * When an audit was cancelled (issue 20, point 1): a report counts an audit held within its period as of the
 * period's end, so an audit cancelled after its fieldwork began still counts for a period that ended before the
 * cancellation. Audits cancelled before this migration have no date and stay out of every period, as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audits').addColumn('cancelled_on', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audits').dropColumn('cancelled_on').execute();
}
