import type { Selectable } from 'kysely';
import type { Db } from '../db/database';
import { organisationOf } from '../db/scope';
import type { ESignaturesTable } from '../db/schema';

export type SignatureRow = Omit<Selectable<ESignaturesTable>, 'organisation_id'>;

/** A signature of the handle's organisation (the one whose record is signed). */
export async function insertSignature(db: Db, row: Omit<SignatureRow, 'id'>): Promise<number> {
  const inserted = await db
    .insertInto('e_signatures')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export function listSignatures(db: Db, entity: string, entityId: number): Promise<SignatureRow[]> {
  return db
    .selectFrom('e_signatures')
    .select(['id', 'entity', 'entity_id', 'meaning', 'user_id', 'signer_name', 'signer_role', 'content_sha256', 'signed_at', 'audit_anchor'])
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}

export function findSignerCredentials(db: Db, userId: number): Promise<{ password_hash: string; full_name: string; role: string; active: number } | undefined> {
  return db.selectFrom('users').select(['password_hash', 'full_name', 'role', 'active']).where('id', '=', userId).executeTakeFirst();
}
