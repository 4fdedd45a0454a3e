import { AppError } from '../../contracts/errors.js';

export type ClipFailure = 'no_segments' | 'cut_failed' | 'invalid_request' | 'recorder_stopped';

/**
 * Why a clip could not be made. `reason` is stable for callers to switch on; the AppError code maps it to HTTP
 * terms if it ever reaches the hub (no video recorded is `unavailable`, a bad request is `bad_request`).
 */
export class ClipError extends AppError {
  readonly reason: ClipFailure;

  constructor(reason: ClipFailure, message: string, cause?: unknown) {
    super(reason === 'invalid_request' ? 'bad_request' : reason === 'cut_failed' ? 'internal' : 'unavailable', message, {
      cause,
      details: { reason },
    });
    this.name = 'ClipError';
    this.reason = reason;
  }
}
