/** Stable, snake_case error codes. Clients may switch on these; never rename one. */
export const ERROR_CODES = {
  bad_request: 400,
  invalid_input: 400,
  validation_failed: 400,
  malformed_json: 400,
  malformed_xml: 400,
  invalid_cursor: 400,
  unauthenticated: 401,
  forbidden: 403,
  cross_origin_refused: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  illegal_transition: 409,
  offset_mismatch: 409,
  legal_hold: 409,
  fixity_failed: 409,
  precondition_failed: 412,
  checksum_mismatch: 422,
  media_invalid: 422,
  signature_invalid: 403,
  link_expired: 403,
  link_revoked: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  model_invalid: 422,
  model_mismatch: 422,
  rate_limited: 429,
  database_locked: 503,
  unavailable: 503,
  internal: 500,
  config_invalid: 500,
  outbox_full: 507,
  outbox_closed: 503,
  outbox_locked: 409,
  outbox_io: 500,
  record_too_large: 413,
  invalid_record: 400,
  hub_unreachable: 503,
  hub_refused: 502,
  hub_answer_invalid: 502,
  aborted: 499,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  status?: number;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/**
 * The one error type of Vigil. `expose` says whether the message may reach a client: 5xx bodies stay
 * generic, and the log keeps the details and the cause.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code];
    this.expose = this.status < 500;
    this.details = options.details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);

/**
 * A programming error: a condition the code itself guarantees. Fails with `internal` (500, message kept
 * out of the response) so a broken invariant is loud in the log and never mistaken for a client's fault.
 */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AppError('internal', `invariant violated: ${message}`);
}
