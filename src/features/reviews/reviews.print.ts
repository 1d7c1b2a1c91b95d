import type { Db } from '../../core/db/database';
import { composeSigner, type Letterhead } from '../organisation/organisation.print';
import { findActiveSignerOfUser } from '../organisation/organisation.signers.queries';

/** The chair's block as the minutes print it, frozen with a signed review (signerComposed marks a block so frozen). */
export interface ChairBlock {
  signerTitle: string;
  signerName: string;
  signerComposed: true;
}

/**
 * The chair's block on the minutes (issue 25): a chair who is an active signer of the organisation signs his way — the
 * head with his title, a deputy "KT. TRƯỞNG PHÒNG" over his own position and name; undefined otherwise (the minutes
 * then print "CHỦ TRÌ" over the chair's name).
 */
export async function chairBlock(db: Db, lh: Pick<Letterhead, 'signerTitle'>, chairId: number | null): Promise<ChairBlock | undefined> {
  const signer = chairId === null ? undefined : await findActiveSignerOfUser(db, chairId);
  return signer ? { ...composeSigner(lh.signerTitle, signer), signerComposed: true } : undefined;
}
