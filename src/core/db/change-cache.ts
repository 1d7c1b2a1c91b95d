import type { AppContext } from '../context';
import type { Db } from './database';

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

export async function cachedUntilChange<T>(ctx: AppContext, key: string, compute: () => Promise<T>, bin: CacheBin = DEFAULT_BIN): Promise<T> {
  const cache = binOf(ctx, bin);
  const stamp = await currentStamp(ctx);
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
 * One read of the counter serves every caller that asks while it is under way: a home page asks for three or four
 * kept values at once (Promise.all). The read runs synchronously once the connection is free and is forgotten as it
 * settles, so a caller that comes later either starts a new read or joins one still waiting for the connection (which
 * then sees every change committed before it); and a value is computed only after its stamp is read.
 *
 * A read also serves, until the event loop's next turn (setImmediate), the later callers of the same turn — the
 * several kept values a page asks for one after another, and the other requests handled in the same turn — unless
 * this process writes an audit entry meanwhile (noteChange, called by the audit log's record(), bumps a generation
 * the read carries). Another process's change (a CLI import) is seen from the next turn, as if it had come a moment
 * later. A stale stamp can only make a kept value look older than it is, never a value computed before a change
 * look newer: the counter is read before the value is computed, and entries are compared by equality.
 */
const stampsInFlight = new WeakMap<AppContext, Promise<number>>();
const stampsThisTurn = new WeakMap<AppContext, { generation: number; stamp: Promise<number> }>();
let generation = 0;

/** A change is being written in this process (inside its transaction): stamps read before it no longer serve. */
export function noteChange(): void {
  generation++;
}

function currentStamp(ctx: AppContext): Promise<number> {
  const kept = stampsThisTurn.get(ctx);
  if (kept && kept.generation === generation) return kept.stamp;
  let stamp = stampsInFlight.get(ctx);
  if (!stamp) {
    const startedAt = generation;
    const read = findChangeStamp(ctx.db).finally(() => {
      if (stampsInFlight.get(ctx) === read) stampsInFlight.delete(ctx);
    });
    void read.then(
      () => {
        if (startedAt !== generation) return;
        const entry = { generation: startedAt, stamp: read };
        stampsThisTurn.set(ctx, entry);
        setImmediate(() => {
          if (stampsThisTurn.get(ctx) === entry) stampsThisTurn.delete(ctx);
        });
      },
      () => undefined,
    );
    stampsInFlight.set(ctx, (stamp = read));
  }
  return stamp;
}

/** The change counter: the last audit-log id (the log is append-only; every change writes it in its transaction). */
async function findChangeStamp(db: Db): Promise<number> {
  const row = await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? 0;
}
