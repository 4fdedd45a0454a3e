/** What came back from one HTTP exchange: enough to decide an outcome and to show the operator. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** The caller's signal combined with the adapter's own deadline. */
export function deadline(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** One request through fetch; throws only for network failures and aborts (the callers turn those into `retry`). */
export async function httpRequest(request: HttpRequest, signal: AbortSignal): Promise<HttpAnswer> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
    redirect: 'manual',
    signal,
  });
  const body = await response.text();
  return { status: response.status, headers: response.headers, body };
}

/** `Basic base64(user:password)`, UTF-8 as RFC 7617 recommends. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** Joins a base URL (with or without a trailing slash, possibly with a path) and a path. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
