import autocannon from 'autocannon';
import { probe } from './http';
import { cpuMicrosOf, sampleRss } from './proc';

/** One page under load: autocannon for a fixed time with N connections, the server's RSS sampled meanwhile. */
export interface LoadResult {
  status: number;
  bytes: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  maxRssKb: number;
  /** Requests answered, and the server's CPU time over them (µs) when its pid is known. */
  requests: number;
  cpuMicros?: number;
  /** The server's CPU time per request (user + system, µs), when its pid is known: steadier than requests per second. */
  cpuUsPerRequest?: number;
  /** The database server's CPU time over them (µs; PostgreSQL's processes), when `dbCpu` is given. */
  dbCpuMicros?: number;
  dbCpuUsPerRequest?: number;
}

export async function load(
  url: string,
  cookie: string | undefined,
  options: { connections: number; seconds: number; pid?: () => number; dbCpu?: () => number | undefined },
): Promise<LoadResult> {
  // One request first: a page that fails is reported, not benchmarked; it also warms caches and templates.
  let first: Awaited<ReturnType<typeof probe>>;
  try {
    first = await probe(url, cookie);
  } catch {
    // Not even one answer within the probe's time limit: nothing to load.
    return { status: 0, bytes: 0, rps: 0, p50: 0, p99: 0, non2xx: 0, errors: 1, maxRssKb: 0, requests: 0 };
  }
  if (first.status !== 200) return { status: first.status, bytes: first.bytes, rps: 0, p50: 0, p99: 0, non2xx: 1, errors: 0, maxRssKb: 0, requests: 0 };
  const stop = options.pid ? sampleRss(options.pid) : () => 0;
  const cpuBefore = options.pid ? cpuMicrosOf(options.pid()) : undefined;
  const dbBefore = options.dbCpu?.();
  const r = await autocannon({ url, connections: options.connections, duration: options.seconds, headers: cookie ? { cookie } : {}, timeout: 30 });
  const cpuAfter = options.pid ? cpuMicrosOf(options.pid()) : undefined;
  const dbAfter = options.dbCpu?.();
  const maxRssKb = stop();
  const cpuMicros = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  const dbCpuMicros = dbBefore !== undefined && dbAfter !== undefined ? dbAfter - dbBefore : undefined;
  return {
    status: first.status,
    bytes: first.bytes,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    maxRssKb,
    requests: r.requests.total,
    cpuMicros,
    cpuUsPerRequest: cpuMicros !== undefined && r.requests.total > 0 ? cpuMicros / r.requests.total : undefined,
    dbCpuMicros,
    dbCpuUsPerRequest: dbCpuMicros !== undefined && r.requests.total > 0 ? dbCpuMicros / r.requests.total : undefined,
  };
}

/** Several loads of one page as one: mean throughput, median p50, worst p99, CPU over all requests. */
export function combine(runs: LoadResult[]): LoadResult {
  const failed = runs.find((r) => r.status !== 200);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const cpuMicros = runs.every((r) => r.cpuMicros !== undefined) ? runs.reduce((n, r) => n + r.cpuMicros!, 0) : undefined;
  const dbCpuMicros = runs.length > 0 && runs.every((r) => r.dbCpuMicros !== undefined) ? runs.reduce((n, r) => n + r.dbCpuMicros!, 0) : undefined;
  return {
    status: failed?.status ?? runs[0]?.status ?? 0,
    bytes: runs[0]?.bytes ?? 0,
    rps: runs.reduce((n, r) => n + r.rps, 0) / Math.max(1, runs.length),
    p50: median(runs.map((r) => r.p50)),
    p99: Math.max(0, ...runs.map((r) => r.p99)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    maxRssKb: Math.max(0, ...runs.map((r) => r.maxRssKb)),
    requests,
    cpuMicros,
    cpuUsPerRequest: cpuMicros !== undefined && requests > 0 ? cpuMicros / requests : undefined,
    dbCpuMicros,
    dbCpuUsPerRequest: dbCpuMicros !== undefined && requests > 0 ? dbCpuMicros / requests : undefined,
  };
}

/**
 * A page and the ceiling loaded in turns (`rounds` slices of `seconds` each, the order swapped every round), so
 * that both are measured under the same drift of the machine's speed; each side's slices combined.
 */
export async function interleaved(
  page: { url: string; cookie?: string; pid?: () => number; dbCpu?: () => number | undefined },
  ceiling: { url: string; pid?: () => number },
  options: { connections: number; seconds: number; rounds: number },
): Promise<{ page: LoadResult; ceiling: LoadResult }> {
  const pageRuns: LoadResult[] = [];
  const ceilingRuns: LoadResult[] = [];
  const loadPage = async () =>
    pageRuns.push(await load(page.url, page.cookie, { connections: options.connections, seconds: options.seconds, pid: page.pid, dbCpu: page.dbCpu }));
  const loadCeiling = async () =>
    ceilingRuns.push(await load(ceiling.url, undefined, { connections: options.connections, seconds: options.seconds, pid: ceiling.pid }));
  for (let round = 0; round < options.rounds; round++) {
    if (round % 2 === 0) {
      await loadCeiling();
      await loadPage();
    } else {
      await loadPage();
      await loadCeiling();
    }
  }
  return { page: combine(pageRuns), ceiling: combine(ceilingRuns) };
}
