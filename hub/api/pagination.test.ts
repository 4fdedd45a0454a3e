import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Region } from '../../models/index.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { paginate, type KeysetOptions } from './pagination.js';

const hub: TestHub = await startTestHub();
after(() => hub.stop());

async function walk<Row extends { id: string }>(query: () => Parameters<typeof paginate<Row>>[0], options: KeysetOptions<Row> = {}): Promise<Row[]> {
  const seen: Row[] = [];
  let cursor: string | undefined;
  do {
    const page = await paginate<Row>(query(), 'regions', { limit: 2, cursor }, options);
    seen.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

test('one paginator walks an objection query and a plain knex query, by id or by another key then id', async () => {
  for (const name of ['delta', 'alpha', 'charlie', 'bravo', 'echo']) await hub.createRegion(name);
  const byModel = await walk(() => Region.forTenant(hub.db.knex, hub.tenantId));
  assert.deepEqual(byModel.map((r) => r.name), ['echo', 'bravo', 'charlie', 'alpha', 'delta'], 'newest first');
  type Row = { id: string; name: string };
  const byName = await walk<Row>(() => hub.db.knex<Row>('regions').where('tenant_id', hub.tenantId).select('id', 'name'), {
    sortBy: { column: 'regions.name', valueOf: (row) => row.name },
  });
  assert.deepEqual(byName.map((r) => r.name), ['echo', 'delta', 'charlie', 'bravo', 'alpha']);
});

test('a cursor without the sort key is refused when a sort key is in use', async () => {
  const first = await paginate(Region.forTenant(hub.db.knex, hub.tenantId), 'regions', { limit: 1 });
  assert.ok(first.nextCursor);
  await assert.rejects(
    paginate(hub.db.knex<{ id: string; name: string }>('regions').where('tenant_id', hub.tenantId), 'regions', { limit: 1, cursor: first.nextCursor }, {
      sortBy: { column: 'regions.name', valueOf: (row) => row.name },
    }),
    { code: 'invalid_cursor' },
  );
});
