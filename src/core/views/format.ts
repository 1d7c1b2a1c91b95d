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
 * An instant's local date (dd/MM/yyyy) and time (HH:mm) in a time zone. What Intl.DateTimeFormat shows is the UTC
 * fields of the instant plus the zone's offset at that instant; formatToParts costs about 4 µs a call (a list of 50
 * timestamps: 0.2 ms), so the offset is taken from Intl once per zone and UTC day over which it does not change (the
 * same at the day's first and last second), and the fields are computed from it. The result is Intl's, to the minute
 * (offsets with seconds included); instants outside 1900–9999 and days with an offset change are formatted by Intl.
 */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
/** Per zone: UTC day number → the offset (ms) over that whole day. */
const constantDays = new Map<string, Map<number, number>>();
const MAX_CACHED_DAYS = 50_000;
const DAY_MS = 86_400_000;
const FIRST_FAST_MS = Date.UTC(1900, 0, 2);
const LAST_FAST_MS = Date.UTC(9999, 11, 30);

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let zoned = zoneFormats.get(timeZone);
  if (!zoned) {
    zoned = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    zoneFormats.set(timeZone, zoned);
  }
  return zoned;
}

function intlParts(ms: number, timeZone: string): Record<string, string> {
  const part: Record<string, string> = {};
  for (const p of zoneFormat(timeZone).formatToParts(ms)) part[p.type] = p.value;
  return part;
}

/** The zone's offset at an instant, to the second, from Intl (years 1900–9999 only: no era in the parts). */
function intlOffsetMs(ms: number, timeZone: string): number {
  const p = intlParts(ms, timeZone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

function dayOffsetMs(ms: number, timeZone: string): number | undefined {
  const day = Math.floor(ms / DAY_MS);
  let days = constantDays.get(timeZone);
  const cached = days?.get(day);
  if (cached !== undefined) return cached;
  const first = intlOffsetMs(day * DAY_MS, timeZone);
  if (first !== intlOffsetMs(day * DAY_MS + DAY_MS - 1000, timeZone)) return undefined;
  if (!days) constantDays.set(timeZone, (days = new Map()));
  if (days.size >= MAX_CACHED_DAYS) days.clear();
  days.set(day, first);
  return first;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

function localParts(ms: number, timeZone: string): { date: string; time: string } {
  const offset = ms >= FIRST_FAST_MS && ms <= LAST_FAST_MS ? dayOffsetMs(ms, timeZone) : undefined;
  if (offset === undefined) {
    const part = intlParts(ms, timeZone);
    const year = part.year.padStart(4, '0');
    return { date: `${part.day}/${part.month}/${year}`, time: `${part.hour}:${part.minute}` };
  }
  const wall = new Date(ms + offset);
  return {
    date: `${two(wall.getUTCDate())}/${two(wall.getUTCMonth() + 1)}/${wall.getUTCFullYear()}`,
    time: `${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`,
  };
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
