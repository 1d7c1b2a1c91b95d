import { maybeOrganisationOf } from '../db/scope';
import type { Db } from '../db/database';
import { sql } from 'kysely';
import { auditKeyOfDb, auditRowNotesOf, type ChainRow } from '../db/dialect/engine';
import { FIRST_ORGANISATION, GENESIS_HASH, keyedPayload, organisationPayload } from './audit-chain';

/**
 * Append-only, hash-chained change log. Every state change calls `record(trx, …)` inside the transaction that makes
 * the change. Triggers refuse UPDATE and DELETE on the table; each row carries an HMAC-SHA256, under the audit key
 * held outside the database (audit-key.ts), of its id, its fields and the previous row's hash, so `verify` finds any
 * row changed, removed or added behind our back, and the anchors (audit-anchor.ts) show rows missing at the end.
 */
export interface AuditEntry {
  userId: number | null;
  action: string;
  entity: string;
  entityId: string | number | null;
  old?: unknown;
  new?: unknown;
  reason?: string | null;
}

export { GENESIS_HASH, hashRow } from './audit-chain';
export { describeVerify, registerHeadFile, verify, verifyOrganisation, type AnchorGroup, type VerifyOptions, type VerifyResult } from './audit-verify';

/**
 * Work that follows an audited change in its transaction, added by the features' wiring (src/features/hooks.ts), so
 * that core imports no feature: the notifications feature turns entries into the inbox items and e-mails the change
 * causes (issue 26), written in the same transaction as the change and its audit row, or not at all.
 */
export const recordHooks: ((trx: Db, entry: AuditEntry, at: Date) => Promise<void>)[] = [];

const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

interface ChainEnd {
  /** The database's last row (ids are one sequence for the whole database). */
  last: ChainRow | undefined;
  /** audit_chain row 2, when the organisations' chains have begun. */
  keyed: { from: number; prevHash: string } | undefined;
  /** The hash of the organisation's last row since then. */
  organisationHash: string | undefined;
}

/**
 * Where the chain ends, in one statement (one round trip on PostgreSQL): the last row, the organisations' epoch
 * (audit_chain row 2) and the organisation's last row since that epoch, each by its index.
 */
async function readChainEnd(trx: Db, organisation: number): Promise<ChainEnd> {
  const { rows } = await sql<{
    id: number | string | null;
    hash: string | null;
    keyed_from: number | string | null;
    prev_hash: string | null;
    organisation_hash: string | null;
  }>`
    select l.id, l.hash, c.keyed_from, c.prev_hash,
      (select o.hash from audit_log o where o.organisation_id = ${organisation} and o.id >= c.keyed_from order by o.id desc limit 1) as organisation_hash
    from (select 1 as one) as s
    left join (select id, hash from audit_log order by id desc limit 1) as l on 1 = 1
    left join audit_chain as c on c.id = 2`.execute(trx);
  const r = rows[0];
  return {
    last: r.id === null ? undefined : { id: Number(r.id), hash: r.hash! },
    keyed: r.keyed_from === null ? undefined : { from: Number(r.keyed_from), prevHash: r.prev_hash! },
    organisationHash: r.organisation_hash ?? undefined,
  };
}

/**
 * Appends one row to its organisation's chain (audit-chain.ts). Its id is the last one's plus one (the transaction
 * holds the write lock), so that the HMAC can cover it; its previous hash is that of its organisation's last row.
 * The HMAC is computed with the audit key the database was opened with (its secret never leaves audit-key.ts). A
 * database opened without a key cannot write audit rows at all, rather than writing rows that would not verify.
 */
export async function record(trx: Db, entry: AuditEntry, at: Date): Promise<void> {
  const key = auditKeyOfDb(trx);
  if (!key) throw new Error('the database was opened without an audit key (read-only, or not by openDatabase): it cannot record audit rows');
  // The organisation whose data changed (the handle's or the request's scope); an entry written outside any scope
  // (backup, restore, the country's holidays: commands for the whole database) is the first organisation's.
  const organisation = maybeOrganisationOf(trx) ?? FIRST_ORGANISATION;
  const chain = await readChainEnd(trx, organisation);
  const id = (chain.last?.id ?? 0) + 1;
  const prev = chain.keyed ? (chain.organisationHash ?? chain.keyed.prevHash) : (chain.last?.hash ?? GENESIS_HASH);
  const row = {
    at: at.toISOString(),
    user_id: entry.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === null ? null : String(entry.entityId),
    old_values: toJson(entry.old),
    new_values: toJson(entry.new),
    reason: entry.reason ?? null,
    prev_hash: prev,
  };
  const hash = key.mac(chain.keyed ? organisationPayload(id, organisation, row) : keyedPayload(id, row));
  await trx
    .insertInto('audit_log')
    .values({ id, ...row, hash, organisation_id: organisation })
    .execute();
  auditRowNotesOf(trx)?.noteRecorded(chain.last, { id, hash });
  for (const hook of recordHooks) await hook(trx, entry, at);
}
