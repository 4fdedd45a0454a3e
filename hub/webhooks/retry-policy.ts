import type { OutboundResponse } from './http-sender.js';

export type AttemptOutcome = 'succeeded' | 'retry' | 'failed' | 'aborted' | 'gone' | 'blocked';

/** What a response means for the delivery (the state machine's input). */
export function classify(response: OutboundResponse): AttemptOutcome {
  if (response.isBlocked) return 'blocked';
  // A receiver may stop retries of one message explicitly (Standard Webhooks' abort-message convention).
  if ((response.headers['webhook-delivery'] ?? '').toLowerCase() === 'abort-message') return 'aborted';
  const status = response.status;
  if (status !== null && status >= 200 && status < 300 && response.error === null) return 'succeeded';
  if (status === 410) return 'gone';
  return 'retry';
}

/** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
export function retryAfterMs(response: OutboundResponse, now: number = Date.now()): number | null {
  if (response.status !== 429 && response.status !== 503) return null;
  const value = response.headers['retry-after'];
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Delay before the next attempt after `attemptsMade` attempts, or null when the schedule is exhausted.
 * A Retry-After from the receiver replaces the scheduled delay (bounded), but never adds attempts.
 */
export function nextDelayMs(attemptsMade: number, schedule: readonly number[], jitter: number, retryAfter: number | null, maxRetryAfterMs: number, random: () => number = Math.random): number | null {
  const scheduled = schedule[attemptsMade - 1];
  if (scheduled === undefined) return null;
  if (retryAfter !== null) return Math.min(retryAfter, maxRetryAfterMs);
  const spread = 1 + jitter * (2 * random() - 1);
  return Math.round(scheduled * spread);
}
