/** Stable codes of the outbox's own failures; callers (rules, evidence) switch on `code`. */
export type OutboxErrorCode =
  | 'outbox_full'
  | 'outbox_closed'
  | 'outbox_locked'
  | 'record_too_large'
  | 'invalid_record'
  | 'outbox_io';

/**
 * A typed error of the outbox. `outbox_full` is the one a caller must expect in normal operation: the
 * disk bound was reached and the record was NOT stored (never dropped silently), so the caller decides.
 */
export class OutboxError extends Error {
  readonly code: OutboxErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: OutboxErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutboxError';
    this.code = code;
    this.details = options.details;
  }
}

export function isOutboxError(value: unknown, code?: OutboxErrorCode): value is OutboxError {
  return value instanceof OutboxError && (code === undefined || value.code === code);
}
