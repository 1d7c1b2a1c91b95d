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
 * The counter is read on the connection directly (readNow: an indexed read of the last row) as soon as it is asked
 * for, unless one of this process's transactions holds the connection: then the read waits for it, and the callers
 * that ask meanwhile share that one read, which runs once the connection is free and so sees every change committed
 * before they asked.
 *
 * A read also serves the later callers of the same turn of the event loop (until setImmediate): the several kept
 * values a page asks for one after another, and the other requests handled in that turn. A change this process
 * writes meanwhile ends that at once (noteChange, called by the audit log's record() inside the transaction, bumps a
 * generation the kept read carries); another process's change (a CLI import) is seen from the next turn, as if it
 * had come a moment later. A value is computed only after its stamp is read, and entries are compared by equality,
 * so a kept value can only look older than it is, never newer than the data it was computed from.
 */
const stampsInFlight = new WeakMap<AppContext, Promise<number>>();
const stampsThisTurn = new WeakMap<AppContext, { generation: number; stamp: number }>();
let generation = 0;

/** A change is being written in this process (inside its transaction): stamps read before it no longer serve. */
export function noteChange(): void {
  generation++;
}

/** Where the change counter stands: a read started now carries it (see keepStamp). */
export function stampGeneration(): number {
  return generation;
}

/**
 * Keeps a counter read for the rest of this turn, unless this process has written a change since the read started
 * (`readAt` is stampGeneration() before it). Also for a counter read by another statement — the session's, which
 * reads it in the same snapshot: one statement less per request.
 */
export function keepStamp(ctx: AppContext, readAt: number, stamp: number): void {
  if (readAt !== generation) return;
  const entry = { generation: readAt, stamp };
  const first = !stampsThisTurn.has(ctx);
  stampsThisTurn.set(ctx, entry);
  if (first) setImmediate(() => stampsThisTurn.delete(ctx));
}

function currentStamp(ctx: AppContext): number | Promise<number> {
  const kept = stampsThisTurn.get(ctx);
  if (kept && kept.generation === generation) return kept.stamp;
  const inFlight = stampsInFlight.get(ctx);
  if (inFlight && ctx.sqlite.inTransaction) return inFlight;
  const readAt = generation;
  let waiting: Promise<number> | undefined;
  const read = readNow(ctx.db, ctx.sqlite, LAST_CHANGE, (statement) => {
    // Read now: callers from here on need a read of their own.
    if (waiting && stampsInFlight.get(ctx) === waiting) stampsInFlight.delete(ctx);
    return (statement.get() as { id: number } | undefined)?.id ?? 0;
  });
  if (typeof read === 'number') {
    keepStamp(ctx, readAt, read);
    return read;
  }
  waiting = read;
  stampsInFlight.set(ctx, read);
  read.then(
    (stamp) => keepStamp(ctx, readAt, stamp),
    () => {
      if (stampsInFlight.get(ctx) === read) stampsInFlight.delete(ctx);
    },
  );
  return read;
}

/** The change counter: the last audit-log id (the log is append-only; every change writes it in its transaction). */
const LAST_CHANGE = 'select id from audit_log order by id desc limit 1';
