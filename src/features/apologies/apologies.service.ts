import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import type { DossierRow } from '../dossiers/dossiers.queries';
import { findDossier } from '../dossiers/dossiers.queries';
import { cancelSlipRow, findRecordedByNumber, findSlip, findSlipInForce, insertSlip } from './apologies.queries';

/** Another recorded slip of the organisation has this number. */
export class SlipNumberTaken extends Error {}
/** The slip is dated before the dossier was received. */
export class IssuedBeforeReceived extends Error {}
/** The new return date is not after the dossier's due date. */
export class NewDateNotAfterDue extends Error {}
/** The new return date is before the slip's date. */
export class NewDateBeforeIssued extends Error {}
/** A second slip: its new return date must be after the one in force, and it is not dated before it. */
export class NotAfterSlipInForce extends Error {
  constructor(
    readonly field: 'issued_on' | 'new_due_on',
    readonly date: string,
  ) {
    super(`not after the slip in force (${date})`);
  }
}

export interface SlipInput {
  slipNo: string;
  issuedOn: string;
  reason: string;
  newDueOn: string;
  signerName: string;
  signerTitle: string;
}

/**
 * A dossier takes a slip when it was not returned by its due date, or may not be: returned late, or still pending
 * (the one-stop rules ask for the slip before the due date when the delay is foreseen). A dossier returned on time or
 * withdrawn takes none.
 */
export function takesSlip(d: Pick<DossierRow, 'outcome' | 'returned_on' | 'due_on'>): boolean {
  if (d.outcome === null) return true;
  return d.outcome === 'returned' && d.returned_on !== null && d.returned_on > d.due_on;
}

/**
 * Records an apology slip for a dossier of the organisation, in one transaction with its audit-log entry. The new
 * return date is after the dossier's due date and, for a second slip, after the new date of the slip in force.
 */
export async function recordSlip(ctx: AppContext, dossierId: number, input: SlipInput, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const dossier = await findDossier(trx, dossierId);
    if (!dossier) throw new NotFound();
    if (!takesSlip(dossier)) throw new Conflict('apologies.not_late');
    if (await findRecordedByNumber(trx, input.slipNo)) throw new SlipNumberTaken();
    if (input.issuedOn < dossier.received_on) throw new IssuedBeforeReceived();
    if (input.newDueOn <= dossier.due_on) throw new NewDateNotAfterDue();
    if (input.newDueOn < input.issuedOn) throw new NewDateBeforeIssued();
    const inForce = await findSlipInForce(trx, dossierId);
    if (inForce && input.issuedOn < inForce.issued_on) throw new NotAfterSlipInForce('issued_on', inForce.issued_on);
    if (inForce && input.newDueOn <= inForce.new_due_on) throw new NotAfterSlipInForce('new_due_on', inForce.new_due_on);
    const row = {
      dossier_id: dossierId,
      slip_no: input.slipNo,
      issued_on: input.issuedOn,
      reason: input.reason,
      new_due_on: input.newDueOn,
      signer_name: input.signerName,
      signer_title: input.signerTitle,
    };
    const id = await insertSlip(trx, { ...row, created_by: actorId, created_at: at.toISOString() });
    await record(
      trx,
      {
        userId: actorId,
        action: 'create',
        entity: 'apology_slip',
        entityId: id,
        new: { ...row, dossier_code: dossier.code, due_on: dossier.due_on, replaces: inForce?.slip_no ?? null },
      },
      at,
    );
    return id;
  });
}

/** Cancels a slip recorded by mistake (it stays, marked cancelled, with the reason); the one before is in force again. */
export async function cancelSlip(ctx: AppContext, id: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findSlip(trx, id);
    if (!before) throw new NotFound();
    if (!(await cancelSlipRow(trx, id, reason, at.toISOString(), actorId))) throw new Conflict('apologies.already_cancelled');
    await record(
      trx,
      { userId: actorId, action: 'cancel', entity: 'apology_slip', entityId: id, old: { status: 'recorded' }, new: { status: 'cancelled' }, reason },
      at,
    );
  });
}
