import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import type { DocKind } from './organisation.print';
import {
  deactivateSignerRow,
  findSigner,
  insertSigner,
  listRecipientsByKind,
  updateSigner,
  upsertRecipients,
  type SignerValues,
} from './organisation.signers.queries';

export const SIGNER_ENTITY = 'organisation_signer';

/** Adds an authorised signer with its audit entry. */
export async function createSigner(ctx: AppContext, userId: number, values: SignerValues): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const id = await insertSigner(trx, values, at.toISOString());
    await record(trx, { userId, action: 'create', entity: SIGNER_ENTITY, entityId: id, new: values }, at);
    return id;
  });
}

/** Corrects an active signer (stale version: 409, nothing written). */
export async function editSigner(ctx: AppContext, userId: number, id: number, values: SignerValues, version: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findSigner(trx, id);
    if (!before) throw new NotFound();
    if (!(await updateSigner(trx, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const old = { user_id: before.user_id, full_name: before.full_name, position_title: before.position_title, way: before.way };
    await record(trx, { userId, action: 'update', entity: SIGNER_ENTITY, entityId: id, old, new: values }, at);
  });
}

/** Deactivates a signer with a reason (never deleted): documents printed later no longer offer or use it. */
export async function deactivateSigner(ctx: AppContext, userId: number, id: number, reason: string, version: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findSigner(trx, id);
    if (!before) throw new NotFound();
    if (!(await deactivateSignerRow(trx, id, reason, userId, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId, action: 'deactivate', entity: SIGNER_ENTITY, entityId: id, old: { active: 1 }, new: { active: 0 }, reason }, at);
  });
}

/**
 * Writes the recipients of the kinds given (inside the settings' transaction), with one audit entry listing the kinds
 * that changed; kinds not given stay as they are.
 */
export async function saveRecipients(
  trx: AppContext['db'],
  userId: number,
  organisationId: number,
  lists: Partial<Record<DocKind, string>>,
  at: Date,
): Promise<void> {
  const before = await listRecipientsByKind(trx);
  const old: Record<string, string> = {};
  const now: Record<string, string> = {};
  for (const [kind, text] of Object.entries(lists) as [DocKind, string][]) {
    if ((before[kind] ?? '') === text) continue;
    await upsertRecipients(trx, kind, text, at.toISOString());
    old[`recipients_${kind}`] = before[kind] ?? '';
    now[`recipients_${kind}`] = text;
  }
  if (Object.keys(now).length === 0) return;
  await record(trx, { userId, action: 'update', entity: 'organisation_recipients', entityId: organisationId, old, new: now }, at);
}
