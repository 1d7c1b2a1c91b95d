import type { Lang } from '../i18n';

/** Display formats: dd/MM/yyyy dates, times in the organisation's zone, Vietnamese digit grouping. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function formatDate(value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const text = String(value);
  if (ISO_DATE.test(text)) return `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)}`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return text;
  return localParts(ms, timeZone).date;
}

export function formatDateTime(value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) return String(value);
  const { date, time } = localParts(ms, timeZone);
  return `${date} ${time}`;
}

/**
 * An instant's local date (dd/MM/yyyy) and time (HH:mm) in a time zone, from one Intl.DateTimeFormat kept per zone:
 * date-fns' format over a TZDate built a new one for every timestamp shown (7 % of a document page's CPU).
 */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function localParts(ms: number, timeZone: string): { date: string; time: string } {
  let zoned = zoneFormats.get(timeZone);
  if (!zoned) {
    zoned = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    zoneFormats.set(timeZone, zoned);
  }
  const part: Record<string, string> = {};
  for (const p of zoned.formatToParts(ms)) part[p.type] = p.value;
  const year = part.year.padStart(4, '0');
  return { date: `${part.day}/${part.month}/${year}`, time: `${part.hour}:${part.minute}` };
}

const numberFormats: Record<Lang, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};

const GROUP: Record<Lang, string> = { vi: '.', en: ',' };

/** Whole numbers, which are nearly all the numbers shown, grouped by hand: Intl.NumberFormat costs a microsecond a call. */
function formatInteger(n: number, lang: Lang): string {
  const digits = String(Math.abs(n));
  let out = digits.length > 3 ? '' : digits;
  if (digits.length > 3) {
    const head = digits.length % 3 || 3;
    out = digits.slice(0, head);
    for (let i = head; i < digits.length; i += 3) out += GROUP[lang] + digits.slice(i, i + 3);
  }
  return n < 0 ? `-${out}` : out;
}

export function formatNumber(value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return formatInteger(n, lang);
  return Number.isFinite(n) ? numberFormats[lang].format(n) : String(value);
}

/**
 * A ratio in [0, 1] as a percentage with up to two decimals: 0.9864 → "98,64 %" (vi, with a no-break space U+00A0 so
 * the sign never starts a line on its own), "98.64%" (en).
 */
export function formatPercent(value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return '—';
  const pct = Math.round(n * 10000) / 100;
  return lang === 'vi' ? `${numberFormats.vi.format(pct)}\u00a0%` : `${numberFormats.en.format(pct)}%`;
}
