import type { AppContext } from '../../core/context';
import { findChangeStamp } from './reports.summary.queries';

/**
 * Memoises heavy aggregates (the all-procedures summary, office-wide series) until the data changes. Every state
 * change writes an audit-log entry in its own transaction, so the last audit-log id is a change counter: an entry
 * computed under the same counter (and the same key, which carries the period) is still exact. Concurrent callers
 * share one computation. A few entries per app context, the oldest dropped first.
 */
const MAX_ENTRIES = 24;
const caches = new WeakMap<AppContext, Map<string, { stamp: number; value: Promise<unknown> }>>();

export async function cachedUntilChange<T>(ctx: AppContext, key: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  const stamp = await findChangeStamp(ctx.db);
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
  const value = compute();
  cache.delete(key);
  cache.set(key, { stamp, value });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}
