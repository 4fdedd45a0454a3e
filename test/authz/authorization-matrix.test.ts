import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROLES } from '../../policies/index.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { expectedStatus, MATRIX } from './matrix.js';
import { RELATIONS, World } from './world.js';

describe('authorization matrix: role x route x relation', () => {
  let hub: TestHub;
  let world: World;
  before(async () => {
    hub = await startTestHub({ webhooks: { allowedPrivateRanges: ['10.0.0.0/8'] } });
    world = await World.build(hub);
  });
  after(() => hub.stop());

  test('every route in the OpenAPI document has a row in the matrix, and no row is stale', async () => {
    const doc = await hub.admin.get<{ paths: Record<string, Record<string, { operationId: string }>> }>('/v1/openapi.json');
    const documented = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId)).sort();
    const missing = documented.filter((id) => !(id in MATRIX));
    const stale = Object.keys(MATRIX).filter((id) => !documented.includes(id));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
  });

  for (const [operationId, entry] of Object.entries(MATRIX)) {
    describe(operationId, () => {
      for (const role of ROLES) {
        RELATIONS.forEach((relation, index) => {
          const expected = expectedStatus(operationId, entry, role, index);
          test(`${role} on ${relation} -> ${expected}`, async () => {
            const request = await entry.request(world, relation);
            const client = world.client(role);
            const init = request.raw
              ? { body: request.raw, headers: request.headers ?? {} }
              : request.body === undefined ? {} : { body: JSON.stringify(request.body), headers: { 'content-type': 'application/json' } };
            const response = await client.raw(request.method, request.path, init);
            assert.equal(response.status, expected, `${request.method} ${request.path}: ${JSON.stringify(response.body)}`);
          });
        });
      }
    });
  }
});
