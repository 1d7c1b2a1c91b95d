import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { isDocKind, type DocKind } from './organisation.print';
import type { OrganisationSignersTable } from './organisation.signers.tables';

export type SignerRow = Selectable<OrganisationSignersTable>;
export type SignerValues = Pick<SignerRow, 'user_id' | 'full_name' | 'position_title' | 'way'>;

/** The organisation's signers, active first, then by name (deactivated ones too: the history is kept). */
export function listSigners(db: Db): Promise<SignerRow[]> {
  return db
    .selectFrom('organisation_signers')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .orderBy('active', 'desc')
    .orderBy('full_name')
    .orderBy('id')
    .execute();
}

export function findSigner(db: Db, id: number): Promise<SignerRow | undefined> {
  return db.selectFrom('organisation_signers').selectAll().where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

/** The active signer entry of a user of the organisation (at most one: a unique index). */
export function findActiveSignerOfUser(db: Db, userId: number): Promise<SignerRow | undefined> {
  return db
    .selectFrom('organisation_signers')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('user_id', '=', userId)
    .where('active', '=', 1)
    .executeTakeFirst();
}

export async function insertSigner(db: Db, values: SignerValues, at: string): Promise<number> {
  const row: Insertable<OrganisationSignersTable> = { ...values, organisation_id: organisationOf(db), created_at: at, updated_at: at };
  const inserted = await db.insertInto('organisation_signers').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Updates an active signer when `version` is still current; false on a conflicting edit or a deactivated signer. */
export async function updateSigner(db: Db, id: number, values: SignerValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('organisation_signers')
    .set({ ...values, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deactivateSignerRow(db: Db, id: number, reason: string, by: number, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('organisation_signers')
    .set({ active: 0, deactivate_reason: reason, deactivated_at: at, deactivated_by: by, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The users of the organisation who may be linked to a signer (active ones), with their position to prefill. */
export function listSignerUsers(db: Db): Promise<{ id: number; full_name: string; position_title: string | null }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'full_name', 'position_title'])
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .orderBy('full_name')
    .execute();
}

/** The recipients per kind of document of the organisation (kinds without a row are absent). */
export async function listRecipientsByKind(db: Db): Promise<Partial<Record<DocKind, string>>> {
  const rows = await db.selectFrom('organisation_recipients').select(['kind', 'recipients']).where('organisation_id', '=', organisationOf(db)).execute();
  const out: Partial<Record<DocKind, string>> = {};
  for (const row of rows) if (isDocKind(row.kind)) out[row.kind] = row.recipients;
  return out;
}

/** Writes the recipients of one kind of document (an empty list keeps its row, empty: the general list prints). */
export async function upsertRecipients(db: Db, kind: DocKind, recipients: string, at: string): Promise<void> {
  await db
    .insertInto('organisation_recipients')
    .values({ organisation_id: organisationOf(db), kind, recipients, updated_at: at })
    .onConflict((oc) => oc.columns(['organisation_id', 'kind']).doUpdateSet({ recipients, updated_at: at }))
    .execute();
}
