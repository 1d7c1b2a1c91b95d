import type { Generated } from 'kysely';

/**
 * One apology slip (phiếu xin lỗi và hẹn lại ngày trả kết quả) for a dossier not returned by its due date
 * (migration 2026_12_14_0900_apology_slips): never changed, cancelled with a reason when recorded by mistake.
 */
export interface ApologySlipsTable {
  id: Generated<number>;
  organisation_id: number;
  dossier_id: number;
  slip_no: string;
  issued_on: string;
  reason: string;
  /** The new return date promised to the citizen (after the dossier's due date). */
  new_due_on: string;
  signer_name: string;
  signer_title: string;
  status: Generated<'recorded' | 'cancelled'>;
  cancel_reason: string | null;
  cancelled_at: string | null;
  cancelled_by: number | null;
  created_by: number | null;
  created_at: string;
}

export interface ApologiesTables {
  apology_slips: ApologySlipsTable;
}
