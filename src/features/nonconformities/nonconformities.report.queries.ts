import { sql } from 'kysely';
import type { Db } from '../../core/db/database';

/**
 * The "Nonconformities" figures of the compliance report (shared/domain/REPORTING.md) for one procedure
 * and a period [from, to] of local dates, both inclusive:
 * - raised: detected within the period;
 * - openAtEnd: detected on or before `to`, not cancelled, and not closed by `to` — the state at `to` is the
 *   last status-history entry dated on or before `to`, so an NC closed and later reopened counts as closed
 *   for a period ending between the two, and as open afterwards;
 * - closed: closed (a transition to "closed") within the period, each NC once;
 * - overdueActions: actions of the procedure's NCs due before `to`, not completed by `to`, not cancelled.
 * Staff reports rejected as unfounded are not nonconformities and count nowhere; cancelled NCs are void
 * for openAtEnd (as the report defines) but were raised. openMajorAtEnd/openMinorAtEnd split openAtEnd
 * by severity (checks no_open_major_nc, no_open_minor_nc).
 */
export interface NcFigures {
  raised: number;
  openAtEnd: number;
  closed: number;
  overdueActions: number;
  openMajorAtEnd: number;
  openMinorAtEnd: number;
}

export async function ncFiguresForProcedure(db: Db, procedureId: number, from: string, to: string): Promise<NcFigures> {
  const raised = await db
    .selectFrom('nonconformities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('procedure_id', '=', procedureId)
    .where('status', '!=', 'rejected')
    .where('detected_on', '>=', from)
    .where('detected_on', '<=', to)
    .executeTakeFirstOrThrow();

  const open = await db
    .selectFrom('nonconformities as n')
    .select(['n.severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('n.procedure_id', '=', procedureId)
    .where('n.detected_on', '<=', to)
    .where('n.status', 'not in', ['cancelled', 'rejected'])
    .where(
      sql<boolean>`coalesce((select h.to_status from nc_status_history h
        where h.nonconformity_id = n.id and h.changed_on <= ${to} order by h.id desc limit 1), 'open') not in ('closed', 'cancelled', 'rejected')`,
    )
    .groupBy('n.severity')
    .execute();
  const openMajorAtEnd = Number(open.find((r) => r.severity === 'major')?.n ?? 0);
  const openMinorAtEnd = Number(open.find((r) => r.severity === 'minor')?.n ?? 0);

  const closed = await db
    .selectFrom('nonconformities as n')
    .select((eb) => eb.fn.count<number>('n.id').distinct().as('n'))
    .where('n.procedure_id', '=', procedureId)
    .where('n.status', '!=', 'rejected')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('nc_status_history as h')
          .select('h.id')
          .whereRef('h.nonconformity_id', '=', 'n.id')
          .where('h.to_status', '=', 'closed')
          .where('h.changed_on', '>=', from)
          .where('h.changed_on', '<=', to),
      ),
    )
    .executeTakeFirstOrThrow();

  const overdue = await db
    .selectFrom('nc_actions as a')
    .innerJoin('nonconformities as n', 'n.id', 'a.nonconformity_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('n.procedure_id', '=', procedureId)
    .where('n.status', '!=', 'rejected')
    .where('a.status', '!=', 'cancelled')
    .where('a.due_date', '<', to)
    .where((eb) => eb.or([eb('a.completed_on', 'is', null), eb('a.completed_on', '>', to)]))
    .executeTakeFirstOrThrow();

  return {
    raised: Number(raised.n),
    openAtEnd: openMajorAtEnd + openMinorAtEnd,
    closed: Number(closed.n),
    overdueActions: Number(overdue.n),
    openMajorAtEnd,
    openMinorAtEnd,
  };
}
