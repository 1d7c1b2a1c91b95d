import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { periodConditions } from './dossiers.figures.queries';

/** Links between nonconformities (source overdue_dossier) and the dossiers they were raised for. */

export interface LinkedNc {
  dossier_id: number;
  id: number;
  code: string;
  status: string;
}

/** NC statuses that no longer stand for the problem: a dossier may be raised again then. */
export const INACTIVE_NC_STATUSES = ['cancelled', 'rejected'] as const;

export async function listLinkedNonconformities(db: Db, dossierIds: number[]): Promise<LinkedNc[]> {
  if (dossierIds.length === 0) return [];
  return db
    .selectFrom('nonconformity_dossiers as l')
    .innerJoin('nonconformities as n', 'n.id', 'l.nonconformity_id')
    .select(['l.dossier_id', 'n.id', 'n.code', 'n.status'])
    .where('l.dossier_id', 'in', dossierIds)
    .orderBy('n.id')
    .execute();
}

/** Whether a dossier already has a nonconformity that is not cancelled or rejected. */
export async function hasActiveNonconformity(db: Db, dossierId: number): Promise<boolean> {
  const row = await db
    .selectFrom('nonconformity_dossiers as l')
    .innerJoin('nonconformities as n', 'n.id', 'l.nonconformity_id')
    .select('n.id')
    .where('l.dossier_id', '=', dossierId)
    .where('n.status', 'not in', INACTIVE_NC_STATUSES)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A procedure's dossiers that are late (resolved in the period after their due date) or pending overdue at `to`,
 * and not yet covered by an active nonconformity; oldest receipt first.
 */
export function listRaisableDossiers(
  db: Db,
  procedureId: number,
  from: string,
  to: string,
): Promise<{ id: number; code: string; due_on: string; returned_on: string | null }[]> {
  const k = periodConditions(from, to);
  return (
    db
      .selectFrom('dossiers as d')
      .select(['d.id', 'd.code', 'd.due_on', 'd.returned_on'])
      .where('d.procedure_id', '=', procedureId)
      .where(sql<boolean>`(${k.late} or ${k.pendingOverdue})`)
      // eslint-disable-next-line @typescript-eslint/unbound-method -- Kysely's expression builder hands out bound functions
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('nonconformity_dossiers as l')
              .innerJoin('nonconformities as n', 'n.id', 'l.nonconformity_id')
              .select('l.dossier_id')
              .whereRef('l.dossier_id', '=', 'd.id')
              .where('n.status', 'not in', INACTIVE_NC_STATUSES),
          ),
        ),
      )
      .orderBy('d.received_on')
      .orderBy('d.id')
      .execute()
  );
}

/** Links a nonconformity to dossiers, all of the organisation (found by scoped lookups). */
export async function insertNonconformityDossiers(trx: Db, nonconformityId: number, dossierIds: number[], at: string): Promise<void> {
  const organisation_id = organisationOf(trx);
  for (let i = 0; i < dossierIds.length; i += 500) {
    const chunk = dossierIds.slice(i, i + 500).map((dossier_id) => ({ nonconformity_id: nonconformityId, dossier_id, created_at: at, organisation_id }));
    await trx.insertInto('nonconformity_dossiers').values(chunk).execute();
  }
}

/** Dossiers linked to a nonconformity (for its page). */
export function listDossiersOfNonconformity(
  db: Db,
  nonconformityId: number,
): Promise<{ id: number; code: string; procedure_code: string; due_on: string; returned_on: string | null; outcome: string | null }[]> {
  return db
    .selectFrom('nonconformity_dossiers as l')
    .innerJoin('dossiers as d', 'd.id', 'l.dossier_id')
    .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
    .select(['d.id', 'd.code', 'p.code as procedure_code', 'd.due_on', 'd.returned_on', 'd.outcome'])
    .where('l.nonconformity_id', '=', nonconformityId)
    .orderBy('d.received_on')
    .orderBy('d.id')
    .execute();
}

/** A nonconformity that covers dossiers resolved late in a period: its cause as recorded, and how many of them. */
export interface LateCauseRow {
  code: string;
  title: string;
  cause_category: string | null;
  root_cause: string | null;
  dossiers: number;
}

/**
 * The causes of the organisation's late dossiers in [from, to] (resolved after their due date, REPORTING.md), as
 * the nonconformities raised for them record them: how many dossiers were late, how many of them a nonconformity
 * covers (not cancelled or rejected), and each such nonconformity with its cause and the late dossiers it covers.
 */
export async function listLateDossierCauses(db: Db, from: string, to: string): Promise<{ late: number; covered: number; ncs: LateCauseRow[] }> {
  const org = organisationOf(db);
  const k = periodConditions(from, to);
  const covering = (q: ReturnType<typeof lateIn>) =>
    q
      .innerJoin('nonconformity_dossiers as l', 'l.dossier_id', 'd.id')
      .innerJoin('nonconformities as n', 'n.id', 'l.nonconformity_id')
      .where('n.status', 'not in', INACTIVE_NC_STATUSES)
      .where('n.organisation_id', '=', org);
  const lateIn = (dbx: Db) => dbx.selectFrom('dossiers as d').where('d.organisation_id', '=', org).where(k.late);
  const [late, covered, ncs] = await Promise.all([
    lateIn(db)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    covering(lateIn(db))
      .select(sql<number>`count(distinct d.id)`.as('n'))
      .executeTakeFirstOrThrow(),
    covering(lateIn(db))
      .select(['n.code', 'n.title', 'n.cause_category', 'n.root_cause', sql<number>`count(distinct d.id)`.as('dossiers')])
      .groupBy(['n.id', 'n.code', 'n.title', 'n.cause_category', 'n.root_cause'])
      .orderBy('n.code')
      .execute(),
  ]);
  return { late: Number(late.n), covered: Number(covered.n), ncs: ncs.map((r) => ({ ...r, dossiers: Number(r.dossiers) })) };
}
