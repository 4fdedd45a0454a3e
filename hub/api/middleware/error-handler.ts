import type { Middleware } from 'koa';
import { AppError, isAppError } from '../../../contracts/index.js';
import { databaseErrorToAppError } from '../../../models/index.js';
import type { AppState } from '../state.js';

/** Foreign errors become ours at this boundary; 5xx bodies stay generic, the log keeps the cause. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const fromDatabase = databaseErrorToAppError(error);
  if (fromDatabase) return fromDatabase;
  const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
  if (status === 404) return new AppError('not_found', 'no such route');
  if (status === 405) return new AppError('method_not_allowed', 'method not allowed on this route');
  if (status === 413) return new AppError('payload_too_large', 'request body too large');
  if (status === 400 || status === 415) return new AppError(status === 400 ? 'bad_request' : 'unsupported_media_type', 'the request could not be read');
  return new AppError('internal', 'internal error', { cause: error });
}

export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not_found', `no route for ${ctx.method} ${ctx.path}`);
    } catch (raw) {
      const error = toAppError(raw);
      const log = ctx.state.log;
      if (error.status >= 500) log.error({ err: raw, code: error.code }, 'request failed');
      else log.info({ code: error.code, status: error.status, reason: error.message }, 'request refused');
      ctx.status = error.status;
      const body: Record<string, unknown> = {
        code: error.code,
        message: error.expose ? error.message : 'internal error',
        requestId: ctx.state.requestId,
      };
      if (error.expose && error.details) body.details = error.details;
      ctx.body = { error: body };
      if (error.details?.retryAfterSeconds !== undefined) ctx.set('retry-after', String(error.details.retryAfterSeconds));
    }
  };
}
