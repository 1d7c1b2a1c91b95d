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
}

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

export function letterheadOf(org: LetterheadSource | undefined, date: string, numberText = ''): Letterhead {
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
    recipients: (org?.recipients ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .map((line) => line.replace(/^[-–•]\s*/, '').replace(/[;.]+$/, ''))
      .filter((line) => line !== ''),
  });
}
