import type { Middleware } from 'koa';
import type { AppState } from '../api/state.js';

/**
 * Headers for the pages a browser renders (console, sign-in, logout): no framing (clickjacking), nothing
 * loaded from elsewhere, forms only to this origin and the identity provider (logout ends there), no MIME
 * sniffing, and no full URL (with its query) leaked in Referer to other sites.
 */
export function pageSecurityHeaders(providerOrigin: string | null): Middleware<AppState> {
  const formTargets = ["'self'", ...(providerOrigin ? [providerOrigin] : [])].join(' ');
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    // The pages carry their few rules in one inline <style>; scripts stay 'self' only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${formTargets}`,
    "frame-ancestors 'none'",
  ].join('; ');
  return async (ctx, next) => {
    ctx.set('content-security-policy', policy);
    ctx.set('x-frame-options', 'DENY');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('referrer-policy', 'same-origin');
    await next();
  };
}
