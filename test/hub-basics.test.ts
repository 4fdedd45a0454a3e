import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { migrateDown, migrateUp, migrationStatus } from '../hub/db/index.js';
import { loadHubConfig } from '../hub/config/index.js';
import { ApiClient } from './support/api-client.js';
import { freshDatabase } from './support/database.js';
import { startTestHub, type TestHub } from './support/hub.js';

describe('hub basics', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  test('healthz, readyz and metrics answer without a token', async () => {
    const anonymous = new ApiClient(hub.url);
    assert.deepEqual(await anonymous.get('/healthz'), { status: 'ok' });
    const ready = await anonymous.get<{ status: string; pendingMigrations: string[] }>('/readyz');
    assert.equal(ready.status, 'ready');
    await hub.admin.get('/v1/regions');
    const metrics = await anonymous.raw('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.body), /vigil_http_request_duration_seconds_bucket\{.*route="\/v1\/regions"/);
  });

  test('the OpenAPI 3.1 document lists every mounted route with its security scheme', async () => {
    const doc = await new ApiClient(hub.url).get<{ openapi: string; paths: Record<string, Record<string, { operationId: string; security: unknown[] }>>; components: { securitySchemes: Record<string, unknown> } }>('/v1/openapi.json');
    assert.equal(doc.openapi, '3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const mounted = hub.running.hub.mounted.map((r) => r.replace(/:(\w+)/g, '{$1}'));
    assert.deepEqual(new Set(documented), new Set(mounted));
    assert.ok(mounted.length >= 20);
    assert.ok(doc.components.securitySchemes.bearerAuth);
    const ops = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
    assert.equal(new Set(ops.map((o) => o.operationId)).size, ops.length, 'operation ids are unique');
  });

  test('cursor pagination walks every row once; a forged cursor is refused', async () => {
    for (let i = 0; i < 5; i += 1) await hub.createRegion(`Paged ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: string }>; nextCursor: string | null } = await hub.admin.get(`/v1/regions?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, new Set(seen).size);
    assert.ok(seen.length >= 5);
    const bad = await hub.admin.get<{ error: { code: string } }>('/v1/regions?cursor=not-a-cursor', 400);
    assert.equal(bad.error.code, 'invalid_cursor');
    const tooBig = await hub.admin.get<{ error: { code: string } }>('/v1/regions?limit=5000', 400);
    assert.equal(tooBig.error.code, 'validation_failed');
  });

  test('unknown fields, bad ids and bad time zones are refused with the offending path', async () => {
    const region = await hub.createRegion();
    const unknown = await hub.admin.post<{ error: { code: string; details: { issues: Array<{ path: string }> } } }>('/v1/stores', { regionId: region.id, name: 'S', code: 'Q1', timezone: 'Europe/Berlin', colour: 'red' }, 400);
    assert.equal(unknown.error.code, 'validation_failed');
    const badZone = await hub.admin.post<{ error: { message: string } }>('/v1/stores', { regionId: region.id, name: 'S', code: 'Q2', timezone: 'Mars/Olympus' }, 400);
    assert.match(badZone.error.message, /body\.timezone: must be an IANA time zone/);
    const badId = await hub.admin.get<{ error: { message: string } }>('/v1/stores/cam_0000000000aaaaaaaaaaaaaaaa', 400);
    assert.match(badId.error.message, /must be a sto_ id/);
    const creds = await hub.admin.post<{ error: { message: string } }>('/v1/cameras', { storeId: (await hub.createStore()).id, name: 'c', streams: { analysis: 'rtsp://admin:secret@10.0.0.5/sub' } }, 400);
    assert.match(creds.error.message, /without credentials/);
    const notFound = await hub.admin.get<{ error: { code: string; requestId: string } }>('/v1/nothing-here', 404);
    assert.match(notFound.error.requestId, /^req_/);
  });

  test('a JSON body over the default 1 MB limit answers 413', async () => {
    const response = await hub.admin.raw('POST', '/v1/regions', { body: JSON.stringify({ name: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 413);
  });
});

describe('migrations', () => {
  test('run up, down and up again', async () => {
    const db = await freshDatabase();
    try {
      const applied = await migrateUp(db.knex);
      assert.ok(applied.length >= 1);
      assert.deepEqual((await migrationStatus(db.knex)).pending, []);
      await migrateDown(db.knex, true);
      const down = await migrationStatus(db.knex);
      assert.equal(down.applied.length, 0);
      const tables = await db.knex.raw<{ rows: unknown[] }>("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'incidents'");
      assert.equal(tables.rows.length, 0);
      assert.deepEqual(await migrateUp(db.knex), applied);
    } finally {
      await db.close();
    }
  });
});

describe('configuration', () => {
  test('every problem is listed at once', () => {
    assert.throws(
      () => loadHubConfig({ env: { VIGIL_PORT: '99999', VIGIL_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' } }),
      (error: Error) => /port/.test(error.message) && /logLevel/.test(error.message) && /database\.url: must be a postgres/.test(error.message),
    );
  });
  test('defaults are the embedded ones', () => {
    const config = loadHubConfig({ env: {} });
    assert.equal(config.http.port, 8080);
    assert.equal(config.http.host, '127.0.0.1');
    assert.equal(config.dataDir, './.vigil');
    assert.equal(config.database.url, undefined);
  });
});
