import { describe, expect, it } from 'vitest';
import { combine, type LoadResult } from '../bench/lib/load';
import { cpuMicrosFromStat, cpuMicrosOf } from '../bench/lib/proc';
import { markdownTable } from '../bench/lib/report';

describe('benchmark report', () => {
  it("reads a process's CPU time from its /proc stat line (user + system ticks), and nothing for a process that is gone", () => {
    // A command name with spaces and parentheses; utime 250 and stime 37 ticks of 10 ms: 2.87 s.
    const line = '4242 (node (tsx) a b) S 1 4242 4242 0 -1 4194560 5012 0 0 0 250 37 0 0 20 0 11 0 123456 1234567890 20480 18446744073709551615\n';
    expect(cpuMicrosFromStat(line)).toBe(2_870_000);
    expect(cpuMicrosFromStat('1 (init) S 0 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 1 0 0')).toBe(0);
    expect(cpuMicrosFromStat('')).toBeUndefined();
    expect(cpuMicrosFromStat('4242 (cut short) S 1')).toBeUndefined();
    // This process: a figure, and never less on a later read (no amount is asserted: it depends on the machine).
    const first = cpuMicrosOf(process.pid);
    expect(first).toEqual(expect.any(Number));
    expect(cpuMicrosOf(process.pid)!).toBeGreaterThanOrEqual(first!);
    expect(cpuMicrosOf(2 ** 22 + 12_345)).toBeUndefined();
  });

  it('prints the server CPU per request beside the ratio to the ceiling', () => {
    const table = markdownTable([
      { name: 'Ceiling', throughput: '2,000 req/s', p50: 4, p99: 16, ratio: 1, cpuUs: 412.4, target: '' },
      { name: 'NC list', throughput: '1,000 req/s', p50: 6, p99: 24, ratio: 0.5, cpuUs: 1234.6, memory: '35 kB page', target: '≥ 50 % of ceiling', met: true },
    ]).split('\n');
    expect(table[0]).toBe('| Measurement | Throughput | p50 ms | p99 ms | × ceiling | Server CPU µs/req | Memory | Target | Met |');
    expect(table[2]).toBe('| Ceiling | 2,000 req/s | 4.0 | 16 | 100 % | 412 |  |  |  |');
    expect(table[3]).toBe('| NC list | 1,000 req/s | 6.0 | 24 | 50 % | 1,235 | 35 kB page | ≥ 50 % of ceiling | ✓ |');
  });

  it('combines the slices of a page loaded in turns: mean throughput, median p50, worst p99, CPU over all requests', () => {
    const slice = (rps: number, p50: number, p99: number, requests: number, cpuMicros: number | undefined, extra: Partial<LoadResult> = {}): LoadResult => ({
      status: 200,
      bytes: 32_000,
      rps,
      p50,
      p99,
      non2xx: 0,
      errors: 0,
      maxRssKb: 200_000,
      requests,
      cpuMicros,
      ...extra,
    });
    const all = combine([slice(2000, 4, 20, 5000, 2_500_000), slice(1000, 6, 30, 2500, 1_500_000, { maxRssKb: 210_000 }), slice(1500, 5, 25, 3750, 2_000_000)]);
    expect(all).toMatchObject({ status: 200, bytes: 32_000, rps: 1500, p50: 5, p99: 30, requests: 11_250, cpuMicros: 6_000_000, maxRssKb: 210_000 });
    expect(all.cpuUsPerRequest).toBeCloseTo(6_000_000 / 11_250, 6);
    // One slice without the server's CPU (pid gone): no CPU figure rather than a wrong one; a failed slice shows.
    expect(combine([slice(1000, 4, 20, 2500, 1_000_000), slice(1000, 4, 20, 2500, undefined)]).cpuUsPerRequest).toBeUndefined();
    expect(combine([slice(1000, 4, 20, 2500, 1), slice(0, 0, 0, 0, 0, { status: 500, non2xx: 1 })])).toMatchObject({ status: 500, non2xx: 1 });
  });
});
