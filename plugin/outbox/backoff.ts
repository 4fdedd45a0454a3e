export interface BackoffOptions {
  /** First retry delay. */
  readonly baseMs: number;
  /** Longest delay between two tries of the same batch. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 60_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential delay plus a random half, so plugins of
 * many stores that lost the hub together do not come back in lockstep, yet never retry immediately.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * A pause shared by every stream: a 429 with Retry-After or a 401/403 concerns the whole plugin, so
 * one stream learning it stops the others from hammering the hub too.
 */
export class SendGate {
  private pausedUntil = 0;

  pause(ms: number, now: number = Date.now()): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }

  async wait(signal: AbortSignal): Promise<void> {
    for (;;) {
      const remaining = this.pausedUntil - Date.now();
      if (remaining <= 0 || signal.aborted) return;
      await sleep(remaining, signal);
    }
  }
}
