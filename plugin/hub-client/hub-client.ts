import { z } from 'zod';
import type { DetectionEvent, EventResult } from '../../contracts/index.js';
import { MAX_EVENTS_PER_BATCH, eventResultSchema } from '../../contracts/index.js';
import { HubClientError, parseRetryAfter } from './hub-client-error.js';

export interface HubClientOptions {
  /** Base URL of the hub, e.g. `https://hub.example.com` (a path prefix is kept). */
  readonly baseUrl: string;
  /** A `vgl_…` API token of the plugin's service identity. Sent as a bearer token, never logged. */
  readonly token: string;
  /** Per-request timeout covering connect, upload and the whole response body. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** Injected for tests that need a different transport; defaults to Node's global fetch. */
  readonly fetch?: typeof fetch;
}

const eventResultsSchema = z.object({ results: z.array(eventResultSchema) });
const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional() }),
});

/** The hub's HTTP API as the plugin uses it. */
export class HubClient {
  private readonly baseUrl: URL;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: HubClientOptions) {
    const url = URL.canParse(options.baseUrl) ? new URL(options.baseUrl) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new HubClientError('hub base URL must be an http(s) URL', { kind: 'invalid_request' });
    }
    if (options.token.trim() === '') throw new HubClientError('hub token is empty', { kind: 'invalid_request' });
    url.username = '';
    url.password = '';
    if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
    this.baseUrl = url;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.userAgent = options.userAgent ?? 'vigil-plugin/0.1.0';
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Where the client sends, without credentials: safe to log. */
  get origin(): string {
    return this.baseUrl.origin;
  }

  /**
   * `POST /v1/events`: one result per event, in any order, keyed by event id. The hub is idempotent on
   * the id, so resending after a lost answer yields `duplicate`, never a second event.
   */
  async postEvents(events: readonly DetectionEvent[], options: { signal?: AbortSignal } = {}): Promise<EventResult[]> {
    if (events.length === 0 || events.length > MAX_EVENTS_PER_BATCH) {
      throw new HubClientError(`a batch holds 1..${MAX_EVENTS_PER_BATCH} events, got ${events.length}`, { kind: 'invalid_request' });
    }
    const body = await this.request('POST', 'v1/events', { events }, options.signal);
    const parsed = eventResultsSchema.safeParse(body);
    if (!parsed.success) {
      throw new HubClientError(`POST /v1/events: unexpected response shape: ${z.prettifyError(parsed.error)}`, { kind: 'invalid_response' });
    }
    return parsed.data.results;
  }

  private async request(method: string, path: string, payload: unknown, callerSignal: AbortSignal | undefined): Promise<unknown> {
    const label = `${method} /${path}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(new URL(path, this.baseUrl), {
        method,
        signal,
        headers: {
          authorization: `Bearer ${this.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'user-agent': this.userAgent,
        },
        body: JSON.stringify(payload),
      });
      text = await response.text();
    } catch (error) {
      throw transportError(label, error, callerSignal, timeout, this.timeoutMs);
    }
    if (!response.ok) throw httpError(label, response, text);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new HubClientError(`${label}: response is not JSON (status ${response.status})`, { kind: 'invalid_response', status: response.status, cause: error });
    }
  }
}

function transportError(label: string, error: unknown, callerSignal: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): HubClientError {
  if (callerSignal?.aborted) return new HubClientError(`${label}: aborted`, { kind: 'aborted', cause: error });
  if (timeout.aborted) return new HubClientError(`${label}: no complete answer within ${timeoutMs} ms`, { kind: 'timeout', cause: error });
  // undici puts the useful part (ECONNREFUSED, ENOTFOUND, certificate errors) in `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
  return new HubClientError(`${label}: network error (${detail})`, { kind: 'network', cause: error });
}

function httpError(label: string, response: Response, text: string): HubClientError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = errorBodySchema.safeParse(body);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const base = { kind: 'http' as const, status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (parsed.success) {
    const { code, message, requestId } = parsed.data.error;
    return new HubClientError(`${label}: ${response.status} ${code}: ${message}`, { ...base, code, ...(requestId === undefined ? {} : { requestId }) });
  }
  return new HubClientError(`${label}: ${response.status} ${response.statusText}`.trimEnd(), base);
}
