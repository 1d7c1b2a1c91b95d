import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { failField, type FormView } from '../../core/http/forms';

/**
 * Ids chosen in a form must name a record of the organisation that exists (and, for people and units, is active
 * unless it is the one already stored) — otherwise the field gets "invalid choice" and the form comes back with 422.
 * Another organisation's id is unknown here (organisations, rule 4): the lookups are this feature's own, by id and
 * organisation, so the check does not depend on how another feature's lookup is scoped.
 */
export interface RefFields {
  procedure_id?: number;
  responsible_unit_id?: number;
  responsible_user_id?: number;
}

const ownProcedure = (db: Db, id: number) =>
  db.selectFrom('procedures').select('id').where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();

/** The unit or user of the organisation with its `active` flag, or undefined. */
const ownActive = (db: Db, table: 'units' | 'users', id: number) =>
  db.selectFrom(table).select('active').where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();

export async function checkRefs(db: Db, form: RefFields, values: Record<string, unknown>, view: FormView, current: RefFields = {}): Promise<void> {
  if (form.procedure_id !== undefined && !(await ownProcedure(db, form.procedure_id))) failField('procedure_id', 'validation.invalid_choice', values, view);
  if (form.responsible_unit_id !== undefined && form.responsible_unit_id !== current.responsible_unit_id) {
    const unit = await ownActive(db, 'units', form.responsible_unit_id);
    if (!unit || unit.active !== 1) failField('responsible_unit_id', 'validation.invalid_choice', values, view);
  }
  if (form.responsible_user_id !== undefined && form.responsible_user_id !== current.responsible_user_id) {
    const user = await ownActive(db, 'users', form.responsible_user_id);
    if (!user || user.active !== 1) failField('responsible_user_id', 'validation.invalid_choice', values, view);
  }
}
