import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../../src/core/views/format';

/** What Intl itself shows for an instant in a zone: the reference the fast formatting must equal, to the minute. */
const references = new Map<string, Intl.DateTimeFormat>();
function intl(ms: number, timeZone: string): string {
  let f = references.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    references.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(ms)) p[x.type] = x.value;
  return `${p.day}/${p.month}/${p.year.padStart(4, '0')} ${p.hour}:${p.minute}`;
}

// Zones with summer time (also of 30 minutes), offsets of 45 minutes, offsets with seconds (Monrovia until 1972,
// Saigon's local mean time until 1906), a skipped day (Apia, 30/12/2011), and the app's own zone.
const ZONES = ['Asia/Ho_Chi_Minh', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Africa/Monrovia', 'Pacific/Apia', 'UTC'];

describe('timestamps shown in the organisation’s zone', () => {
  it('are what Intl shows, for random instants from 1890 to 2110 and for every five minutes around offset changes', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const from = Date.UTC(1890, 0, 1);
    const to = Date.UTC(2110, 0, 1);
    for (const zone of ZONES) {
      for (let i = 0; i < 3000; i++) {
        const ms = Math.floor(from + random() * (to - from));
        expect(formatDateTime(new Date(ms).toISOString(), zone), `${zone} ${new Date(ms).toISOString()}`).toBe(intl(ms, zone));
      }
    }
    // every five minutes of the days around changes: Paris 2026 (spring, autumn), Lord Howe 2026 (30 minutes), Apia's skipped
    // day, Monrovia's move to whole minutes (1972-01-07), Saigon's end of local mean time (1906-07-01)
    const days: [string, string][] = [
      ['Europe/Paris', '2026-03-29'],
      ['Europe/Paris', '2026-10-25'],
      ['Australia/Lord_Howe', '2026-04-04'],
      ['Pacific/Apia', '2011-12-29'],
      ['Africa/Monrovia', '1972-01-06'],
      ['Asia/Ho_Chi_Minh', '1906-06-30'],
    ];
    for (const [zone, day] of days) {
      const start = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
      for (let ms = start; ms < start + 3 * 86_400_000; ms += 5 * 60_000) {
        expect(formatDateTime(new Date(ms).toISOString(), zone), `${zone} ${new Date(ms).toISOString()}`).toBe(intl(ms, zone));
        expect(formatDateTime(new Date(ms + 59_999).toISOString(), zone)).toBe(intl(ms + 59_999, zone));
      }
    }
  });

  it('keeps dates as dd/MM/yyyy and leaves what is not a date as it is', () => {
    expect(formatDate('2026-12-05', 'Asia/Ho_Chi_Minh')).toBe('05/12/2026');
    expect(formatDate('2026-12-05T17:30:00Z', 'Asia/Ho_Chi_Minh')).toBe('06/12/2026');
    expect(formatDateTime('2026-12-05T17:30:00.000Z', 'Asia/Ho_Chi_Minh')).toBe('06/12/2026 00:30');
    expect(formatDateTime('0999-01-01T00:00:00Z', 'UTC')).toBe(intl(Date.parse('0999-01-01T00:00:00Z'), 'UTC'));
    expect(formatDateTime('not a date', 'UTC')).toBe('not a date');
    expect(formatDateTime(null, 'UTC')).toBe('');
  });
});
