import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { ORGANISATION_KINDS, type OrganisationKind } from '../../core/db/schema';
import { scopedDb } from '../../core/db/scope';
import { findOrganisationByCode, insertOrganisationEntry } from './organisation.tree.queries';

/** Why an organisation cannot be added (the CLI prints it; a form would show it beside the field). */
export class OrganisationRefused extends Error {}

/** An organisation's code: letters, digits, '.', '_' and '-', 2–30 characters, starting with a letter or digit. */
export const ORGANISATION_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,29}$/;

export interface OrganisationRequest {
  code: string;
  name: string;
  parentCode?: string;
  kind?: string;
}

/** Adds an organisation under its parent, with its audit entry (in the new organisation's log), in one transaction. */
export async function addOrganisation(ctx: AppContext, request: OrganisationRequest, actorId: number | null): Promise<{ id: number; code: string }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => addOrganisationIn(trx, request, actorId, at));
}

/**
 * addOrganisation's work on a transaction the caller opened, so that more can be written in the same transaction
 * (features/organisations/organisations.template.service.ts: the organisation, its first administrator and its copied register). `trx` must
 * have no organisation scope of its own (the entry is written on a handle scoped to the new organisation).
 */
export async function addOrganisationIn(trx: Db, request: OrganisationRequest, actorId: number | null, at: Date): Promise<{ id: number; code: string }> {
  const code = request.code.trim();
  const name = request.name.trim();
  if (!ORGANISATION_CODE.test(code)) throw new OrganisationRefused('the code takes 2–30 letters, digits, ".", "_" or "-"');
  if (name.length === 0 || name.length > 200) throw new OrganisationRefused('the name is required (at most 200 characters)');
  const kind = (request.kind ?? (request.parentCode ? 'office' : 'province')) as OrganisationKind;
  if (!ORGANISATION_KINDS.includes(kind)) throw new OrganisationRefused(`the kind is one of ${ORGANISATION_KINDS.join(', ')}`);
  if (await findOrganisationByCode(trx, code)) throw new OrganisationRefused(`an organisation with code ${code} exists already`);
  let parentId: number | null = null;
  if (request.parentCode !== undefined) {
    const parent = await findOrganisationByCode(trx, request.parentCode.trim());
    if (!parent) throw new OrganisationRefused(`no organisation with code ${request.parentCode}`);
    if (parent.status !== 'active') throw new OrganisationRefused(`organisation ${parent.code} is read-only`);
    parentId = parent.id;
  }
  const id = await insertOrganisationEntry(trx, { code, name, parent_id: parentId, kind }, at.toISOString());
  await record(
    scopedDb(trx, id),
    { userId: actorId, action: 'create', entity: 'organisation', entityId: id, new: { code, name, parent_id: parentId, kind } },
    at,
  );
  return { id, code };
}
