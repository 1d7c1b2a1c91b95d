import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';

/**
 * Organisations (issue 22): the ids a document form names (procedure, owner unit, units to acknowledge) must be the
 * organisation's own before they are stored, and the scheduler's list of organisations.
 */

/** The first field whose id is not one of the organisation's rows, or undefined when all are. */
export async function unknownReference(
  db: Db,
  refs: { procedure_id: number | null; owner_unit_id: number | null; ack_unit_ids: readonly number[] },
): Promise<'procedure_id' | 'owner_unit_id' | 'ack_unit_ids' | undefined> {
  const org = organisationOf(db);
  if (refs.procedure_id !== null) {
    const found = await db.selectFrom('procedures').select('id').where('id', '=', refs.procedure_id).where('organisation_id', '=', org).executeTakeFirst();
    if (!found) return 'procedure_id';
  }
  const units = [...new Set([...(refs.owner_unit_id !== null ? [refs.owner_unit_id] : []), ...refs.ack_unit_ids])];
  if (units.length === 0) return undefined;
  const own = new Set((await db.selectFrom('units').select('id').where('id', 'in', units).where('organisation_id', '=', org).execute()).map((u) => u.id));
  if (refs.owner_unit_id !== null && !own.has(refs.owner_unit_id)) return 'owner_unit_id';
  return refs.ack_unit_ids.every((id) => own.has(id)) ? undefined : 'ack_unit_ids';
}

/**
 * The organisations approved revisions take effect in, with their time zones: the one given (a request's or a
 * handle's organisation), else every active one (the server's timer). A merged (read-only) organisation changes no more.
 */
export function listActiveOrganisationZones(db: Db, only: number | undefined): Promise<{ id: number; time_zone: string }[]> {
  let q = db.selectFrom('organisation').select(['id', 'time_zone']).where('status', '=', 'active');
  if (only !== undefined) q = q.where('id', '=', only);
  return q.orderBy('id').execute();
}
