import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, withoutRowid } from '../dialect/ddl';

/**
 * nc_report_spans: the compliance report's nonconformity figures of one procedure (nonconformities.report.queries.ts)
 * as date ranges, kept by row triggers in the transaction that writes a nonconformity, its status history, its actions
 * or their due-date history, whoever writes it. The report read each nonconformity's history and actions by its own
 * key (about 1,100 index descents, 5 ms of PostgreSQL CPU for the province's busiest procedure); it now reads one
 * index range of the procedure's rows. Each row says over which local dates [starts, ends) something holds of one
 * nonconformity of a procedure (nonconformities without a procedure have none: the office-wide figures read the
 * records themselves); '9999-12-31' stands for "still holds", '0000-01-01' for "since always". The rules are exactly
 * those of the report, applied to every date at once:
 * - 's' rows: the nonconformity's state at every date from its detection on (one row per state span): the last
 *   history entry (highest id) dated on or before the date; before its first dated entry the first entry's state;
 *   without any history its current status. The spans of one nonconformity cover [detected_on, ∞) without overlap.
 *   severity and detected_on are copied for the grouping of the report.
 * - 'c' rows: each distinct date of a transition to 'closed' (starts), for nonconformities not rejected now.
 * - 'o' rows: for each action of a nonconformity not rejected now, the dates over which it is neither completed nor
 *   cancelled and its due date in force is `due` (the due_before of the first due-date change made after the date,
 *   else the action's due date): it is overdue at a date D of its range when due < D. corrective: type 'corrective'.
 *   A range in which it can never be overdue (ending on or before its due date) is left out.
 * Every trigger recomputes the rows of the one nonconformity it touches (a few rows) from its records.
 */
const KEY = ['nonconformity_id', 'kind', 'action_id', 'starts'];
const COLUMNS = 'nonconformity_id, kind, action_id, starts, ends, procedure_id, severity, state, detected_on, due, corrective';
const NEVER_ENDS = `'9999-12-31'`;
const ALWAYS = `'0000-01-01'`;

/** The statements that (re)write the rows of the nonconformities `n` matching `which` (a condition on n). */
function write(which: string): string {
  const into = `insert into nc_report_spans (${COLUMNS})`;
  const scope = `n.procedure_id is not null and ${which}`;
  // The state at every date d of a history entry, until the next such date.
  const states = `${into}
    select nonconformity_id, 's', 0, starts, ends, procedure_id, severity, state, detected_on, null, 0 from (
      select n.id as nonconformity_id, case when d.changed_on > n.detected_on then d.changed_on else n.detected_on end as starts,
        coalesce((select min(h.changed_on) from nc_status_history h where h.nonconformity_id = n.id and h.changed_on > d.changed_on), ${NEVER_ENDS}) as ends,
        n.procedure_id, n.severity, n.detected_on,
        (select h.to_status from nc_status_history h where h.nonconformity_id = n.id and h.changed_on <= d.changed_on order by h.id desc limit 1) as state
      from nonconformities n join nc_status_history d on d.nonconformity_id = n.id
      where ${scope} group by n.id, d.changed_on) x
    where x.ends > x.starts;`;
  // From detection to the first dated entry: the first entry's state.
  const before = `${into}
    select n.id, 's', 0, n.detected_on, (select min(h.changed_on) from nc_status_history h where h.nonconformity_id = n.id),
      n.procedure_id, n.severity, (select h.to_status from nc_status_history h where h.nonconformity_id = n.id order by h.id limit 1), n.detected_on, null, 0
    from nonconformities n
    where ${scope} and n.detected_on < (select min(h.changed_on) from nc_status_history h where h.nonconformity_id = n.id);`;
  // No history at all: the current status from detection on.
  const none = `${into}
    select n.id, 's', 0, n.detected_on, ${NEVER_ENDS}, n.procedure_id, n.severity, n.status, n.detected_on, null, 0
    from nonconformities n
    where ${scope} and not exists (select 1 from nc_status_history h where h.nonconformity_id = n.id);`;
  const closings = `${into}
    select n.id, 'c', 0, d.changed_on, ${NEVER_ENDS}, n.procedure_id, null, null, n.detected_on, null, 0
    from nonconformities n join nc_status_history d on d.nonconformity_id = n.id
    where ${scope} and n.status <> 'rejected' and d.to_status = 'closed'
    group by n.id, d.changed_on;`;
  // An action's ranges start at 'since always' and at each date its due date was changed on.
  const actionRanges = (day: string, from: string, groupBy: string) => `${into}
    select nonconformity_id, 'o', action_id, starts, case when range_end < life_end then range_end else life_end end, procedure_id, null, null, null, due, corrective
    from (
      select n.id as nonconformity_id, a.id as action_id, ${day} as starts, n.procedure_id,
        case when a.type = 'corrective' then 1 else 0 end as corrective,
        coalesce((select min(h.changed_on) from nc_action_due_history h where h.action_id = a.id and h.changed_on > ${day}), ${NEVER_ENDS}) as range_end,
        coalesce((select h.due_before from nc_action_due_history h where h.id = (select min(h2.id) from nc_action_due_history h2
          where h2.action_id = a.id and h2.changed_on > ${day})), a.due_date) as due,
        case when a.status = 'cancelled' and coalesce(a.cancelled_on, ${ALWAYS}) < coalesce(a.completed_on, ${NEVER_ENDS})
          then coalesce(a.cancelled_on, ${ALWAYS}) else coalesce(a.completed_on, ${NEVER_ENDS}) end as life_end
      from ${from}
      where ${scope} and n.status <> 'rejected'${groupBy}) x
    where (case when range_end < life_end then range_end else life_end end) > starts
      and (case when range_end < life_end then range_end else life_end end) > due;`;
  const actions = actionRanges(ALWAYS, 'nonconformities n join nc_actions a on a.nonconformity_id = n.id', '');
  const changes = actionRanges(
    'b.changed_on',
    'nonconformities n join nc_actions a on a.nonconformity_id = n.id join nc_action_due_history b on b.action_id = a.id',
    ' group by n.id, a.id, b.changed_on',
  );
  return [states, before, none, closings, actions, changes].join('\n');
}

/** The statements of a trigger: forget one nonconformity's rows, then write them again from its records. */
const recompute = (id: string) => `delete from nc_report_spans where nonconformity_id = ${id};\n${write(`n.id = ${id}`)}`;

const TRIGGERS = [
  { name: 'nc_report_spans_nc_insert', on: 'after insert on nonconformities', body: recompute('new.id') },
  { name: 'nc_report_spans_nc_update', on: 'after update of procedure_id, severity, detected_on, status on nonconformities', body: recompute('new.id') },
  { name: 'nc_report_spans_nc_delete', on: 'after delete on nonconformities', body: 'delete from nc_report_spans where nonconformity_id = old.id;' },
  { name: 'nc_report_spans_history_insert', on: 'after insert on nc_status_history', body: recompute('new.nonconformity_id') },
  {
    name: 'nc_report_spans_history_update',
    on: 'after update on nc_status_history',
    body: `${recompute('old.nonconformity_id')}\n${recompute('new.nonconformity_id')}`,
  },
  { name: 'nc_report_spans_history_delete', on: 'after delete on nc_status_history', body: recompute('old.nonconformity_id') },
  { name: 'nc_report_spans_action_insert', on: 'after insert on nc_actions', body: recompute('new.nonconformity_id') },
  {
    name: 'nc_report_spans_action_update',
    on: 'after update on nc_actions',
    body: `${recompute('old.nonconformity_id')}\n${recompute('new.nonconformity_id')}`,
  },
  { name: 'nc_report_spans_action_delete', on: 'after delete on nc_actions', body: recompute('old.nonconformity_id') },
  {
    name: 'nc_report_spans_due_insert',
    on: 'after insert on nc_action_due_history',
    body: recompute('(select a.nonconformity_id from nc_actions a where a.id = new.action_id)'),
  },
];

/** The statements that fill the table from every nonconformity (the migration; the benchmark's generator after its load). */
export const FILL_NC_REPORT_SPANS = `delete from nc_report_spans;\n${write('1 = 1')}`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nc_report_spans')
    .addColumn('nonconformity_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action_id', 'integer', (c) => c.notNull())
    .addColumn('starts', 'text', (c) => c.notNull())
    .addColumn('ends', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'integer', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('state', 'text')
    .addColumn('detected_on', 'text')
    .addColumn('due', 'text')
    .addColumn('corrective', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('nc_report_spans_pk', KEY as never)
    .modifyEnd(withoutRowid(db))
    .execute();
  // The report reads one procedure's rows of a kind that still hold after `to` from this index alone.
  await db.schema
    .createIndex('nc_report_spans_procedure_idx')
    .on('nc_report_spans')
    .columns(['procedure_id', 'kind', 'ends', 'starts', 'severity', 'state', 'detected_on', 'due', 'corrective', 'nonconformity_id'])
    .execute();
  for (const statement of FILL_NC_REPORT_SPANS.split(';\n')) if (statement.trim()) await sql.raw(statement).execute(db);
  for (const t of TRIGGERS) await createTrigger(db, t.name, t.on, t.body);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TRIGGERS) await dropTrigger(db, t.name, /\bon (\w+)$/.exec(t.on)![1]);
  await db.schema.dropTable('nc_report_spans').ifExists().execute();
}
