/**
 * The letterhead of a printed report (shared/domain/PRINT-FORMAT.md, Nghị định 30/2020/NĐ-CP): agency block,
 * number, place and date, signer and recipients, all taken from the organisation's settings.
 */
export interface LetterheadSource {
  name: string;
  parent_agency: string;
  place_name: string;
  report_number_suffix: string;
  signer_title: string;
  signer_name: string;
  recipients: string;
  /** The recipients of one kind of document (organisation_recipients), when the caller read them; empty: the general list. */
  recipients_by_kind?: Partial<Record<DocKind, string>>;
}

/**
 * The kinds of printed document with their own list of recipients ("Nơi nhận"); each falls back to the general list of
 * the settings while its own is empty. Labels: `organisation.kind.<key>`.
 */
export const DOC_KINDS = ['compliance', 'summary', 'annual', 'audit', 'nonconformity', 'review', 'apology', 'declaration', 'objectives', 'risks'] as const;
export type DocKind = (typeof DOC_KINDS)[number];
export const isDocKind = (s: string): s is DocKind => (DOC_KINDS as readonly string[]).includes(s);

export interface Letterhead {
  parentAgency: string;
  office: string;
  place: string;
  /** "BC-LĐTBXH": the part after the slash of "Số: …/BC-LĐTBXH". */
  numberSuffix: string;
  /** The registry number before the slash; empty leaves dots for the clerk. */
  numberText: string;
  /** Local date of the document, YYYY-MM-DD. */
  date: string;
  day: string;
  month: string;
  year: string;
  /** The signer's title lines, separated by "\n" ("KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG" when a deputy signs for the head). */
  signerTitle: string;
  signerName: string;
  /** One line per recipient, without the leading dash and the final ";" or "." (the template writes them). */
  recipients: string[];
}

/**
 * Day and month as written in the date line: days 1–9 and months 1–2 take a leading zero, the other
 * months do not (Nghị định 30/2020, Phụ lục I): 2026-03-05 → 05 / 3 / 2026, 2026-02-15 → 15 / 02 / 2026.
 */
export function dateLineParts(isoDate: string): { day: string; month: string; year: string } {
  const day = Number(isoDate.slice(8, 10));
  const month = Number(isoDate.slice(5, 7));
  return {
    day: day < 10 ? `0${day}` : String(day),
    month: month <= 2 ? `0${month}` : String(month),
    year: isoDate.slice(0, 4),
  };
}

/**
 * The number and symbol entered once: a number typed with its symbol ("215/BC-LĐTBXH", as the registry writes it)
 * gives the number before the first slash and that symbol, instead of the symbol printed twice after it; a number
 * alone ("215") keeps the symbol of the settings. Also read on letterheads frozen before (issued reports).
 */
export function withNumber<T extends Pick<Letterhead, 'numberText' | 'numberSuffix'>>(lh: T): T {
  const text = lh.numberText.trim();
  const slash = text.indexOf('/');
  if (slash < 0) return text === lh.numberText ? lh : { ...lh, numberText: text };
  const symbol = text.slice(slash + 1).trim();
  return { ...lh, numberText: text.slice(0, slash).trim(), numberSuffix: symbol || lh.numberSuffix };
}

/** The recipients' lines of a list as typed in the settings, one a line, without dashes and final punctuation. */
export function recipientLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.replace(/^[-–•]\s*/, '').replace(/[;.]+$/, ''))
    .filter((line) => line !== '');
}

/**
 * The letterhead of a document of the organisation dated `date`; with `kind`, the recipients of that kind of document
 * when the source carries them and the list is not empty, else the general list.
 */
export function letterheadOf(org: LetterheadSource | undefined, date: string, numberText = '', kind?: DocKind): Letterhead {
  const own = kind ? (org?.recipients_by_kind?.[kind] ?? '') : '';
  const suffix = (org?.report_number_suffix ?? '').trim();
  return withNumber({
    parentAgency: org?.parent_agency ?? '',
    office: org?.name ?? '',
    place: org?.place_name ?? '',
    numberSuffix: suffix ? `BC-${suffix}` : 'BC',
    numberText,
    date,
    ...dateLineParts(date),
    signerTitle: org?.signer_title ?? '',
    signerName: org?.signer_name ?? '',
    recipients: recipientLines(own.trim() !== '' ? own : (org?.recipients ?? '')),
  });
}

/** Ways of signing (Nghị định 30/2020, Phụ lục I): the head himself, ký thay, thừa lệnh, thừa ủy quyền, thay mặt. */
export const SIGNING_WAYS = ['head', 'kt', 'tl', 'tuq', 'tm'] as const;
export type SigningWay = (typeof SIGNING_WAYS)[number];
const PREFIX: Record<Exclude<SigningWay, 'head'>, string> = { kt: 'KT.', tl: 'TL.', tuq: 'TUQ.', tm: 'TM.' };

/**
 * The signer block of a signer of the organisation under the head's title: the head prints his title and his name;
 * signing on behalf prints "KT. TRƯỞNG PHÒNG" (or TL., TUQ., TM.), then the signer's own position, then the signer's
 * name — never the head's name. Titles print in capitals.
 */
export function composeSigner(
  headTitle: string,
  signer: { way: SigningWay; position_title: string; full_name: string },
): Pick<Letterhead, 'signerTitle' | 'signerName'> {
  const head = headTitle.trim().toLocaleUpperCase('vi');
  const own = signer.position_title.trim().toLocaleUpperCase('vi');
  if (signer.way === 'head') return { signerTitle: head || own, signerName: signer.full_name };
  return { signerTitle: [`${PREFIX[signer.way]} ${head}`, own].filter((l) => l.trim() !== '').join('\n'), signerName: signer.full_name };
}
