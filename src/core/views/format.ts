import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Lang } from '../i18n';

/** Display formats: dd/MM/yyyy dates, times in the organisation's zone, Vietnamese digit grouping. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function formatDate(value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const text = String(value);
  if (ISO_DATE.test(text)) return `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)}`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return text;
  return format(new TZDate(ms, timeZone), 'dd/MM/yyyy');
}

export function formatDateTime(value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) return String(value);
  return format(new TZDate(ms, timeZone), 'dd/MM/yyyy HH:mm');
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

/** A ratio in [0, 1] as a percentage with up to two decimals: 0.9975 → "99,75 %" (vi), "99.75%" (en). */
export function formatPercent(value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return '—';
  const pct = Math.round(n * 10000) / 100;
  return lang === 'vi' ? `${numberFormats.vi.format(pct)} %` : `${numberFormats.en.format(pct)}%`;
}
