import type { Middleware } from 'koa';
import { AppError } from '../../contracts/index.js';
import type { AppState } from './state.js';

/** NUL (PostgreSQL text cannot hold it) and UTF-16 surrogates without their pair (not Unicode at all). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_DEPTH = 64;

export const isUnsafeText = (text: string): boolean => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * The path of the first string (value or key) in `value` that holds a NUL or a lone surrogate, or null.
 * Nesting deeper than any schema of ours is reported too, so no walker downstream recurses without end.
 */
export function findUnsafeString(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return isUnsafeText(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_DEPTH) return path;
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    const at = `${path}.${key}`;
    if (isUnsafeText(key)) return at;
    const found = findUnsafeString(item, at, depth + 1);
    if (found) return found;
  }
  return null;
}

export function refuseUnsafeStrings(value: unknown, where: string): void {
  const path = findUnsafeString(value, where);
  if (path) throw new AppError('invalid_input', `${path}: NUL bytes, unpaired surrogates and nesting deeper than ${MAX_DEPTH} are not accepted`, { details: { issues: [{ path, message: 'invalid characters' }] } });
}

function decodedPath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError('invalid_input', 'the request path is not valid percent-encoded UTF-8');
  }
}

/**
 * Every route, JSON or raw: the path and the query string must be valid UTF-8 without NUL bytes or lone
 * surrogates, so no handler, log line or SQL parameter ever sees them.
 */
export function urlGuard(): Middleware<AppState> {
  return async (ctx, next) => {
    const path = decodedPath(ctx.path);
    if (isUnsafeText(path)) throw new AppError('invalid_input', 'the request path holds NUL bytes or invalid Unicode');
    let query: unknown;
    try {
      query = ctx.query;
    } catch {
      throw new AppError('invalid_input', 'the query string is not valid percent-encoded UTF-8');
    }
    refuseUnsafeStrings(query, 'query');
    await next();
  };
}
