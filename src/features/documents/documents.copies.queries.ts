import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { DocumentControlledCopiesTable } from './documents.tables';

/** The register of controlled paper copies (issue 25): every statement on document_controlled_copies. */
export type CopyRow = Omit<Selectable<DocumentControlledCopiesTable>, 'organisation_id'> & {
  revision_no: number;
  issued_by_name: string;
  withdrawn_by_name: string | null;
};

const base = (db: Db) =>
  db
    .selectFrom('document_controlled_copies as c')
    .innerJoin('document_revisions as r', 'r.id', 'c.revision_id')
    .innerJoin('users as issuer', 'issuer.id', 'c.issued_by')
    .leftJoin('users as withdrawer', 'withdrawer.id', 'c.withdrawn_by')
    .where('c.organisation_id', '=', organisationOf(db))
    .select([
      'c.id',
      'c.document_id',
      'c.revision_id',
      'r.revision_no',
      'c.copy_no',
      'c.holder',
      'c.issued_by',
      'issuer.full_name as issued_by_name',
      'c.issued_at',
      'c.withdrawn_at',
      'c.withdrawn_by',
      'withdrawer.full_name as withdrawn_by_name',
      'c.withdrawn_reason',
    ]);

/** Every copy of a document, newest first (withdrawn ones too: the register keeps them). */
export function listCopies(db: Db, documentId: number): Promise<CopyRow[]> {
  return base(db).where('c.document_id', '=', documentId).orderBy('c.copy_no', 'desc').execute();
}

export function findCopy(db: Db, documentId: number, copyNo: number): Promise<CopyRow | undefined> {
  return base(db).where('c.document_id', '=', documentId).where('c.copy_no', '=', copyNo).executeTakeFirst();
}

export function findCopyById(db: Db, documentId: number, id: number): Promise<CopyRow | undefined> {
  return base(db).where('c.document_id', '=', documentId).where('c.id', '=', id).executeTakeFirst();
}

/** The next copy number of a document (1 for its first). */
export async function nextCopyNo(db: Db, documentId: number): Promise<number> {
  const row = await db
    .selectFrom('document_controlled_copies')
    .select((eb) => eb.fn.max('copy_no').as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

export async function insertCopy(
  db: Db,
  values: { document_id: number; revision_id: number; copy_no: number; holder: string; issued_by: number; issued_at: string },
): Promise<number> {
  const row = await db
    .insertInto('document_controlled_copies')
    .values({ ...values, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Withdraws a copy still in circulation; false when it was withdrawn already. */
export async function updateCopyWithdrawn(
  db: Db,
  id: number,
  change: { withdrawn_at: string; withdrawn_by: number; withdrawn_reason: string },
): Promise<boolean> {
  const result = await db
    .updateTable('document_controlled_copies')
    .set(change)
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
