import { z } from 'zod';
import type { DetectionEvent, EventResult, EvidenceUpload, EvidenceUploadRequest, StoreRulesDocument } from '../../contracts/index.js';
import { MAX_EVENTS_PER_BATCH, evidenceUploadSchema, eventResultSchema, pluginUserAgent, storeRulesDocumentSchema } from '../../contracts/index.js';
import type { AppError } from '../../contracts/index.js';
import { hubError, parseRetryAfter } from './hub-client-error.js';

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

/** What a rules pull found: the same version as the ETag sent, or a newer document and its ETag. */
export type StoreRulesPull = { readonly status: 'unchanged' } | { readonly status: 'updated'; readonly etag: string; readonly document: StoreRulesDocument };

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
      throw hubError('hub base URL must be an http(s) URL', { kind: 'invalid_request' });
    }
    if (options.token.trim() === '') throw hubError('hub token is empty', { kind: 'invalid_request' });
    url.username = '';
    url.password = '';
    if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
    this.baseUrl = url;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    // vigil-plugin/<package.json version>: the hub reads the plugin's version from it.
    this.userAgent = options.userAgent ?? pluginUserAgent();
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
      throw hubError(`a batch holds 1..${MAX_EVENTS_PER_BATCH} events, got ${events.length}`, { kind: 'invalid_request' });
    }
    const { body } = await this.request({ method: 'POST', path: 'v1/events', json: { events }, signal: options.signal });
    return parseBody('POST /v1/events', eventResultsSchema, body).results;
  }

  /** `POST /v1/evidence/uploads`: opens a resumable upload for one evidence file (size and edge SHA-256 declared). */
  async openEvidenceUpload(request: EvidenceUploadRequest, options: { signal?: AbortSignal } = {}): Promise<EvidenceUpload> {
    const { body } = await this.request({ method: 'POST', path: 'v1/evidence/uploads', json: request, signal: options.signal });
    return parseBody('POST /v1/evidence/uploads', evidenceUploadSchema, body);
  }

  /** `GET /v1/evidence/uploads/:id`: where an upload stands; `offset` is where to resume. */
  async getEvidenceUpload(id: string, options: { signal?: AbortSignal } = {}): Promise<EvidenceUpload> {
    const { body } = await this.request({ method: 'GET', path: `v1/evidence/uploads/${encodeURIComponent(id)}`, signal: options.signal });
    return parseBody('GET /v1/evidence/uploads/:id', evidenceUploadSchema, body);
  }

  /**
   * `PATCH /v1/evidence/uploads/:id` with one chunk at `offset` (tus-style). Returns the hub's new offset and,
   * after the last chunk, the id of the evidence item it created.
   */
  async patchEvidenceChunk(id: string, offset: number, chunk: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<{ offset: number; evidenceId: string | undefined }> {
    const { headers } = await this.request({
      method: 'PATCH',
      path: `v1/evidence/uploads/${encodeURIComponent(id)}`,
      raw: { body: chunk, contentType: 'application/offset+octet-stream', headers: { 'upload-offset': String(offset) } },
      signal: options.signal,
    });
    const next = Number.parseInt(headers.get('upload-offset') ?? '', 10);
    if (!Number.isInteger(next) || next < 0) throw hubError('PATCH /v1/evidence/uploads/:id: no Upload-Offset in the answer', { kind: 'invalid_response' });
    return { offset: next, evidenceId: headers.get('evidence-id') ?? undefined };
  }

  /**
   * `GET /v1/stores/:id/rules` with `If-None-Match: etag` when one is given: `unchanged` on 304, otherwise the
   * document (checked against the contract, and for the store asked about) with the ETag to send next time.
   */
  async fetchStoreRules(storeId: string, etag?: string, options: { signal?: AbortSignal } = {}): Promise<StoreRulesPull> {
    const label = 'GET /v1/stores/:id/rules';
    if (etag !== undefined && !/^[\x21-\x7e]{1,1024}$/.test(etag)) throw hubError(`${label}: an ETag is 1..1024 visible ASCII characters`, { kind: 'invalid_request' });
    const { status, headers, body } = await this.request({
      method: 'GET', path: `v1/stores/${encodeURIComponent(storeId)}/rules`, signal: options.signal, ...(etag === undefined ? {} : { headers: { 'if-none-match': etag } }), notModifiedOk: true,
    });
    if (status === 304) return { status: 'unchanged' };
    const document = parseBody(label, storeRulesDocumentSchema, body);
    if (document.storeId !== storeId) throw hubError(`${label}: answered for another store`, { kind: 'invalid_response', status });
    const next = headers.get('etag');
    if (next === null || next === '') throw hubError(`${label}: no ETag in the answer`, { kind: 'invalid_response', status });
    return { status: 'updated', etag: next, document };
  }

  private async request(call: HubCall): Promise<{ status: number; headers: Headers; body: unknown }> {
    const label = `${call.method} /${call.path.replace(/\/(upl|evd|sto)_[0-9a-z]+/, '/:id')}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const headers: Record<string, string> = { ...call.headers, authorization: `Bearer ${this.token}`, accept: 'application/json', 'user-agent': this.userAgent };
    let body: string | Uint8Array | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.raw) {
      Object.assign(headers, call.raw.headers, { 'content-type': call.raw.contentType });
      body = call.raw.body;
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(new URL(call.path, this.baseUrl), { method: call.method, signal, headers, ...(body === undefined ? {} : { body }) });
      text = await response.text();
    } catch (error) {
      throw transportError(label, error, call.signal, timeout, this.timeoutMs);
    }
    if (response.status === 304 && call.notModifiedOk) return { status: 304, headers: response.headers, body: undefined };
    if (!response.ok) throw httpError(label, response, text);
    if (text === '') return { status: response.status, headers: response.headers, body: undefined };
    try {
      return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
    } catch (error) {
      throw hubError(`${label}: response is not JSON (status ${response.status})`, { kind: 'invalid_response', status: response.status }, error);
    }
  }
}

interface HubCall {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  readonly json?: unknown;
  readonly raw?: { readonly body: Uint8Array; readonly contentType: string; readonly headers: Record<string, string> };
  /** Extra request headers (conditional requests); the client's own ones win. */
  readonly headers?: Record<string, string>;
  /** A conditional GET: 304 is an answer, not a failure. */
  readonly notModifiedOk?: boolean;
  readonly signal: AbortSignal | undefined;
}

function parseBody<T>(label: string, schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw hubError(`${label}: unexpected response shape: ${z.prettifyError(parsed.error)}`, { kind: 'invalid_response' });
  return parsed.data;
}

function transportError(label: string, error: unknown, callerSignal: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): AppError {
  if (callerSignal?.aborted) return hubError(`${label}: aborted`, { kind: 'aborted' }, error);
  if (timeout.aborted) return hubError(`${label}: no complete answer within ${timeoutMs} ms`, { kind: 'timeout' }, error);
  // undici puts the useful part (ECONNREFUSED, ENOTFOUND, certificate errors) in `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
  return hubError(`${label}: network error (${detail})`, { kind: 'network' }, error);
}

function httpError(label: string, response: Response, text: string): AppError {
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
    return hubError(`${label}: ${response.status} ${code}: ${message}`, { ...base, hubCode: code, ...(requestId === undefined ? {} : { requestId }) });
  }
  return hubError(`${label}: ${response.status} ${response.statusText}`.trimEnd(), base);
}
