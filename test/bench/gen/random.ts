import { fromDayNumber, toDayNumber, weekdayOf } from '../../../src/core/calendar/dates';

/** Seeded randomness and cheap calendar arithmetic for the generator (day numbers, ISO strings cached). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** mulberry32: uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Roughly exponential with the given mean (≥ 0). */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** A sampler over weights (cumulative table + binary search). */
export function weighted(weights: readonly number[]): (r: number) => number {
  const cum = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) cum[i] = total += weights[i];
  return (r: number) => {
    const x = r * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** Day numbers ↔ ISO dates, memoised over the generator's whole range. */
export class Days {
  private readonly iso: string[] = [];
  readonly first: number;
  constructor(fromIso: string, toIso: string) {
    this.first = toDayNumber(fromIso);
    const last = toDayNumber(toIso);
    for (let d = this.first; d <= last; d++) this.iso.push(fromDayNumber(d));
  }
  of(day: number): string {
    return this.iso[day - this.first] ?? fromDayNumber(day);
  }
  static num(iso: string): number {
    return toDayNumber(iso);
  }
  static weekend(day: number): boolean {
    const w = weekdayOf(day);
    return w === 0 || w === 6;
  }
  /** An instant on that local day (UTC+7 office hours), as an ISO UTC string. */
  instant(day: number, minuteOfDay: number): string {
    const utcMinute = minuteOfDay - 7 * 60;
    const d = utcMinute < 0 ? day - 1 : day;
    const m = (utcMinute + 1440) % 1440;
    return `${this.of(d)}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00.000Z`;
  }
}

const SYLLABLES = [
  'thủ',
  'tục',
  'hành',
  'chính',
  'giải',
  'quyết',
  'hồ',
  'sơ',
  'cấp',
  'giấy',
  'chứng',
  'nhận',
  'đăng',
  'ký',
  'hộ',
  'tịch',
  'bảo',
  'trợ',
  'xã',
  'hội',
  'người',
  'có',
  'công',
  'đất',
  'đai',
  'xây',
  'dựng',
  'kinh',
  'doanh',
  'thẩm',
  'định',
  'phê',
  'duyệt',
  'kiểm',
  'tra',
  'tiếp',
  'nhận',
  'trả',
  'kết',
  'quả',
  'một',
  'cửa',
  'liên',
  'thông',
  'trực',
  'tuyến',
  'văn',
  'bản',
  'quy',
  'trình',
  'biểu',
  'mẫu',
  'hướng',
  'dẫn',
  'trách',
  'nhiệm',
  'lãnh',
  'đạo',
  'phòng',
  'ban',
  'chuyên',
  'viên',
  'thời',
  'hạn',
  'làm',
  'việc',
  'lưu',
  'trữ',
  'hồ',
  'sơ',
  'chất',
  'lượng',
  'cải',
  'tiến',
  'đánh',
  'giá',
  'nội',
  'bộ',
];

/** Vietnamese-looking words (no meaning), for titles and bodies. */
export function words(rng: Rng, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(SYLLABLES[Math.floor(rng.next() * SYLLABLES.length)]);
  return out.join(' ');
}

export function sentence(rng: Rng, n: number): string {
  const w = words(rng, n);
  return w.charAt(0).toUpperCase() + w.slice(1) + '.';
}
