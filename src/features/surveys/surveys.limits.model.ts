import type { Clock } from '../../core/clock';

/**
 * The public survey page's rate limits, kept in this process's memory: each app process counts on its own, and a
 * restart forgets the counts (an abuser then gets one more window; no citizen is ever locked out for long). Nothing
 * of this is stored in the database, so no client address is kept anywhere but here, and only for the window.
 *
 * Counted: each answer accepted (stored, or a honeypot hit answered as if stored) and each answer refused for its
 * dossier code (so that codes cannot be tried one after another). A citizen correcting a form is not counted.
 */
export interface SurveyLimits {
  /** Answers per client address within the window. */
  perAddress: number;
  /** Answers per client address and procedure within the window. */
  perProcedure: number;
  windowMs: number;
}

export const DEFAULT_LIMITS: SurveyLimits = { perAddress: 10, perProcedure: 3, windowMs: 60 * 60_000 };

/** Above this many addresses tracked, the expired ones are swept on the next hit. */
const SWEEP_ABOVE = 10_000;

export class SurveyLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    readonly limits: SurveyLimits = DEFAULT_LIMITS,
  ) {}

  /** Seconds until the address may answer again for the procedure (0: it may now). */
  retryAfter(address: string, procedureKey: string): number {
    const now = this.clock.now().getTime();
    const wait = (key: string, max: number) => {
      const times = this.recent(key, now);
      return times.length < max ? 0 : Math.ceil((times[times.length - max] + this.limits.windowMs - now) / 1000);
    };
    return Math.max(wait(`a|${address}`, this.limits.perAddress), wait(`p|${address}|${procedureKey}`, this.limits.perProcedure), 0);
  }

  /** Counts one answer of the address for the procedure. */
  hit(address: string, procedureKey: string): void {
    const now = this.clock.now().getTime();
    if (this.hits.size > SWEEP_ABOVE) for (const key of [...this.hits.keys()]) this.recent(key, now);
    for (const key of [`a|${address}`, `p|${address}|${procedureKey}`]) this.hits.set(key, [...this.recent(key, now), now]);
  }

  /** Forgets every count. */
  clear(): void {
    this.hits.clear();
  }

  private recent(key: string, now: number): number[] {
    const times = (this.hits.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (times.length === 0) this.hits.delete(key);
    else this.hits.set(key, times);
    return times;
  }
}

/** One limiter per app context (so per app process, and per test app). */
const limiters = new WeakMap<object, SurveyLimiter>();
export function surveyLimiterOf(ctx: { clock: Clock }): SurveyLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) {
    limiter = new SurveyLimiter(ctx.clock);
    limiters.set(ctx, limiter);
  }
  return limiter;
}
