import { record } from '../../core/audit-log/audit-log';
import type { Db } from '../../core/db/database';
import type { ImportedSlip, ImportedSlipsResult } from '../dossiers/dossiers.import.slips';
import { findOrganisation } from '../organisation/organisation.queries';
import { findRecordedByNumber, findSlipInForce, insertSlip } from './apologies.queries';

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * Records the apology slips a dossier file gives (issue 24; columns apology_no, apology_date, apology_reason,
 * new_due_date), in the import's transaction, each with its audit-log entry. The file's rows were checked against
 * their own dossier's dates (dossiers.import.ts); here, against the slips stored:
 * - a slip already recorded with that number for that dossier, with the same dates and reason, is left as it is (the
 *   same file imported again records nothing);
 * - a number another slip of the organisation has (another dossier's, or this dossier's with other values) is refused;
 * - a second slip for a dossier must come after the slip in force (not dated before it, a later new return date),
 *   as on the form.
 * Signed by the organisation's signer (settings), as the form proposes.
 */
export async function recordImportedSlips(
  trx: Db,
  slips: ImportedSlip[],
  by: { actorId: number | null; at: Date; fileName: string },
): Promise<ImportedSlipsResult> {
  const result: ImportedSlipsResult = { recorded: 0, unchanged: 0, problems: [] };
  const org = await findOrganisation(trx);
  for (const s of slips) {
    const taken = await findRecordedByNumber(trx, s.slipNo);
    if (taken) {
      const same = taken.dossier_id === s.dossierId && taken.issued_on === s.issuedOn && taken.new_due_on === s.newDueOn && taken.reason === s.reason;
      if (same) result.unchanged++;
      else result.problems.push({ row: s.row, column: 'apology_no', code: 'slip_no_taken', params: { value: s.slipNo } });
      continue;
    }
    const inForce = await findSlipInForce(trx, s.dossierId);
    if (inForce && (s.issuedOn < inForce.issued_on || s.newDueOn <= inForce.new_due_on)) {
      const column = s.issuedOn < inForce.issued_on ? 'apology_date' : 'new_due_date';
      const date = column === 'apology_date' ? inForce.issued_on : inForce.new_due_on;
      result.problems.push({ row: s.row, column, code: 'slip_not_after_in_force', params: { date: dmy(date) } });
      continue;
    }
    const row = {
      dossier_id: s.dossierId,
      slip_no: s.slipNo,
      issued_on: s.issuedOn,
      reason: s.reason,
      new_due_on: s.newDueOn,
      signer_name: org?.signer_name ?? '',
      signer_title: org?.signer_title ?? '',
    };
    const id = await insertSlip(trx, { ...row, created_by: by.actorId, created_at: by.at.toISOString() });
    await record(
      trx,
      {
        userId: by.actorId,
        action: 'import_create',
        entity: 'apology_slip',
        entityId: id,
        new: { ...row, dossier_code: s.code, replaces: inForce?.slip_no ?? null },
        reason: by.fileName,
      },
      by.at,
    );
    result.recorded++;
  }
  return result;
}
