export interface BackoffOptions {
  /** First delay after a failure. */
  readonly initialMs: number;
  /** Upper bound of any delay (before jitter). */
  readonly maxMs: number;
  readonly factor: number;
  /** Fraction of the delay added or removed at random, so many cameras failing together do not retry in lockstep. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 3_000, factor: 2, jitter: 0.2 };

/** Exponential backoff with jitter, bounded; `reset()` after a healthy run. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.attempt);
    this.attempt += 1;
    const spread = base * jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(base + spread));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
