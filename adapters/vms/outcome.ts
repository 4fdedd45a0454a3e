import type { VmsDelivery } from '../../contracts/capabilities.js';

export const delivered = (detail?: string): VmsDelivery => (detail === undefined ? { status: 'delivered' } : { status: 'delivered', detail });
export const retry = (reason: string): VmsDelivery => ({ status: 'retry', reason });
export const rejected = (reason: string, isConfigurationError: boolean): VmsDelivery => ({ status: 'rejected', reason, isConfigurationError });

/** A short, single-line excerpt of a VMS answer for logs and the CLI. */
export function excerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** The usual HTTP mapping: 5xx and 408/429 are worth retrying, 401/403 mean the VMS is not set up for us. */
export function fromHttpStatus(status: number, body: string): VmsDelivery {
  const what = `HTTP ${status}${body ? `: ${excerpt(body)}` : ''}`;
  if (status >= 200 && status < 300) return delivered(what);
  if (status >= 500 || status === 408 || status === 429) return retry(what);
  if (status === 401 || status === 403 || status === 404) return rejected(what, true);
  return rejected(what, false);
}

/** TLS verification failures: the certificate will not change by itself (allowSelfSignedCertificate, or a real one). */
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/;

/** A network failure (refused, reset, DNS, timeout, abort) as an outcome: worth another try, except a refused certificate. */
export function fromNetworkError(error: unknown, signal: AbortSignal | undefined, timeoutMs: number): VmsDelivery {
  if (signal?.aborted) return retry('aborted by the caller');
  if (isTimeout(error)) return retry(`no answer within ${timeoutMs} ms`);
  const code = errorCode(error);
  const message = describeError(error);
  if (code && CERTIFICATE_ERROR.test(code)) return rejected(`${code}: ${message} (the server's HTTPS certificate is not trusted)`, true);
  return retry(code ? `${code}: ${message}` : message);
}

/** The message with its cause's (fetch says only "fetch failed"; the cause says why). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : '';
  return cause && cause !== error.message ? `${error.message}: ${cause}` : error.message;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || errorCode(error) === 'ETIMEDOUT');
}

/** Node puts the system error code on the error, fetch (undici) on its cause. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (own) return own;
  return 'cause' in error ? errorCode(error.cause) : undefined;
}
