import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { periodConditions } from '../dossiers/dossiers.figures.queries';
import type { ApologySlipsTable } from './apologies.tables';

export type SlipRow = Selectable<ApologySlipsTable>;

/** Every slip of one dossier of the organisation, the latest first (cancelled ones too: the history is kept). */
export function listSlipsOfDossier(db: Db, dossierId: number): Promise<SlipRow[]> {
  return db
    .selectFrom('apology_slips')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('dossier_id', '=', dossierId)
    .orderBy('issued_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findSlip(db: Db, id: number): Promise<SlipRow | undefined> {
  return db.selectFrom('apology_slips').selectAll().where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

/** The slip in force for a dossier: its latest recorded one (by date issued, then by when it was recorded). */
export function findSlipInForce(db: Db, dossierId: number): Promise<SlipRow | undefined> {
  return db
    .selectFrom('apology_slips')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('dossier_id', '=', dossierId)
    .where('status', '=', 'recorded')
    .orderBy('issued_on', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A recorded (not cancelled) slip of the organisation with this number. */
export function findRecordedByNumber(db: Db, slipNo: string): Promise<SlipRow | undefined> {
  return db
    .selectFrom('apology_slips')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'recorded')
    .where('slip_no', '=', slipNo)
    .executeTakeFirst();
}

export async function insertSlip(db: Db, row: Omit<Insertable<ApologySlipsTable>, 'organisation_id'>): Promise<number> {
  const inserted = await db
    .insertInto('apology_slips')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Cancels a recorded slip; false when it was not recorded (already cancelled). */
export async function cancelSlipRow(db: Db, id: number, reason: string, at: string, by: number): Promise<boolean> {
  const result = await db
    .updateTable('apology_slips')
    .set({ status: 'cancelled', cancel_reason: reason, cancelled_at: at, cancelled_by: by })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'recorded')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A late or overdue dossier of a period, with the slip in force at the period's end (none: null columns). */
export interface LateDossierRow {
  id: number;
  code: string;
  procedure_id: number;
  procedure_code: string;
  procedure_title: string;
  received_on: string;
  due_on: string;
  returned_on: string | null;
  /** 1: resolved late in the period; 0: pending and overdue at its end. */
  late: number;
  slip_id: number | null;
  slip_no: string | null;
  issued_on: string | null;
  new_due_on: string | null;
}

/**
 * The period's late dossiers (resolved late within it) and its pending overdue dossiers (pending at its end, due
 * before it), as REPORTING.md counts them, each with the slip in force at the period's end: the latest recorded
 * slip issued on or before `to`. A cancelled slip was recorded by mistake and never counts.
 */
export function listLateDossiers(db: Db, from: string, to: string, procedureId?: number): Promise<LateDossierRow[]> {
  const k = periodConditions(from, to);
  let q = db
    .selectFrom('dossiers as d')
    .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
    .leftJoin('apology_slips as s', (j) =>
      j.on(
        sql<boolean>`s.id = (select s2.id from apology_slips s2 where s2.dossier_id = d.id and s2.organisation_id = d.organisation_id
          and s2.status = 'recorded' and s2.issued_on <= ${to} order by s2.issued_on desc, s2.id desc limit 1)`,
      ),
    )
    .select([
      'd.id',
      'd.code',
      'd.procedure_id',
      'p.code as procedure_code',
      'p.title as procedure_title',
      'd.received_on',
      'd.due_on',
      'd.returned_on',
      sql<number>`case when ${k.late} then 1 else 0 end`.as('late'),
      's.id as slip_id',
      's.slip_no',
      's.issued_on',
      's.new_due_on',
    ])
    .where('d.organisation_id', '=', organisationOf(db))
    .where(sql<boolean>`(${k.late} or ${k.pendingOverdue})`);
  if (procedureId !== undefined) q = q.where('d.procedure_id', '=', procedureId);
  return q.orderBy('p.code').orderBy('d.due_on').orderBy('d.id').execute();
}
