import assert from 'node:assert/strict';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A test client that states the status it expects on every call and fails with the response body
 * when it differs (the Svix test habit).
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  async raw(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (metrics, say): keep the text.
    }
    return { status: response.status, body, headers: response.headers };
  }

  async call<T = Record<string, unknown>>(method: string, path: string, expected: number, body?: unknown): Promise<T> {
    const init = body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const response = await this.raw(method, path, init);
    assert.equal(response.status, expected, `${method} ${path}: expected ${expected}, got ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as T;
  }

  get<T = Record<string, unknown>>(path: string, expected = 200): Promise<T> {
    return this.call<T>('GET', path, expected);
  }
  post<T = Record<string, unknown>>(path: string, body: unknown, expected = 201): Promise<T> {
    return this.call<T>('POST', path, expected, body);
  }
  patch<T = Record<string, unknown>>(path: string, body: unknown, expected = 200): Promise<T> {
    return this.call<T>('PATCH', path, expected, body);
  }
}
