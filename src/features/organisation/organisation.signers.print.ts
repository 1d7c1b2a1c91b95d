import type { Db } from '../../core/db/database';
import { findOrganisation, type Organisation } from './organisation.queries';
import { composeSigner, letterheadOf, type DocKind, type Letterhead, type LetterheadSource } from './organisation.print';
import { findActiveSignerOfUser, findSigner, listRecipientsByKind, listSigners } from './organisation.signers.queries';

/**
 * The signer block and recipients of a print (issue 25): who signs decides the block (the head, or KT./TL./TUQ./TM. with
 * the signer's own position and name), and the kind of document decides the recipients.
 */

/** The organisation's settings with its recipients per kind of document, as `letterheadOf` reads them. */
export async function letterheadSourceOf(db: Db, org?: Organisation): Promise<LetterheadSource | undefined> {
  const settings = org ?? (await findOrganisation(db));
  if (!settings) return undefined;
  return { ...settings, recipients_by_kind: await listRecipientsByKind(db) };
}

/** The letterhead of a kind of document, with its own recipients (the general list while its own is empty). */
export async function letterheadOfKind(db: Db, kind: DocKind, date: string, numberText = '', org?: Organisation): Promise<Letterhead> {
  return letterheadOf(await letterheadSourceOf(db, org), date, numberText, kind);
}

/** Who e-signed the document: the signature's user and the name it recorded. */
export interface SignedBy {
  user_id: number | null;
  signer_name: string;
}

/**
 * The block of a document e-signed by a user: that user's way of signing when they are an active signer of the
 * organisation (a deputy prints "KT. …", his position and his own name); otherwise the head's block of the settings,
 * as before signers were kept (the settings say who the head is; a deputy is entered as a signer).
 */
export async function signedBlock(db: Db, lh: Letterhead, by: SignedBy): Promise<Letterhead> {
  const signer = by.user_id === null ? undefined : await findActiveSignerOfUser(db, by.user_id);
  return signer ? { ...lh, ...composeSigner(lh.signerTitle, signer) } : lh;
}

/** The chooser of the signer on a print not yet e-signed (a GET form `?signer=<id>`, not printed). */
export interface SignerChooser {
  options: { value: string; label: string; selected: boolean }[];
  /** The other query parameters of the page, kept by the form. */
  hidden: { name: string; value: string }[];
}

/** The letterhead with its signer block, and the chooser of the signer when the print offers one. */
export interface PrintBlock {
  lh: Letterhead;
  signerChooser?: SignerChooser;
  /** "signer=<id>" when a signer was chosen, so the Word download carries the same block; else empty. */
  signerQuery?: string;
}

/**
 * An unsigned print: the block of the signer chosen with `?signer=<id>` (an active signer of the organisation), the
 * head's by default; with the chooser listing the active signers (none when there is no signer to choose).
 */
export async function chosenBlock(db: Db, lh: Letterhead, query: Record<string, unknown>): Promise<PrintBlock> {
  const raw = typeof query.signer === 'string' && /^\d{1,9}$/.test(query.signer) ? Number(query.signer) : undefined;
  const chosen = raw === undefined ? undefined : await findSigner(db, raw);
  const active = (await listSigners(db)).filter((s) => s.active === 1);
  const block = chosen && chosen.active === 1 ? { ...lh, ...composeSigner(lh.signerTitle, chosen) } : lh;
  if (active.length === 0) return { lh: block };
  const hidden = Object.entries(query)
    .filter((e): e is [string, string] => e[0] !== 'signer' && typeof e[1] === 'string')
    .map(([name, value]) => ({ name, value }));
  const label = (l: Pick<Letterhead, 'signerTitle' | 'signerName'>) => `${l.signerTitle.replace(/\n/g, ' / ')} — ${l.signerName}`;
  const picked = block !== lh;
  const options = [
    { value: '', label: label(lh), selected: !picked },
    ...active.map((s) => ({ value: String(s.id), label: label(composeSigner(lh.signerTitle, s)), selected: picked && chosen?.id === s.id })),
  ];
  return { lh: block, signerChooser: { options, hidden }, signerQuery: picked ? `signer=${chosen!.id}` : '' };
}
