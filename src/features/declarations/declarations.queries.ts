import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { QmsDeclarationsTable } from './declarations.tables';
import type { ScopeEntry } from './declarations.scope';

export type DeclarationRow = Selectable<QmsDeclarationsTable>;

/** The scope of the QMS now: the organisation's active procedures, in code order. */
export function currentScope(db: Db): Promise<ScopeEntry[]> {
  return db
    .selectFrom('procedures')
    .select(['code', 'title', 'kind'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
}

/** Every declaration of the organisation, the latest first (cancelled ones too: the history is kept). */
export function listDeclarations(db: Db): Promise<DeclarationRow[]> {
  return db
    .selectFrom('qms_declarations')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .orderBy('decided_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findDeclaration(db: Db, id: number): Promise<DeclarationRow | undefined> {
  return db.selectFrom('qms_declarations').selectAll().where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

/** The declaration in force: the latest recorded one (by date, then by when it was recorded), or undefined. */
export function findLatestDeclaration(db: Db): Promise<DeclarationRow | undefined> {
  return db
    .selectFrom('qms_declarations')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'recorded')
    .orderBy('decided_on', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A recorded (not cancelled) declaration of the organisation with this decision number. */
export function findRecordedByNumber(db: Db, decisionNo: string): Promise<{ id: number } | undefined> {
  return db
    .selectFrom('qms_declarations')
    .select('id')
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'recorded')
    .where('decision_no', '=', decisionNo)
    .executeTakeFirst();
}

export async function insertDeclaration(db: Db, row: Omit<Insertable<QmsDeclarationsTable>, 'organisation_id'>): Promise<number> {
  const inserted = await db
    .insertInto('qms_declarations')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Cancels a recorded declaration; false when it was not recorded (already cancelled). */
export async function cancelDeclarationRow(db: Db, id: number, reason: string, at: string, by: number): Promise<boolean> {
  const result = await db
    .updateTable('qms_declarations')
    .set({ status: 'cancelled', cancel_reason: reason, cancelled_at: at, cancelled_by: by })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'recorded')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
