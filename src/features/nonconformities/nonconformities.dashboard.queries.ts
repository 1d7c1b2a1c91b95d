import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { NonconformitiesTable } from './nonconformities.tables';

/**
 * What the dashboards show about nonconformities and actions. The action lists live with the other action
 * queries (nonconformities.actions.queries.ts) and are re-exported here so a dashboard imports from one place.
 */
export { listMyActions, listOverdueAndDueSoonActions, type ActionListRow } from './nonconformities.actions.queries';

/** Dashboards: NCs still being worked on (reported to awaiting verification), by severity. */
export async function countOpenBySeverity(db: Db): Promise<{ major: number; minor: number; total: number }> {
  const rows = await db
    .selectFrom('nonconformities')
    .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', 'in', ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'])
    .groupBy('severity')
    .execute();
  const major = Number(rows.find((r) => r.severity === 'major')?.n ?? 0);
  const minor = Number(rows.find((r) => r.severity === 'minor')?.n ?? 0);
  return { major, minor, total: major + minor };
}

export type AwaitingVerificationRow = Pick<Selectable<NonconformitiesTable>, 'id' | 'code' | 'title' | 'severity' | 'verify_due_on'> & {
  procedure_code: string | null;
  unit_code: string | null;
  last_completed_on: string | null;
};

/** The "awaiting verification" list, earliest scheduled check first (unscheduled last). */
export function listAwaitingVerification(db: Db): Promise<AwaitingVerificationRow[]> {
  return db
    .selectFrom('nonconformities as n')
    .leftJoin('procedures as p', 'p.id', 'n.procedure_id')
    .leftJoin('units as u', 'u.id', 'n.responsible_unit_id')
    .select([
      'n.id',
      'n.code',
      'n.title',
      'n.severity',
      'p.code as procedure_code',
      'u.code as unit_code',
      'n.verify_due_on',
      (eb) =>
        eb
          .selectFrom('nc_actions as a')
          .select((e) => e.fn.max<string>('a.completed_on').as('m'))
          .whereRef('a.nonconformity_id', '=', 'n.id')
          .where('a.status', '=', 'done')
          .as('last_completed_on'),
    ])
    .where('n.organisation_id', '=', organisationOf(db))
    .where('n.status', '=', 'awaiting_verification')
    .orderBy(sql`n.verify_due_on is null`)
    .orderBy('n.verify_due_on')
    .orderBy('n.code')
    .execute();
}
