import type { Generated } from 'kysely';
import type { SigningWay } from './organisation.print';

/** A person authorised to sign the organisation's documents (migration 2026_12_16_0900_signers); deactivated, never deleted. */
export interface OrganisationSignersTable {
  id: Generated<number>;
  organisation_id: number;
  user_id: number | null;
  full_name: string;
  /** The position printed under the head's title ("PHÓ TRƯỞNG PHÒNG"). */
  position_title: string;
  way: SigningWay;
  active: Generated<number>;
  deactivate_reason: string | null;
  deactivated_at: string | null;
  deactivated_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** The recipients of one kind of document (a DocKind key), one a line. */
export interface OrganisationRecipientsTable {
  organisation_id: number;
  kind: string;
  recipients: string;
  updated_at: string;
}

export interface SignersTables {
  organisation_signers: OrganisationSignersTable;
  organisation_recipients: OrganisationRecipientsTable;
}
