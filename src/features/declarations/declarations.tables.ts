import type { Generated } from 'kysely';

/** The kinds of record: the first announcement of the QMS as conformant, and each one after its scope changed. */
export const DECLARATION_KINDS = ['declaration', 're_declaration'] as const;
export type DeclarationKind = (typeof DECLARATION_KINDS)[number];

/**
 * One declaration of conformity (công bố HTQLCL phù hợp TCVN ISO 9001:2015) as recorded from its signed decision
 * (migration 2026_12_12_1200_qms_declarations): never changed, cancelled with a reason when recorded by mistake.
 */
export interface QmsDeclarationsTable {
  id: Generated<number>;
  organisation_id: number;
  kind: DeclarationKind;
  decision_no: string;
  decided_on: string;
  signer_name: string;
  signer_title: string;
  note: Generated<string>;
  /** JSON: the procedures in the QMS that day, [{ code, title, kind }] in code order (scope.ts). */
  scope: string;
  file_sha256: string | null;
  file_name: string | null;
  file_mime: string | null;
  status: Generated<'recorded' | 'cancelled'>;
  cancel_reason: string | null;
  cancelled_at: string | null;
  cancelled_by: number | null;
  created_by: number | null;
  created_at: string;
}

export interface DeclarationsTables {
  qms_declarations: QmsDeclarationsTable;
}
