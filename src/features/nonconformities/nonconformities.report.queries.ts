import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';

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

/**
 * The figures for every procedure that has nonconformities (key: procedure id, or null for NCs of no procedure), or
 * for one procedure, in ONE statement: its three parts (the states at `to`, the closings of the period, the overdue
 * actions at `to`) come back as rows tagged by part, so a report pays one round trip for them instead of three.
 * Each part reads the nonconformities from nonconformities_procedure_cover_idx and the actions from
 * nc_actions_nc_due_idx alone (migration 2026_12_06_1100): on PostgreSQL reading every nonconformity and action row
 * of a busy procedure from its table was most of the report's database time. The organisation's nonconformities
 * only (the history and the actions are reached through them).
 */
export async function listNcFiguresAt(db: Db, from: string, to: string, procedureId?: number): Promise<Map<number | null, NcFigures>> {
  const org = organisationOf(db);
  const only = procedureId === undefined ? sql`n.organisation_id = ${org}` : sql`n.organisation_id = ${org} and n.procedure_id = ${procedureId}`;
  const inPeriod = sql`case when n.detected_on >= ${from} then 1 else 0 end`;
  // One procedure: each of its NCs probes its own history by key. Every procedure: NCs without a history entry after
  // `to` are at `to` what they are now, so only those changed after `to` (one index range) are looked up.
  const changedAfter = sql`select nonconformity_id from nc_status_history
    where organisation_id = ${org} and to_status in (${ALL_STATES}) and changed_on > ${to}`;
  const stateRows =
    procedureId !== undefined
      ? sql`select n.procedure_id, n.severity, ${ncStateAt(to)} as state, ${inPeriod} as in_period
          from nonconformities n where ${only} and n.detected_on <= ${to}`
      : sql`select n.procedure_id, n.severity, n.status as state, ${inPeriod} as in_period
          from nonconformities n where ${only} and n.detected_on <= ${to} and n.id not in (${changedAfter})
          union all
          select n.procedure_id, n.severity, ${ncStateAt(to)} as state, ${inPeriod} as in_period
          from nonconformities n where ${only} and n.detected_on <= ${to} and n.id in (${changedAfter})`;
  const closedRows =
    procedureId !== undefined
      ? sql`select n.procedure_id, count(*) as n from nonconformities n
          where ${only} and n.status <> 'rejected' and exists (select 1 from nc_status_history h
            where h.nonconformity_id = n.id and h.to_status = 'closed' and h.changed_on >= ${from} and h.changed_on <= ${to})
          group by n.procedure_id`
      : sql`select n.procedure_id, count(distinct n.id) as n from nc_status_history h join nonconformities n on n.id = h.nonconformity_id
          where ${only} and h.organisation_id = ${org} and h.to_status = 'closed' and h.changed_on >= ${from} and h.changed_on <= ${to}
            and n.status <> 'rejected'
          group by n.procedure_id`;
  // A cancelled action without a cancellation date (none is written without one) is taken as cancelled for every period.
  // The due date is the one in force at `to`: the due_before of the first change made after it (the lowest id; found
  // by min() rather than by a sort, which PostgreSQL ran once per action), else today's.
  const dueAt = sql`coalesce((select h.due_before from nc_action_due_history h where h.id = (select min(h2.id)
      from nc_action_due_history h2 where h2.action_id = a.id and h2.changed_on > ${to})), a.due_date)`;
  const corrective = sql`case when a.type = 'corrective' then 1 else 0 end`;
  const overdueRows = sql`select n.procedure_id, ${corrective} as corrective, count(*) as n
    from nonconformities n join nc_actions a on a.nonconformity_id = n.id
    where ${only} and n.status <> 'rejected'
      and (a.completed_on is null or a.completed_on > ${to})
      and (a.status <> 'cancelled' or a.cancelled_on > ${to})
      and ${dueAt} < ${to}
    group by n.procedure_id, ${corrective}`;
  const { rows } = await sql<{ part: 's' | 'c' | 'o'; procedure_id: number | null; severity: string | null; state: string | null; flag: number; n: number }>`
    select 's' as part, s.procedure_id, s.severity, s.state, s.in_period as flag, count(*) as n from (${stateRows}) s
      group by s.procedure_id, s.severity, s.state, s.in_period
    union all
    select 'c', c.procedure_id, null, null, 0, c.n from (${closedRows}) c
    union all
    select 'o', o.procedure_id, null, null, o.corrective, o.n from (${overdueRows}) o`.execute(db);

  const out = new Map<number | null, NcFigures>();
  const get = (id: number | null) => {
    let f = out.get(id);
    if (!f) out.set(id, (f = emptyNcFigures()));
    return f;
  };
  for (const r of rows) add(get(r.procedure_id === null ? null : Number(r.procedure_id)), r);
  for (const f of out.values()) total(f);
  return out;
}

/**
 * The figures of one procedure, from nc_report_spans (migration 2026_12_09_1000_nc_report_spans): the same rules as
 * listNcFiguresAt, kept as date ranges by triggers in the writing transactions, so that the report reads one index
 * range of the procedure's rows instead of probing each nonconformity's history and actions by its own key (about
 * 1,100 index descents and 5 ms of PostgreSQL CPU for the province's busiest procedure). One statement.
 * nc_report_spans has no organisation column (its rows belong to the organisation of their procedure): each part
 * reads them only when the procedure is the organisation's (`own`, one lookup by key), so another organisation's
 * procedure id gives empty figures.
 */
export async function ncFiguresForProcedure(db: Db, procedureId: number, from: string, to: string): Promise<NcFigures> {
  const own = sql`exists (select 1 from procedures p where p.id = ${procedureId} and p.organisation_id = ${organisationOf(db)})`;
  const { rows } = await sql<{ part: 's' | 'c' | 'o'; severity: string | null; state: string | null; flag: number; n: number }>`
    select 's' as part, s.severity, s.state, s.flag, count(*) as n from (
      select s.severity, s.state, case when s.detected_on >= ${from} then 1 else 0 end as flag
      from nc_report_spans s where s.procedure_id = ${procedureId} and s.kind = 's' and s.ends > ${to} and s.starts <= ${to} and ${own}) s
      group by s.severity, s.state, s.flag
    union all
    select 'c', null, null, 0, count(distinct c.nonconformity_id)
      from nc_report_spans c where c.procedure_id = ${procedureId} and c.kind = 'c' and c.starts >= ${from} and c.starts <= ${to} and ${own}
    union all
    select 'o', null, null, o.corrective, count(*)
      from nc_report_spans o where o.procedure_id = ${procedureId} and o.kind = 'o' and o.ends > ${to} and o.starts <= ${to} and o.due < ${to} and ${own}
      group by o.corrective`.execute(db);
  const f = emptyNcFigures();
  for (const r of rows) add(f, r);
  return total(f);
}

/** Adds one row of the figures' statements (a part, with its flag and count) to `f`. */
function add(f: NcFigures, r: { part: 's' | 'c' | 'o'; state: string | null; severity: string | null; flag: number; n: number }): void {
  const n = Number(r.n);
  if (r.part === 'c') f.closed = n;
  else if (r.part === 'o') {
    if (Number(r.flag) === 1) f.overdueCorrectiveActions += n;
    else f.overdueOtherActions += n;
  } else if (r.state === 'rejected') return;
  else if (r.state === 'reported') f.awaitingTriage += n;
  else {
    if (Number(r.flag) === 1) f.raised += n;
    if ((OPEN_NC_STATES as readonly string[]).includes(r.state!)) {
      if (r.severity === 'major') f.openMajorAtEnd += n;
      else f.openMinorAtEnd += n;
    }
  }
}

function total(f: NcFigures): NcFigures {
  f.openAtEnd = f.openMajorAtEnd + f.openMinorAtEnd;
  f.overdueActions = f.overdueCorrectiveActions + f.overdueOtherActions;
  return f;
}

/** Sums figures (every procedure, or none: the whole office). */
export function sumNcFigures(list: Iterable<NcFigures>): NcFigures {
  const out = emptyNcFigures();
  for (const f of list) for (const k of Object.keys(out) as (keyof NcFigures)[]) out[k] += f[k];
  return out;
}
