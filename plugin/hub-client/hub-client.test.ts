import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { DetectionEvent } from '../../contracts/index.js';
import { detectionEventSchema, isAppError, newId } from '../../contracts/index.js';
import { HubClient, hubFailureOf, isAuthFailure, isRetryable, parseRetryAfter, type HubFailure } from './index.js';

const TOKEN = 'vgl_secret_token_never_logged';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function serve(t: { after: (fn: () => Promise<void>) => void }, handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function event(): DetectionEvent {
  return detectionEventSchema.parse({
    id: newId('event'),
    cameraId: newId('camera'),
    storeId: newId('store'),
    type: 'zone_dwell',
    occurredAt: new Date().toISOString(),
    confidence: 0.7,
    rule: { name: 'zone_dwell' },
  });
}

type Failure = HubFailure & { readonly message: string; readonly code: string };

/** The AppError a call failed with, and its hub particulars. */
function failureOf(error: unknown): Failure {
  const hub = hubFailureOf(error);
  assert.ok(isAppError(error) && hub !== undefined, `expected an AppError from the hub client, got ${String(error)}`);
  assert.ok(!error.message.includes(TOKEN), 'the token never appears in an error');
  return { ...hub, message: error.message, code: error.code };
}

async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return failureOf(error);
  }
  throw new Error('expected the call to fail');
}

test('postEvents sends the bearer token and the batch, and parses per-item results', async (t) => {
  let seen: { auth: string | undefined; body: unknown; path: string | undefined } | undefined;
  const url = await serve(t, (req, body, res) => {
    seen = { auth: req.headers.authorization, body: JSON.parse(body), path: req.url };
    const ids = (JSON.parse(body) as { events: Array<{ id: string }> }).events.map((e) => e.id);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ results: ids.map((id, i) => ({ id, status: i === 0 ? 'created' : 'duplicate' })) }));
  });
  const client = new HubClient({ baseUrl: url, token: TOKEN });
  const events = [event(), event()];
  const results = await client.postEvents(events);
  assert.deepEqual(results, [
    { id: events[0]!.id, status: 'created' },
    { id: events[1]!.id, status: 'duplicate' },
  ]);
  assert.equal(seen?.auth, `Bearer ${TOKEN}`);
  assert.equal(seen?.path, '/v1/events');
  assert.deepEqual(seen?.body, { events: JSON.parse(JSON.stringify(events)) });
});

test('a base URL with a path prefix keeps it', async (t) => {
  let path: string | undefined;
  const url = await serve(t, (req, _body, res) => {
    path = req.url;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"results":[]}');
  });
  await new HubClient({ baseUrl: `${url}/vigil`, token: TOKEN }).postEvents([event()]);
  assert.equal(path, '/vigil/v1/events');
});

test('error bodies become an AppError (hub_refused) with status, the hub\'s code, request id and Retry-After', async (t) => {
  let status = 422;
  const url = await serve(t, (_req, _body, res) => {
    res.writeHead(status, status === 429 ? { 'content-type': 'application/json', 'retry-after': '7' } : { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: status === 429 ? 'rate_limited' : 'validation_failed', message: 'nope', requestId: 'req_abc' } }));
  });
  const client = new HubClient({ baseUrl: url, token: TOKEN });
  const invalid = await failure(client.postEvents([event()]));
  assert.equal(invalid.kind, 'http');
  assert.equal(invalid.code, 'hub_refused');
  assert.equal(invalid.status, 422);
  assert.equal(invalid.hubCode, 'validation_failed');
  assert.equal(invalid.requestId, 'req_abc');
  assert.equal(isRetryable(invalid), false);
  status = 429;
  const limited = await failure(client.postEvents([event()]));
  assert.equal(limited.retryAfterMs, 7000);
  assert.equal(isRetryable(limited), true);
  status = 401;
  const denied = await failure(client.postEvents([event()]));
  assert.equal(isAuthFailure(denied), true);
});

test('a hub that does not answer in time fails with kind timeout', async (t) => {
  const url = await serve(t, () => undefined);
  const error = await failure(new HubClient({ baseUrl: url, token: TOKEN, timeoutMs: 150 }).postEvents([event()]));
  assert.equal(error.kind, 'timeout');
  assert.equal(error.code, 'hub_unreachable');
  assert.equal(isRetryable(error), true);
});

test('a refused connection fails with kind network; a caller abort with kind aborted', async (t) => {
  const url = await serve(t, () => undefined);
  // Find a port with no listener: bind one, then release it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const refused = await failure(new HubClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN }).postEvents([event()]));
  assert.equal(refused.kind, 'network');
  assert.match(refused.message, /ECONNREFUSED/);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const aborted = await failure(new HubClient({ baseUrl: url, token: TOKEN }).postEvents([event()], { signal: controller.signal }));
  assert.equal(aborted.kind, 'aborted');
});

test('a 200 with an unexpected body fails with kind invalid_response', async (t) => {
  const url = await serve(t, (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"results":[{"id":"evt_x","status":"maybe"}]}');
  });
  const error = await failure(new HubClient({ baseUrl: url, token: TOKEN }).postEvents([event()]));
  assert.equal(error.kind, 'invalid_response');
});

test('bad arguments are refused before any request', async () => {
  assert.throws(() => new HubClient({ baseUrl: 'ftp://hub', token: TOKEN }), (error: unknown) => failureOf(error).code === 'validation_failed');
  assert.throws(() => new HubClient({ baseUrl: 'http://hub', token: ' ' }), (error: unknown) => failureOf(error).kind === 'invalid_request');
  const client = new HubClient({ baseUrl: 'http://127.0.0.1:9', token: TOKEN });
  assert.equal((await failure(client.postEvents([]))).kind, 'invalid_request');
  assert.equal((await failure(client.postEvents(Array.from({ length: 501 }, event)))).kind, 'invalid_request');
});

test('Retry-After accepts delta-seconds and HTTP dates', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter('Wed, 01 Jan 2031 00:00:10 GMT', Date.UTC(2031, 0, 1, 0, 0, 0)), 10_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

test('fetchStoreRules sends If-None-Match, treats 304 as unchanged, and refuses a document of another store or without an ETag', async (t) => {
  const storeId = newId('store');
  const seen: Array<string | undefined> = [];
  let answer: { status: number; etag?: string; body?: unknown } = { status: 304 };
  const url = await serve(t, (req, _body, res) => {
    seen.push(req.headers['if-none-match']);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.etag ? { etag: answer.etag } : {}) });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
  const client = new HubClient({ baseUrl: url, token: TOKEN });
  assert.deepEqual(await client.fetchStoreRules(storeId, '"v1"'), { status: 'unchanged' });
  const document = { storeId, version: 2, updatedAt: new Date().toISOString(), rules: [] };
  answer = { status: 200, etag: '"v2"', body: document };
  // A hub from before pilot programs sends no `programs`: the plugin reads none.
  assert.deepEqual(await client.fetchStoreRules(storeId, '"v1"'), { status: 'updated', etag: '"v2"', document: { ...document, programs: [] } });
  assert.deepEqual(seen, ['"v1"', '"v1"']);
  await client.fetchStoreRules(storeId);
  assert.equal(seen[2], undefined, 'no ETag, no If-None-Match');
  answer = { status: 200, etag: '"v2"', body: { ...document, storeId: newId('store') } };
  assert.equal((await failure(client.fetchStoreRules(storeId))).kind, 'invalid_response');
  answer = { status: 200, body: document };
  assert.match((await failure(client.fetchStoreRules(storeId))).message, /no ETag/);
  answer = { status: 200, etag: '"v3"', body: { ...document, version: -1 } };
  assert.equal((await failure(client.fetchStoreRules(storeId))).kind, 'invalid_response');
});
