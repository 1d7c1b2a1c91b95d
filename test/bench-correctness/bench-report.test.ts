import { describe, expect, it } from 'vitest';
import { cpuMicrosOf } from '../bench/lib/proc';
import { markdownTable } from '../bench/lib/report';

describe('benchmark report', () => {
  it("reads a process's CPU time from /proc, and nothing for a process that is gone", () => {
    const before = cpuMicrosOf(process.pid)!;
    const until = performance.now() + 300;
    let spin = 0;
    while (performance.now() < until) spin++;
    const after = cpuMicrosOf(process.pid)!;
    expect(spin).toBeGreaterThan(0);
    // 300 ms of busy loop, measured in 10 ms clock ticks: at least 200 ms even on a busy machine, never more than wall time allows.
    expect(after - before).toBeGreaterThanOrEqual(200_000);
    expect(after - before).toBeLessThan(2_000_000);
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
});
