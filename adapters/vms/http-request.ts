import { request as httpRequestRaw, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';

/** What came back from one HTTP exchange: enough to decide an outcome and to show the operator. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: AnswerHeaders;
  readonly body: string;
}

/** Response headers by lower-case name; repeated headers (WWW-Authenticate) joined with ", ". */
export interface AnswerHeaders {
  get(name: string): string | null;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /**
   * Accept a self-signed server certificate. VMS servers in stores often run on the certificate the installer
   * generated (Nx Media Server, Genetec Web SDK); an explicit, loudly documented opt-in.
   */
  readonly allowSelfSignedCertificate?: boolean;
}

/** The caller's signal combined with the adapter's own deadline. */
export function deadline(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

function answerHeaders(raw: IncomingHttpHeaders): AnswerHeaders {
  return {
    get: (name) => {
      const value = raw[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : String(value);
    },
  };
}

/** One request over node:http(s); throws only for network failures and aborts (callers turn those into `retry`). */
export function httpRequest(request: HttpRequest, signal: AbortSignal): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers = { ...request.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) };
    const options = { method: request.method, headers, signal };
    const onAnswer = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: answerHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req = url.protocol === 'https:'
      ? httpsRequestRaw(url, { ...options, rejectUnauthorized: request.allowSelfSignedCertificate !== true }, onAnswer)
      : httpRequestRaw(url, options, onAnswer);
    req.on('error', (error) => reject(signal.aborted ? signal.reason : error));
    req.end(body);
  });
}

/** `Basic base64(user:password)`, UTF-8 as RFC 7617 recommends. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** Joins a base URL (with or without a trailing slash, possibly with a path) and a path. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
