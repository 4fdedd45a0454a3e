import type { Middleware } from 'koa';
import { AppError } from '../../../contracts/index.js';
import type { AppState } from '../state.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per key: `perMinute` sustained, bursts up to one minute's worth. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; answers the seconds to wait when none is left. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * rate);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.forgetFull(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)) };
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.tokens + (now - bucket.updatedAt) * (this.perMinute / 60_000) >= this.perMinute) this.buckets.delete(key);
  }
}

/**
 * Request rate limits per identity and per tenant (429 with Retry-After). Buckets live in each API process:
 * with N processes behind a balancer the effective limit is up to N times the setting.
 */
export function rateLimit(limits: { perIdentityPerMinute: number; perTenantPerMinute: number }): Middleware<AppState> {
  const identities = new TokenBuckets(limits.perIdentityPerMinute);
  const tenants = new TokenBuckets(limits.perTenantPerMinute);
  return async (ctx, next) => {
    const principal = ctx.state.principal;
    if (principal) {
      const checks = [
        limits.perIdentityPerMinute > 0 ? identities.take(principal.principalId) : { ok: true as const },
        limits.perTenantPerMinute > 0 ? tenants.take(principal.tenantId) : { ok: true as const },
      ];
      const refused = checks.find((c) => !c.ok);
      if (refused && !refused.ok) {
        throw new AppError('rate_limited', `too many requests; retry in ${refused.retryAfterSeconds} s`, { details: { retryAfterSeconds: refused.retryAfterSeconds } });
      }
    }
    await next();
  };
}
