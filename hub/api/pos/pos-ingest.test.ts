import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { after, before, test, type TestContext } from 'node:test';
import { NO_SALE, REFUND, posLog } from '../../../adapters/pos/poslog-fixtures.js';
import { posConfigSchema } from './pos-config.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/servers/webhook-receiver.js';
import { databaseLabel } from '../../../test/support/database.js';
import { FAST, webhookFixture, type WebhookFixture } from '../../../test/webhooks/support.js';

const db = databaseLabel();
const POS_UPLOAD_LIMIT = posConfigSchema.parse({}).uploadLimitBytes;
let fx: WebhookFixture;
let receiver: WebhookReceiver;
let storeCode: string;
let laneId: string;
before(async () => {
  fx = await webhookFixture();
  receiver = await startWebhookReceiver();
  fx.startWorker(FAST);
  const store = await fx.hub.admin.get<{ code: string }>(`/v1/stores/${fx.storeId}`);
  storeCode = store.code;
  laneId = (await fx.hub.admin.post<{ id: string }>('/v1/lanes', { storeId: fx.storeId, name: 'Lane 3', posWorkstationId: '3' })).id;
});
after(async () => {
  await receiver.close();
  await fx.stop();
});

const postXml = (body: string, token = fx.hub.adminToken) =>
  fetch(`${fx.hub.url}/v1/pos/transactions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body });
const count = async () => Number(((await fx.hub.db.knex('pos_transactions').count({ n: '*' })) as Array<{ n: string | number }>)[0]?.n ?? 0);

test(`[${db}] a POSLog export is matched to its store and lane, unmatched transactions are kept and flagged, a replay is idempotent`, async () => {
  const doc = posLog([
    { store: storeCode, workstation: '3', sequence: 1 },
    { store: storeCode, workstation: '9', sequence: 2 },
    { store: 'NOPE', workstation: '3', sequence: 3 },
  ]);
  const first = await postXml(doc);
  assert.equal(first.status, 200);
  // Each fixture sale has a voided line: a line_void exception (which opens no incident by default).
  assert.deepEqual(await first.json(), { received: 3, created: 3, duplicates: 0, unmatched: 2, exceptions: 3, linked: 0, incidentsCreated: 0, rejected: 0, errors: [] });
  const again = await postXml(doc);
  assert.deepEqual(await again.json(), { received: 3, created: 0, duplicates: 3, unmatched: 0, exceptions: 0, linked: 0, incidentsCreated: 0, rejected: 0, errors: [] });
  const rows = (await fx.hub.db.knex('pos_transactions').orderBy('sequence_number').select('sequence_number', 'store_id', 'lane_id', 'is_matched', 'raw')) as Array<Record<string, unknown>>;
  assert.deepEqual(rows.map((r) => [r.sequence_number, r.store_id, r.lane_id, r.is_matched]), [
    ['1', fx.storeId, laneId, true], ['2', fx.storeId, null, false], ['3', null, null, false],
  ]);
  assert.match(JSON.stringify(rows[0]?.raw), /acme:Loyalty/, 'vendor extension kept in the raw record');
});

test(`[${db}] POS exceptions become pos.exception messages linked to the lane; the JSON form is accepted too`, async () => {
  const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['pos.exception'], fullPayload: true });
  try {
    const from = receiver.received.length;
    const res = await postXml(posLog([{ store: storeCode, workstation: '3', sequence: 10, body: NO_SALE }, { store: storeCode, workstation: '3', sequence: 11, body: REFUND }]));
    // Lane 3 has no camera: its exceptions open no incident.
    assert.deepEqual(await res.json(), { received: 2, created: 2, duplicates: 0, unmatched: 0, exceptions: 2, linked: 0, incidentsCreated: 0, rejected: 0, errors: [] });
    const json = await fx.hub.admin.post('/v1/pos/transactions', {
      transactions: [{ posStoreId: storeCode, workstationId: '3', sequenceNumber: '12', businessDay: '2026-11-24', kind: 'post_void', lineItems: [] }],
    }, 200);
    assert.equal(json.exceptions, 1);
    await receiver.waitFor(from + 3);
    const messages = receiver.received.slice(from).map((d) => JSON.parse(d.body) as { type: string; data: { laneId: string; exceptions: string[]; sequenceNumber: string } });
    assert.ok(messages.every((m) => m.type === 'pos.exception' && m.data.laneId === laneId));
    assert.deepEqual(messages.map((m) => m.data.exceptions).sort(), [['no_sale'], ['post_void'], ['refund']]);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
  }
});

async function refused(label: string, send: () => Promise<{ status: number; code?: string }>, expected: number): Promise<void> {
  const before = await count();
  const started = performance.now();
  const { status, code } = await send();
  const ms = performance.now() - started;
  assert.equal(status, expected, `${label}: ${code}`);
  assert.ok(ms < 2000, `${label} answered in ${ms.toFixed(0)} ms`);
  assert.equal(await count(), before, `${label}: nothing stored`);
}

const viaFetch = async (body: string) => {
  const res = await postXml(body);
  return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code ?? '' };
};

/** Declares 50 MB and starts streaming; the hub must answer without waiting for the rest. */
const fiftyMegabytes = () => new Promise<{ status: number }>((resolve, reject) => {
  const req = request(`${fx.hub.url}/v1/pos/transactions`, {
    method: 'POST', headers: { authorization: `Bearer ${fx.hub.adminToken}`, 'content-type': 'application/xml', 'content-length': String(50 * 1024 * 1024) },
  }, (res) => {
    res.resume();
    resolve({ status: res.statusCode ?? 0 });
    req.destroy();
  });
  req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
  req.write(`<POSLog>${' '.repeat(64 * 1024)}`);
});

/** Streams `bytes` of a POSLog without declaring its length (chunked): the limit must hold as it is read. */
const chunked = async (bytes: number) => {
  const head = '<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/">';
  const piece = new TextEncoder().encode(' '.repeat(1024 * 1024));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        sent += head.length;
        controller.enqueue(new TextEncoder().encode(head));
        return;
      }
      const size = Math.min(piece.length, bytes - sent);
      if (size <= 0) return controller.close();
      sent += size;
      controller.enqueue(piece.subarray(0, size));
    },
  });
  const res = await fetch(`${fx.hub.url}/v1/pos/transactions`, {
    method: 'POST', headers: { authorization: `Bearer ${fx.hub.adminToken}`, 'content-type': 'application/xml' }, body, duplex: 'half',
  } as RequestInit).catch((error: unknown) => ({ status: 0, json: async () => ({ error: { code: String(error) } }) }));
  return { status: res.status };
};

test(`[${db}] DOCTYPE, entity bomb, 50 MB and broken nesting get a clear 4xx quickly and store nothing`, async () => {
  const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`).join('')}]><POSLog>&bbbbbbbbb;</POSLog>`;
  await refused('entity bomb', () => viaFetch(bomb), 400);
  await refused('DOCTYPE', () => viaFetch(`<!DOCTYPE POSLog SYSTEM "http://169.254.169.254/">${posLog([{ store: storeCode, workstation: '3', sequence: 90 }])}`), 400);
  await refused('nesting 10,000 deep', () => viaFetch(posLog([{ store: storeCode, workstation: '3', sequence: 93, body: `${'<Extra>'.repeat(10_000)}${'</Extra>'.repeat(10_000)}` }])), 400);
  await refused('nesting 70 deep', () => viaFetch(posLog([{ store: storeCode, workstation: '3', sequence: 94, body: `${'<Extra>'.repeat(70)}${'</Extra>'.repeat(70)}` }])), 400);
  await refused('broken nesting', () => viaFetch(posLog([{ store: storeCode, workstation: '3', sequence: 91 }]).replace('</RetailStoreID>', '</WorkstationID>')), 400);
  await refused('50 MB', fiftyMegabytes, 413);
  await refused('a chunked body one byte over the limit', () => chunked(POS_UPLOAD_LIMIT + 1), 413);
  await refused('wrong media type', async () => {
    const res = await fetch(`${fx.hub.url}/v1/pos/transactions`, { method: 'POST', headers: { authorization: `Bearer ${fx.hub.adminToken}`, 'content-type': 'text/csv' }, body: 'a,b' });
    return { status: res.status };
  }, 415);
  const staff = await fx.hub.createToken('store_staff', { storeIds: [fx.storeId] });
  await refused('store staff', async () => ({ status: (await postXml(posLog([{ store: storeCode, workstation: '3', sequence: 92 }]), staff)).status }), 403);
});

test(`[${db}] when the tenant requires signed uploads, unsigned, forged, tampered and stale ones are refused with 401`, async () => {
  const { secret } = await fx.hub.admin.call<{ secret: string }>('PUT', '/v1/webhook-settings/inbound-secret', 200, { required: true });
  try {
    const body = posLog([{ store: storeCode, workstation: '3', sequence: 200 }]);
    const post = (headers: Record<string, string>, payload = body) =>
      fetch(`${fx.hub.url}/v1/pos/transactions`, { method: 'POST', headers: { authorization: `Bearer ${fx.hub.adminToken}`, 'content-type': 'application/xml', ...headers }, body: payload });
    const sign = (id: string, at: Date, payload = body) => ({ 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new StandardWebhook(secret).sign(id, at, payload) });
    const before = await count();
    assert.equal((await post({})).status, 401);
    assert.equal((await post({ ...sign('msg_1', new Date()), 'webhook-signature': 'v1,Zm9yZ2Vk' })).status, 401, 'forged');
    assert.equal((await post(sign('msg_2', new Date()), body.replace('op7', 'op8'))).status, 401, 'tampered body');
    assert.equal((await post(sign('msg_3', new Date(Date.now() - 3_600_000)))).status, 401, 'stale timestamp');
    assert.equal(await count(), before);
    const ok = await post(sign('msg_4', new Date()));
    assert.equal(ok.status, 200, await ok.text());
    assert.equal(await count(), before + 1);
  } finally {
    await fx.hub.admin.call('PUT', '/v1/webhook-settings/inbound-secret', 200, { required: false });
  }
});

/** A POSLog of just under `limit` bytes, from the fixture's transaction template. */
function maximumPosLog(limit: number): { doc: string; count: number } {
  const one = posLog([{ store: storeCode, workstation: '3', sequence: 1_000_000 }]);
  const two = posLog([{ store: storeCode, workstation: '3', sequence: 1_000_000 }, { store: storeCode, workstation: '3', sequence: 1_000_001 }]);
  const perTransaction = Buffer.byteLength(two) - Buffer.byteLength(one);
  const count = Math.floor((limit - (Buffer.byteLength(one) - perTransaction)) / perTransaction);
  const doc = posLog(Array.from({ length: count }, (_, i) => ({ store: storeCode, workstation: '3', sequence: 1_000_000 + i })));
  return { doc, count };
}

/**
 * Readies an upload of `doc` in a child process, as a store's exporter would send it: the client's own
 * work (and the cost of spawning it) then stays off the hub's event loop, which is what the probes
 * measure. `send()` starts the upload and resolves with the hub's answer.
 */
async function readyUploadInAnotherProcess(t: TestContext, doc: string): Promise<{ send: () => Promise<{ status: number; body: { received: number; created: number } }> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-poslog-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'poslog.xml');
  await writeFile(file, doc);
  const script = `const body = require('node:fs').readFileSync(process.argv[1]);
    process.stdout.write('ready\\n');
    process.stdin.once('data', () => fetch(process.argv[2], { method: 'POST', headers: { authorization: 'Bearer ' + process.env.VIGIL_TEST_TOKEN, 'content-type': 'application/xml' }, body })
      .then(async (res) => { process.stdout.write(JSON.stringify({ status: res.status, body: await res.json() })); process.stdin.destroy(); }));`;
  const child = spawn(process.execPath, ['-e', script, file, `${fx.hub.url}/v1/pos/transactions`], { env: { ...process.env, VIGIL_TEST_TOKEN: fx.hub.adminToken }, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const ready = new Promise<void>((resolve) => child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) resolve();
  }));
  const exited = once(child, 'exit');
  await ready;
  return {
    send: async () => {
      child.stdin.write('go\n');
      await exited;
      return JSON.parse(out.slice('ready\n'.length)) as { status: number; body: { received: number; created: number } };
    },
  };
}

/** Probes /healthz one after another until `isDone()`, each latency recorded with when it started. */
async function probeHealth(isDone: () => boolean, limit = Infinity): Promise<Array<{ at: number; ms: number }>> {
  const probes: Array<{ at: number; ms: number }> = [];
  while (!isDone() && probes.length < limit) {
    const at = performance.now();
    const res = await fetch(`${fx.hub.url}/healthz`);
    await res.arrayBuffer();
    assert.equal(res.status, 200);
    probes.push({ at, ms: performance.now() - at });
  }
  return probes;
}

test(`[${db}] a maximum-size POSLog is parsed off the event loop: /healthz keeps answering while it is parsed and stored`, { timeout: 600_000 }, async (t) => {
  const { doc, count } = maximumPosLog(POS_UPLOAD_LIMIT);
  const size = Buffer.byteLength(doc);
  assert.ok(size <= POS_UPLOAD_LIMIT && size > POS_UPLOAD_LIMIT - 4096, `document of ${size} bytes is at the limit`);
  const uploader = await readyUploadInAnotherProcess(t, doc);
  let parsedAt = Infinity;
  // The first statement that stores a transaction marks the end of parsing.
  const onQuery = (query: { sql: string }) => {
    if (parsedAt === Infinity && query.sql.startsWith('insert into "pos_transactions"')) parsedAt = performance.now();
  };
  fx.hub.db.knex.on('query', onQuery);
  let isFinished = false;
  const upload = uploader.send().finally(() => (isFinished = true));
  const probes = await probeHealth(() => isFinished);
  fx.hub.db.knex.off('query', onQuery);
  const { status, body } = await upload;
  assert.equal(status, 200);
  assert.deepEqual([body.received, body.created], [count, count]);
  const whileParsed = probes.filter((p) => p.at + p.ms < parsedAt);
  const whileStored = probes.filter((p) => p.at > parsedAt);
  // The functional property: the hub kept answering, many times over, while it parsed and while it stored.
  assert.ok(whileParsed.length >= 20, `only ${whileParsed.length} health probes were answered while the POSLog was parsed`);
  assert.ok(whileStored.length >= 5, `only ${whileStored.length} health probes were answered while the transactions were stored`);
});
