import { createHash } from 'node:crypto';
import type { Db } from '../db/database';
import type { AppContext } from '../context';
import { record } from '../audit-log/audit-log';
import { currentAnchor } from '../audit-log/audit-anchor';
import { verifyPassword } from './passwords';
import { findSignerCredentials, insertSignature } from './signatures.queries';

/**
 * Electronic signature: the signer re-enters their password; the signature stores who, when, its
 * meaning (reviewed, approved, …) and a SHA-256 of what was signed. Checking the password is slow
 * (scrypt), so do it with `checkSigner` BEFORE opening the transaction, then `sign` inside it.
 */
export interface Signer {
  userId: number;
  name: string;
  role: string;
}

/** The signer when the password is right and the account active; undefined otherwise (nothing is written). */
export async function checkSigner(ctx: AppContext, userId: number, password: string): Promise<Signer | undefined> {
  const cred = await findSignerCredentials(ctx.db, userId);
  if (!cred || cred.active !== 1 || typeof password !== 'string' || password.length === 0 || password.length > 128) return undefined;
  return (await verifyPassword(password, cred.password_hash)) ? { userId, name: cred.full_name, role: cred.role } : undefined;
}

/** SHA-256 of the parts that were signed (body text, file hash, …), in order. */
export function contentHash(...parts: (string | null | undefined)[]): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(`${(part ?? '').length}:${part ?? ''};`);
  return h.digest('hex');
}

/**
 * Writes the signature and its audit entry, inside the caller's transaction. The signature also keeps the audit log's
 * signed head as it was when signing (rows, last id and hash): every signed record, such as an issued report, is an
 * anchor `audit-log:verify` holds the log to, so rows deleted from the end after it was signed are found.
 */
export async function sign(
  trx: Db,
  signer: Signer,
  target: { entity: string; entityId: number; meaning: string; contentSha256: string },
  at: Date,
): Promise<number> {
  const anchor = await currentAnchor(trx);
  const id = await insertSignature(trx, {
    entity: target.entity,
    entity_id: target.entityId,
    meaning: target.meaning,
    user_id: signer.userId,
    signer_name: signer.name,
    signer_role: signer.role,
    content_sha256: target.contentSha256,
    signed_at: at.toISOString(),
    audit_anchor: anchor ? JSON.stringify(anchor) : null,
  });
  await record(
    trx,
    {
      userId: signer.userId,
      action: `sign:${target.meaning}`,
      entity: target.entity,
      entityId: target.entityId,
      new: { signature: id, sha256: target.contentSha256 },
    },
    at,
  );
  return id;
}
