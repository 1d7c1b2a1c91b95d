import type { Generated } from 'kysely';

/** Tables of the JSON API (issue 28; migration 2026_12_19_0900_api_tokens). */
export const API_SCOPES = ['dossiers:write', 'registers:read', 'reports:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A token issued to another system: only its SHA-256 is kept. Revoked with a reason, never deleted. */
export interface ApiTokensTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  /** The token's first characters (`qms_` and 8 more), shown to recognise it. */
  prefix: string;
  /** SHA-256 of the whole token, hex. */
  token_hash: string;
  /** Space-separated and sorted (API_SCOPES). */
  scopes: string;
  /** Requests allowed per minute (a sliding minute). */
  rate_limit: number;
  /** The last local day it is valid (the organisation's time zone). */
  expires_on: string;
  created_by: number | null;
  created_at: string;
  revoked_at: string | null;
  revoked_by: number | null;
  revoke_reason: string | null;
  version: Generated<number>;
}

/** Every request a token made (append-only); what the rate limit counts. */
export interface ApiTokenUsesTable {
  id: Generated<number>;
  organisation_id: number;
  token_id: number;
  at: string;
  method: string;
  path: string;
  /** 1: refused by the rate limit (429), not counted. */
  limited: Generated<number>;
}

export interface ApiTables {
  api_tokens: ApiTokensTable;
  api_token_uses: ApiTokenUsesTable;
}
