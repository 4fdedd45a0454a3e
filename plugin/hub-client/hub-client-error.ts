import { z } from 'zod';
import { AppError, isAppError, type ErrorCode } from '../../contracts/index.js';

/** Why a hub call failed: the outbox decides from `kind` and `status` whether to retry, bisect or stop. */
export type HubFailureKind = 'network' | 'timeout' | 'aborted' | 'http' | 'invalid_response' | 'invalid_request';

const hubFailureSchema = z.object({
  kind: z.enum(['network', 'timeout', 'aborted', 'http', 'invalid_response', 'invalid_request']),
  /** The hub's HTTP status, for `http` (and an unparseable answer). */
  status: z.number().int().optional(),
  /** The hub's own error code from its `{ error }` body. */
  hubCode: z.string().optional(),
  requestId: z.string().optional(),
  retryAfterMs: z.number().nonnegative().optional(),
});
export type HubFailure = z.infer<typeof hubFailureSchema>;

const CODE_OF_KIND: Record<HubFailureKind, ErrorCode> = {
  network: 'hub_unreachable',
  timeout: 'hub_unreachable',
  aborted: 'aborted',
  http: 'hub_refused',
  invalid_response: 'hub_answer_invalid',
  invalid_request: 'validation_failed',
};

/**
 * A failed call to the hub as an `AppError`: the code says what kind of failure, `details.hub` the
 * particulars (status, the hub's code, Retry-After). Messages name the method and path only: never
 * the token or the full URL.
 */
export function hubError(message: string, failure: HubFailure, cause?: unknown): AppError {
  return new AppError(CODE_OF_KIND[failure.kind], message, {
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(cause === undefined ? {} : { cause }),
    details: { hub: failure },
  });
}

/** The particulars of a failed hub call, or undefined when `error` did not come from the hub client. */
export function hubFailureOf(error: unknown): HubFailure | undefined {
  if (!isAppError(error)) return undefined;
  const parsed = hubFailureSchema.safeParse(error.details?.['hub']);
  return parsed.success ? parsed.data : undefined;
}

/** 401/403: the token is wrong, revoked or lacks the store; resending will not help until it is fixed. */
export function isAuthFailure(failure: HubFailure): boolean {
  return failure.status === 401 || failure.status === 403;
}

/** Network trouble, timeouts, 408, 429 and 5xx: the same request may succeed later. */
export function isRetryable(failure: HubFailure): boolean {
  if (failure.kind === 'network' || failure.kind === 'timeout' || failure.kind === 'invalid_response') return true;
  return failure.status !== undefined && (failure.status === 408 || failure.status === 429 || failure.status >= 500);
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
