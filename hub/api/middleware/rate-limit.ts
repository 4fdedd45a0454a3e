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
    const bucket = this.refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: this.waitFor(bucket) };
  }

  /** Whether a token is left, without taking it. */
  peek(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const bucket = this.refill(key);
    return bucket.tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: this.waitFor(bucket) };
  }

  private refill(key: string): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * (this.perMinute / 60_000));
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.forgetFull(now);
    return bucket;
  }

  private waitFor(bucket: Bucket): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) / (this.perMinute / 60_000) / 1000));
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

/**
 * Failed authentications per client address: each failure takes a token; an address with none left is
 * answered 429 (with Retry-After) before its credentials are even looked at, so guessing tokens or session
 * secrets costs the guesser time and the database nothing. Successful requests take no token.
 */
export class FailedAuthLimiter {
  private readonly buckets: TokenBuckets;
  constructor(
    private readonly perMinute: number,
    now: () => number = Date.now,
  ) {
    this.buckets = new TokenBuckets(perMinute, now);
  }

  /** Throws rate_limited when the address has no failures left to spend. */
  assertAllowed(address: string): void {
    if (this.perMinute <= 0) return;
    const state = this.buckets.peek(address);
    if (!state.ok) {
      throw new AppError('rate_limited', `too many failed sign-ins from this address; retry in ${state.retryAfterSeconds} s`, { details: { retryAfterSeconds: state.retryAfterSeconds } });
    }
  }

  recordFailure(address: string): void {
    if (this.perMinute > 0) this.buckets.take(address);
  }
}
