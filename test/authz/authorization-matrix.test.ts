import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROLES, type Role } from '../../policies/index.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { expectedStatus, MATRIX, type MatrixEntry } from './matrix.js';
import { RELATIONS, World, type Relation } from './world.js';

async function expectStatus(world: World, entry: MatrixEntry, role: Role, relation: Relation, environment: 'production' | 'staging', expected: number): Promise<void> {
  const request = await entry.request(world, relation);
  const init = request.raw
    ? { body: request.raw, headers: request.headers ?? {} }
    : request.body === undefined ? {} : { body: JSON.stringify(request.body), headers: { 'content-type': 'application/json' } };
  const response = await world.client(role, environment).raw(request.method, request.path, init);
  assert.equal(response.status, expected, `${environment} ${role}: ${request.method} ${request.path}: ${JSON.stringify(response.body)}`);
}

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
            await expectStatus(world, entry, role, relation, 'production', expected);
            // Both directions across environments: the role acting in staging on the production store.
            if (relation === 'other_environment') await expectStatus(world, entry, role, 'own_store', 'staging', expected);
          });
        });
      }
    });
  }
});
