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
  /** The server's CPU time per request (user + system, µs), when its pid is known: steadier than requests per second. */
  cpuUsPerRequest?: number;
}

export async function load(url: string, cookie: string | undefined, options: { connections: number; seconds: number; pid?: () => number }): Promise<LoadResult> {
  // One request first: a page that fails is reported, not benchmarked; it also warms caches and templates.
  let first: Awaited<ReturnType<typeof probe>>;
  try {
    first = await probe(url, cookie);
  } catch {
    // Not even one answer within the probe's time limit: nothing to load.
    return { status: 0, bytes: 0, rps: 0, p50: 0, p99: 0, non2xx: 0, errors: 1, maxRssKb: 0 };
  }
  if (first.status !== 200) return { status: first.status, bytes: first.bytes, rps: 0, p50: 0, p99: 0, non2xx: 1, errors: 0, maxRssKb: 0 };
  const stop = options.pid ? sampleRss(options.pid) : () => 0;
  const cpuBefore = options.pid ? cpuMicrosOf(options.pid()) : undefined;
  const r = await autocannon({ url, connections: options.connections, duration: options.seconds, headers: cookie ? { cookie } : {}, timeout: 30 });
  const cpuAfter = options.pid ? cpuMicrosOf(options.pid()) : undefined;
  const maxRssKb = stop();
  const cpuUsPerRequest = cpuBefore !== undefined && cpuAfter !== undefined && r.requests.total > 0 ? (cpuAfter - cpuBefore) / r.requests.total : undefined;
  return {
    status: first.status,
    bytes: first.bytes,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    maxRssKb,
    cpuUsPerRequest,
  };
}
