import QRCode from 'qrcode';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';

/**
 * The survey cards (issue 24): the address of a procedure's public survey page and its QR code. The address is
 * `<base>/s/<organisation code>/<procedure code>`, with the counter named on the card as `?counter=` when given; the base
 * is PUBLIC_URL when set (the address citizens' phones reach), else the address this page was opened at.
 */
export const CARD_SIZES = ['a6', 'a5'] as const;
export type CardSize = (typeof CARD_SIZES)[number];
export const COUNTER_MAX = 40;

export function surveyUrl(base: string, orgCode: string, procedureCode: string, counter?: string): string {
  const path = `/s/${encodeURIComponent(orgCode)}/${encodeURIComponent(procedureCode)}`;
  const query = counter ? `?counter=${encodeURIComponent(counter)}` : '';
  return `${base.replace(/\/+$/, '')}${path}${query}`;
}

/**
 * The QR code of an address as SVG markup (error correction M: readable when a corner is worn or stamped over,
 * still few enough modules to scan from a 3 cm print on a receipt).
 */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The code of the organisation the handle works for: the first part of its survey addresses. */
export async function organisationCode(db: Db): Promise<string> {
  const row = await db.selectFrom('organisation').select('code').where('id', '=', organisationOf(db)).executeTakeFirstOrThrow();
  return row.code;
}
