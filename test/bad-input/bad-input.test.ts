import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../contracts/index.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { mutantsFor, RAW_BODY_MUTANTS, URL_MUTANTS, WHOLE_BODY_MUTANTS } from './mutations.js';
import { sample, type JsonSchema, type KnownIds } from './sample.js';

/**
 * The generated bad-input suite: for every operation of the OpenAPI document, a schema-derived valid
 * request, then that request mutated leaf by leaf (NUL bytes, lone surrogates, extreme dates and numbers,
 * wrong types, objects where scalars belong, oversized strings) in the body, the path and the query.
 * Nothing may answer 5xx, every refusal carries a stable error code, and the hub still answers afterwards.
 */
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  jsonBody?: JsonSchema;
  rawTypes: string[];
}
interface Attempt {
  operation: Operation;
  mutation: string;
  url: string;
  body?: string | Buffer;
  type?: string;
}

const PER_OPERATION = 70;

function operationsOf(document: { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema?: JsonSchema }> } }>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (method === 'parameters') continue;
      const content = op.requestBody?.content ?? {};
      const json = content['application/json'];
      out.push({
        method: method.toUpperCase(), path, parameters: op.parameters ?? [],
        ...(json ? { jsonBody: json.schema ?? {} } : {}),
        rawTypes: Object.keys(content).filter((type) => type !== 'application/json' || !json || Object.keys(content).length > 1),
      });
    }
  }
  return out;
}

function buildUrl(op: Operation, ids: KnownIds, raw: Record<string, string> = {}): string {
  let path = op.path;
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    path = path.replace(`{${p.name}}`, raw[p.name] ?? encodeURIComponent(String(sample(p.schema, ids))));
  }
  const query = op.parameters
    .filter((p) => p.in === 'query')
    .filter((p) => raw[p.name] !== undefined)
    .map((p) => `${p.name}=${raw[p.name]}`);
  return query.length > 0 ? `${path}?${query.join('&')}` : path;
}

/** Every leaf of a sampled body, as a path of keys and indexes. */
function leaves(value: unknown, path: Array<string | number> = []): Array<{ path: Array<string | number>; value: unknown }> {
  if (Array.isArray(value)) return value.length === 0 ? [{ path, value }] : value.flatMap((item, i) => leaves(item, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0 ? [{ path, value }] : entries.flatMap(([key, item]) => leaves(item, [...path, key]));
  }
  return [{ path, value }];
}

function replaced(body: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: unknown = structuredClone(body);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

/** Spreads a long list of attempts evenly down to `limit`, keeping the first of each kind. */
function spread<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)] as T);
}

function attemptsFor(op: Operation, ids: KnownIds): Attempt[] {
  const out: Attempt[] = [];
  const baseBody = op.jsonBody ? sample(op.jsonBody, ids) : undefined;
  const json = (value: unknown) => JSON.stringify(value);
  const withBody = (mutation: string, url: string): Attempt => (op.jsonBody ? { operation: op, mutation, url, body: json(baseBody), type: 'application/json' } : { operation: op, mutation, url });
  for (const p of op.parameters.filter((x) => x.in !== 'header')) {
    for (const m of URL_MUTANTS) out.push(withBody(`${p.in} ${p.name}: ${m.name}`, buildUrl(op, ids, { [p.name]: m.raw })));
    if (p.in === 'query') out.push(withBody(`query ${p.name} twice`, `${buildUrl(op, ids)}${op.path.includes('?') ? '&' : '?'}${p.name}=a&${p.name}=b`));
  }
  if (op.jsonBody) {
    const url = buildUrl(op, ids);
    for (const leaf of leaves(baseBody)) {
      for (const m of mutantsFor(leaf.value)) out.push({ operation: op, mutation: `body ${leaf.path.join('.') || '(root)'}: ${m.name}`, url, body: json(replaced(baseBody, leaf.path, m.value)), type: 'application/json' });
    }
    for (const m of WHOLE_BODY_MUTANTS) out.push({ operation: op, mutation: `whole body: ${m.name}`, url, body: m.text, type: 'application/json' });
  }
  for (const m of op.rawTypes.length > 0 ? RAW_BODY_MUTANTS : []) out.push({ operation: op, mutation: `raw body: ${m.name}`, url: buildUrl(op, ids), body: m.body, type: m.type });
  return [withBody('valid sample', buildUrl(op, ids)), ...spread(out, PER_OPERATION)];
}

describe('bad input never gets a 5xx (generated from the OpenAPI document)', () => {
  let hub: TestHub;
  let ids: KnownIds;
  let plugin: string;
  before(async () => {
    hub = await startTestHub();
    const region = await hub.createRegion();
    const store = await hub.createStore({ regionId: region.id });
    const lane = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1', posWorkstationId: 'WS-1' });
    const camera = await hub.createCamera(store.id, { laneId: lane.id });
    plugin = await hub.createPluginToken([store.id]);
    const event = { id: newId('event'), cameraId: camera.id, storeId: store.id, type: 'zone_dwell', occurredAt: new Date().toISOString(), confidence: 0.9, rule: { name: 'zone_dwell' } };
    await hub.admin.as(plugin).call('POST', '/v1/events', 200, { events: [event] });
    const incidents = await hub.admin.get<{ data: Array<{ id: string }> }>('/v1/incidents');
    ids = { reg: region.id, sto: store.id, lan: lane.id, cam: camera.id, inc: incidents.data[0]?.id ?? '', evt: event.id };
  });
  after(() => hub.stop());

  test('every operation, every mutation: a 4xx with a stable code, never a 5xx', async () => {
    const document = (await hub.admin.get('/v1/openapi.json')) as Parameters<typeof operationsOf>[0];
    const operations = operationsOf(document);
    assert.ok(operations.length >= 70, `only ${operations.length} operations documented`);
    const failures: string[] = [];
    let sent = 0;
    const send = async (attempt: Attempt, token: string) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (attempt.type) headers['content-type'] = attempt.type;
      if (attempt.operation.path.includes('/evidence/uploads/{id}') && attempt.operation.method === 'PATCH') headers['upload-offset'] = '0';
      const response = await fetch(`${hub.url}${attempt.url}`, { method: attempt.operation.method, headers, ...(attempt.body !== undefined ? { body: attempt.body } : {}) });
      // An accepted event stream stays open for minutes: its status is the answer, so it is closed at once.
      const streaming = response.ok && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
      if (streaming) await response.body?.cancel();
      const text = streaming ? '' : await response.text();
      sent += 1;
      return { status: response.status, text };
    };
    for (const op of operations) {
      const attempts = attemptsFor(op, ids);
      // A route the lp_admin may not call (events, uploads, POS) is driven with the plugin's token.
      const first = attempts[0] as Attempt;
      const probe = await send(first, hub.adminToken);
      const token = probe.status === 403 ? plugin : hub.adminToken;
      const queue = [...attempts];
      const worker = async () => {
        for (let attempt = queue.shift(); attempt; attempt = queue.shift()) {
          const { status, text } = await send(attempt, token);
          const label = `${op.method} ${op.path} [${attempt.mutation}] -> ${status}`;
          if (status >= 500) failures.push(`${label}: ${text.slice(0, 200)}`);
          else if (status >= 400 && attempt.operation.path.startsWith('/v1/') && !/"code":"[a-z_]+"/.test(text)) failures.push(`${label} without an error code: ${text.slice(0, 120)}`);
        }
      };
      await Promise.all([worker(), worker(), worker()]);
    }
    const health = await fetch(`${hub.url}/healthz`);
    assert.equal(health.status, 200, 'the hub still answers after the run');
    assert.ok(sent > 1500, `only ${sent} requests were sent`);
    assert.deepEqual(failures, [], `${failures.length} of ${sent} requests failed:\n${failures.join('\n')}`);
  });
});
