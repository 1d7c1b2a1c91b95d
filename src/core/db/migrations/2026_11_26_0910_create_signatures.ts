import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse } from '../dialect/ddl';

/** Electronic signatures (re-entered password) for any record: documents, reviews, audit programmes, reports. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('e_signatures')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('meaning', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signer_role', 'text', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull().check(sql`length(content_sha256) = 64`))
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('e_signatures_entity_idx').on('e_signatures').columns(['entity', 'entity_id']).execute();
  await createTrigger(db, 'e_signatures_no_update', 'before update on e_signatures', refuse('signatures cannot change'));
  await createTrigger(db, 'e_signatures_no_delete', 'before delete on e_signatures', refuse('signatures cannot be deleted'));
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'e_signatures_no_delete', 'e_signatures');
  await dropTrigger(db, 'e_signatures_no_update', 'e_signatures');
  await db.schema.dropTable('e_signatures').ifExists().execute();
}
