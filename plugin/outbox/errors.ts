import { isAppError, type AppError, type ErrorCode } from '../../contracts/index.js';

/**
 * Stable codes of the outbox's own failures (each an `AppError`); callers (rules, evidence) switch on
 * `code`. `outbox_full` is the one a caller must expect in normal operation: the disk bound was reached
 * and the record was NOT stored (never dropped silently), so the caller decides.
 */
export const OUTBOX_ERROR_CODES = ['outbox_full', 'outbox_closed', 'outbox_locked', 'record_too_large', 'invalid_record', 'outbox_io'] as const satisfies readonly ErrorCode[];
export type OutboxErrorCode = (typeof OUTBOX_ERROR_CODES)[number];

const OUTBOX_CODES: ReadonlySet<string> = new Set(OUTBOX_ERROR_CODES);

export function isOutboxError(value: unknown, code?: OutboxErrorCode): value is AppError {
  return isAppError(value) && OUTBOX_CODES.has(value.code) && (code === undefined || value.code === code);
}
