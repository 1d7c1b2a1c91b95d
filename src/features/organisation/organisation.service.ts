import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { organisationOf } from '../../core/db/scope';
import { Conflict } from '../../core/http/errors';
import type { DocKind } from './organisation.print';
import { saveRecipients } from './organisation.signers.service';
import { findAnnualPeriod, findOrganisation, findQmsDeclaredOn, updateOrganisation, type OrganisationValues } from './organisation.queries';

/**
 * Saves the organisation settings with its audit entry, and the recipients per kind of document given (the kinds of the
 * form; others unchanged); a stale version is a 409 that overwrites nothing.
 */
export async function saveOrganisation(
  ctx: AppContext,
  userId: number,
  values: OrganisationValues,
  version: number,
  recipientsByKind: Partial<Record<DocKind, string>> = {},
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findOrganisation(trx);
    if (!before) throw new Conflict();
    const { version: _v, updated_at: _u, ...settings } = before;
    const old = {
      ...settings,
      ...(values.qms_declared_on === undefined ? {} : { qms_declared_on: await findQmsDeclaredOn(trx) }),
      ...(values.annual_period === undefined ? {} : { annual_period: await findAnnualPeriod(trx) }),
    };
    const ok = await updateOrganisation(trx, values, version, at.toISOString());
    if (!ok) throw new Conflict('error.edit_conflict');
    await record(trx, { userId, action: 'update', entity: 'organisation', entityId: organisationOf(trx), old, new: values }, at);
    await saveRecipients(trx, userId, organisationOf(trx), recipientsByKind, at);
  });
}
