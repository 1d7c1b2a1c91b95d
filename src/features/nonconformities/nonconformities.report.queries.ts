import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/database';

/**
 * The "Nonconformities" figures of the compliance report (shared/domain/REPORTING.md) for a period [from, to] of local
 * dates, both inclusive, read from the records' history as of `to`, never from today's state:
 * - the state of an NC at `to` is the last nc_status_history entry dated on or before `to`; an NC entered after `to`
 *   (detected earlier) is in the state it was entered in; an NC without any history row is in its current status.
 *   So an NC cancelled or closed after `to` is open at `to`, and one closed and reopened later is closed at `to`;
 * - raised: detected within the period and a nonconformity at `to` (neither awaiting triage nor rejected);
 * - openAtEnd: detected on or before `to` and, at `to`, open, analysed, planned, in progress or awaiting verification
 *   (openMajorAtEnd + openMinorAtEnd, for the checks no_open_major_nc and no_open_minor_nc);
 * - awaitingTriage: staff reports detected on or before `to` still awaiting triage ('reported') at `to`; they are not
 *   nonconformities yet, so they count neither as raised nor as open;
 * - closed: closed (a transition to "closed") within the period, each NC once;
 * - overdueActions: actions of the NCs due before `to` (the due date in force at `to`: a due date moved later is read
 *   from nc_action_due_history), not completed by `to` (completed_on null or after `to`) and not cancelled by `to`
 *   (cancelled_on null or after `to`): corrective actions (type 'corrective') and the other types counted apart,
 *   overdueActions their sum.
 * Staff reports rejected as not a nonconformity count nowhere (they were never nonconformities).
 */
export interface NcFigures {
  raised: number;
  openAtEnd: number;
  closed: number;
  awaitingTriage: number;
  overdueActions: number;
  overdueCorrectiveActions: number;
  overdueOtherActions: number;
  openMajorAtEnd: number;
  openMinorAtEnd: number;
}

export const emptyNcFigures = (): NcFigures => ({
  raised: 0,
  openAtEnd: 0,
  closed: 0,
  awaitingTriage: 0,
  overdueActions: 0,
  overdueCorrectiveActions: 0,
  overdueOtherActions: 0,
  openMajorAtEnd: 0,
  openMinorAtEnd: 0,
});

/** The states in which a nonconformity is open (being worked on) at a date. */
export const OPEN_NC_STATES = ['open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'] as const;

const ALL_STATES = sql.raw(`'reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification', 'closed', 'cancelled', 'rejected'`);

/** The status of nonconformity `n` at the end of local day `to`, from its status history (see above). */
export function ncStateAt(to: string): RawBuilder<string> {
  return sql<string>`coalesce(
    (select h.to_status from nc_status_history h where h.nonconformity_id = n.id and h.changed_on <= ${to}
      order by h.id desc limit 1),
    (select h.to_status from nc_status_history h where h.nonconformity_id = n.id order by h.id limit 1),
    n.status)`;
}

/** The figures for every procedure that has nonconformities (key: procedure id, or null for NCs of no procedure), or for one procedure. */
export async function listNcFiguresAt(db: Db, from: string, to: string, procedureId?: number): Promise<Map<number | null, NcFigures>> {
  const only = procedureId === undefined ? sql`1 = 1` : sql`n.procedure_id = ${procedureId}`;
  const out = new Map<number | null, NcFigures>();
  const get = (id: number | null) => {
    let f = out.get(id);
    if (!f) out.set(id, (f = emptyNcFigures()));
    return f;
  };
  const inPeriod = sql`case when n.detected_on >= ${from} then 1 else 0 end`;
  // One procedure: each of its NCs probes its own history by key. Every procedure: NCs without a history entry after
  // `to` are at `to` what they are now, so only those changed after `to` (one index range) are looked up.
  const changedAfter = sql`select nonconformity_id from nc_status_history where to_status in (${ALL_STATES}) and changed_on > ${to}`;
  const stateRows =
    procedureId !== undefined
      ? sql`select n.procedure_id, n.severity, ${ncStateAt(to)} as state, ${inPeriod} as in_period
          from nonconformities n where n.procedure_id = ${procedureId} and n.detected_on <= ${to}`
      : sql`select n.procedure_id, n.severity, n.status as state, ${inPeriod} as in_period
          from nonconformities n where n.detected_on <= ${to} and n.id not in (${changedAfter})
          union all
          select n.procedure_id, n.severity, ${ncStateAt(to)} as state, ${inPeriod} as in_period
          from nonconformities n where n.detected_on <= ${to} and n.id in (${changedAfter})`;
  const states = await sql<{ procedure_id: number | null; severity: string; state: string; in_period: number; n: number }>`
    select s.procedure_id, s.severity, s.state, s.in_period, count(*) as n from (${stateRows}) s
    group by s.procedure_id, s.severity, s.state, s.in_period`.execute(db);
  for (const r of states.rows) {
    const f = get(r.procedure_id);
    const n = Number(r.n);
    if (r.state === 'rejected') continue;
    if (r.state === 'reported') {
      f.awaitingTriage += n;
      continue;
    }
    if (Number(r.in_period) === 1) f.raised += n;
    if ((OPEN_NC_STATES as readonly string[]).includes(r.state)) {
      if (r.severity === 'major') f.openMajorAtEnd += n;
      else f.openMinorAtEnd += n;
    }
  }

  const closed =
    procedureId !== undefined
      ? await sql<{ procedure_id: number | null; n: number }>`
          select n.procedure_id, count(*) as n from nonconformities n
          where n.procedure_id = ${procedureId} and n.status <> 'rejected' and exists (select 1 from nc_status_history h
            where h.nonconformity_id = n.id and h.to_status = 'closed' and h.changed_on >= ${from} and h.changed_on <= ${to})
          group by n.procedure_id`.execute(db)
      : await sql<{ procedure_id: number | null; n: number }>`
          select n.procedure_id, count(distinct n.id) as n from nc_status_history h join nonconformities n on n.id = h.nonconformity_id
          where h.to_status = 'closed' and h.changed_on >= ${from} and h.changed_on <= ${to} and n.status <> 'rejected'
          group by n.procedure_id`.execute(db);
  for (const r of closed.rows) get(r.procedure_id).closed = Number(r.n);

  // A cancelled action without a cancellation date (none is written without one) is taken as cancelled for every period.
  // The due date is the one in force at `to`: the due_before of the first change made after it, else today's.
  const overdue = await sql<{ procedure_id: number | null; corrective: number; n: number }>`
    select n.procedure_id, case when a.type = 'corrective' then 1 else 0 end as corrective, count(*) as n
    from nc_actions a join nonconformities n on n.id = a.nonconformity_id
    where ${only}
      and coalesce((select h.due_before from nc_action_due_history h where h.action_id = a.id and h.changed_on > ${to} order by h.id limit 1), a.due_date) < ${to}
      and (a.completed_on is null or a.completed_on > ${to})
      and (a.status <> 'cancelled' or a.cancelled_on > ${to})
      and n.status <> 'rejected'
    group by n.procedure_id, case when a.type = 'corrective' then 1 else 0 end`.execute(db);
  for (const r of overdue.rows) {
    const f = get(r.procedure_id);
    if (Number(r.corrective) === 1) f.overdueCorrectiveActions += Number(r.n);
    else f.overdueOtherActions += Number(r.n);
  }
  for (const f of out.values()) {
    f.openAtEnd = f.openMajorAtEnd + f.openMinorAtEnd;
    f.overdueActions = f.overdueCorrectiveActions + f.overdueOtherActions;
  }
  return out;
}

/** The figures of one procedure. */
export async function ncFiguresForProcedure(db: Db, procedureId: number, from: string, to: string): Promise<NcFigures> {
  return (await listNcFiguresAt(db, from, to, procedureId)).get(procedureId) ?? emptyNcFigures();
}

/** Sums figures (every procedure, or none: the whole office). */
export function sumNcFigures(list: Iterable<NcFigures>): NcFigures {
  const out = emptyNcFigures();
  for (const f of list) for (const k of Object.keys(out) as (keyof NcFigures)[]) out[k] += f[k];
  return out;
}
