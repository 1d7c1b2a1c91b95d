import type { AppContext } from '../context';
import { readNow } from './database';

/**
 * Memoises heavy reads (the all-procedures summary, office-wide series, a procedure's compliance report, a search's
 * ranking) until
 * the data changes. Every state change writes an audit-log entry in its own transaction, so the last audit-log id is
 * a change counter: an entry computed under the same counter (and the same key, which carries the period) is still
 * exact. Concurrent callers share one computation. Entries are kept per bin (each with its own size, the oldest
 * dropped first), so many small per-procedure reports never push out the one expensive summary.
 */
export interface CacheBin {
  name: string;
  maxEntries: number;
}

const DEFAULT_BIN: CacheBin = { name: 'aggregates', maxEntries: 24 };
const caches = new WeakMap<AppContext, Map<string, Map<string, { stamp: number; value: Promise<unknown> }>>>();

function binOf(ctx: AppContext, bin: CacheBin): Map<string, { stamp: number; value: Promise<unknown> }> {
  let bins = caches.get(ctx);
  if (!bins) caches.set(ctx, (bins = new Map()));
  let cache = bins.get(bin.name);
  if (!cache) bins.set(bin.name, (cache = new Map()));
  return cache;
}

export function cachedUntilChange<T>(ctx: AppContext, key: string, compute: () => Promise<T>, bin: CacheBin = DEFAULT_BIN): Promise<T> {
  const stamp = currentStamp(ctx);
  // The counter is read at once unless a transaction holds the connection: no await in between, so the common case
  // costs no turn of the microtask queue.
  return typeof stamp === 'number' ? keptOrComputed(ctx, key, compute, bin, stamp) : stamp.then((s) => keptOrComputed(ctx, key, compute, bin, s));
}

function keptOrComputed<T>(ctx: AppContext, key: string, compute: () => Promise<T>, bin: CacheBin, stamp: number): Promise<T> {
  const cache = binOf(ctx, bin);
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) {
    // Most recently used last, so the oldest unused entry goes first.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  cache.delete(key);
  cache.set(key, { stamp, value });
  if (cache.size > bin.maxEntries) cache.delete(cache.keys().next().value!);
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}

/**
 * The counter is read on the connection directly (readNow: an indexed read of the last row, a few microseconds), at
 * once, so every caller sees every change committed before it asked, this process's and another's (a CLI import).
 * While one of this process's transactions holds the connection, the read waits for it; callers that ask meanwhile
 * share that one read, which runs once the connection is free and so sees every change committed before they asked.
 * A value is computed only after its stamp is read, and entries are compared by equality, so a kept value can never
 * look newer than the data it was computed from.
 */
const stampsInFlight = new WeakMap<AppContext, Promise<number>>();

function currentStamp(ctx: AppContext): number | Promise<number> {
  const inFlight = stampsInFlight.get(ctx);
  if (inFlight && ctx.sqlite.inTransaction) return inFlight;
  let waiting: Promise<number> | undefined;
  const read = readNow(ctx.db, ctx.sqlite, LAST_CHANGE, (statement) => {
    // Read now: callers from here on need a read of their own.
    if (waiting && stampsInFlight.get(ctx) === waiting) stampsInFlight.delete(ctx);
    return (statement.get() as { id: number } | undefined)?.id ?? 0;
  });
  if (typeof read === 'number') return read;
  waiting = read;
  stampsInFlight.set(ctx, read);
  read.catch(() => {
    if (stampsInFlight.get(ctx) === read) stampsInFlight.delete(ctx);
  });
  return read;
}

/** The change counter: the last audit-log id (the log is append-only; every change writes it in its transaction). */
const LAST_CHANGE = 'select id from audit_log order by id desc limit 1';
