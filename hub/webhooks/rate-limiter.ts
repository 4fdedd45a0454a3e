/**
 * Per-endpoint token buckets (one second of burst). Each worker process keeps its own, so N workers
 * may together send up to N times the limit; the limit protects a receiver from a backlog flush, not
 * an exact quota.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** 0 when a request may go now, else the milliseconds until a token is free. */
  take(key: string, perSecond: number | null, now: number = Date.now()): number {
    if (perSecond === null || perSecond <= 0) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: perSecond, at: now };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
  }
}
