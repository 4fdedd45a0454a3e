/** Why a hub call failed: the outbox decides from `kind` and `status` whether to retry, bisect or stop. */
export type HubFailureKind = 'network' | 'timeout' | 'aborted' | 'http' | 'invalid_response' | 'invalid_request';

export interface HubClientErrorInit {
  readonly kind: HubFailureKind;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/** A failed call to the hub. Messages name the method and path only: never the token or full URL. */
export class HubClientError extends Error {
  readonly kind: HubFailureKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: HubClientErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'HubClientError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** 401/403: the token is wrong, revoked or lacks the store; resending will not help until it is fixed. */
  get isAuthFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }

  /** Network trouble, timeouts, 408, 429 and 5xx: the same request may succeed later. */
  get isRetryable(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout' || this.kind === 'invalid_response') return true;
    return this.status !== undefined && (this.status === 408 || this.status === 429 || this.status >= 500);
  }
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
