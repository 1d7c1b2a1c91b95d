import type { Db } from '../../core/db/database';
import { failField, type FormView } from '../../core/http/forms';
import { findProcedure } from '../procedures/procedures.queries';
import { findUnit } from '../units/units.queries';
import { findUser } from '../users/users.queries';

/**
 * Ids chosen in a form must name a record that exists (and, for people and units, is active unless it is
 * the one already stored) — otherwise the field gets "invalid choice" and the form comes back with 422.
 */
export interface RefFields {
  procedure_id?: number;
  responsible_unit_id?: number;
  responsible_user_id?: number;
}

export async function checkRefs(db: Db, form: RefFields, values: Record<string, unknown>, view: FormView, current: RefFields = {}): Promise<void> {
  if (form.procedure_id !== undefined && !(await findProcedure(db, form.procedure_id))) failField('procedure_id', 'validation.invalid_choice', values, view);
  if (form.responsible_unit_id !== undefined && form.responsible_unit_id !== current.responsible_unit_id) {
    const unit = await findUnit(db, form.responsible_unit_id);
    if (!unit || unit.active !== 1) failField('responsible_unit_id', 'validation.invalid_choice', values, view);
  }
  if (form.responsible_user_id !== undefined && form.responsible_user_id !== current.responsible_user_id) {
    const user = await findUser(db, form.responsible_user_id);
    if (!user || user.active !== 1) failField('responsible_user_id', 'validation.invalid_choice', values, view);
  }
}
