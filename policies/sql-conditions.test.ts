import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { rulesToAST } from '@casl/ability/extra';
import knexFactory, { type Knex } from 'knex';
import { Model, type QueryBuilder } from 'objection';
import type { Database } from '../hub/db/index.js';
import { freshDatabase } from '../test/support/database.js';
import { abilityFor } from './ability.js';
import { whereAllowed } from './sql-conditions.js';
import type { Principal, Role, RuleTemplate } from './types.js';

// @ucast/sql's ESM entry does not load in Node (extensionless import); its CommonJS build does.
const require = createRequire(import.meta.url);
const ucast = require('@ucast/sql/objection') as { interpret: (ast: unknown, query: QueryBuilder<Model>) => QueryBuilder<Model> };

// ucast reads the dialect from the model's knex, so the model is bound to a connection-less `pg` knex that
// only builds SQL; the SQL then runs on the test database.
class Row extends Model {
  static override tableName = 'ucast_rows';
}
Row.knex(knexFactory({ client: 'pg' }));

const principal = (role: Role, storeIds: string[], regionIds: string[] = []): Principal => ({ tenantId: 'ten_x', environment: 'production', principalId: 'usr_x', kind: 'user', role, storeIds, regionIds });

const CASES: Array<[string, Principal, RuleTemplate[]]> = [
  ['store staff ($in)', principal('store_staff', ['s1', 's3']), []],
  ['regional manager ($in on region)', principal('regional_manager', [], ['r1']), []],
  ['OR-ed rules', principal('store_staff', ['s1']), [{ action: 'read', subject: 'Incident', conditions: { state: 'escalated' } }]],
  ['inverted rule', principal('central_reviewer', []), [{ action: 'read', subject: 'Incident', conditions: { laneId: 'l2' }, inverted: true }]],
  ['$ne and $nin', principal('store_staff', ['s1', 's2', 's3']), [{ action: 'read', subject: 'Incident', conditions: { state: { $nin: ['dismissed'] }, severity: { $ne: 'low' } }, inverted: true }]],
  ['equality and $gte', principal('auditor', []), [{ action: 'read', subject: 'Incident', conditions: { confidence: { $gte: 0.5 } }, inverted: true }]],
];

// Column names as our interpreter maps them (camelCase -> snake_case); ucast uses field names as given.
describe('rules -> SQL: our interpreter agrees with @ucast/sql on the rows it selects', () => {
  let db: Database;
  let knex: Knex;
  before(async () => {
    db = await freshDatabase();
    knex = db.knex;
    await knex.raw('CREATE TABLE ucast_rows (id int, store_id text, region_id text, lane_id text, state text, severity text, confidence float, "storeId" text, "regionId" text, "laneId" text, shadow boolean)');
    const rows = [];
    for (let i = 0; i < 60; i += 1) {
      const store = `s${(i % 3) + 1}`;
      const region = i % 3 === 2 ? 'r2' : 'r1';
      const lane = `l${(i % 4) + 1}`;
      rows.push({ id: i, store_id: store, region_id: region, lane_id: lane, state: ['new', 'escalated', 'dismissed'][i % 3], severity: ['low', 'high'][i % 2], confidence: (i % 10) / 10, storeId: store, regionId: region, laneId: lane, shadow: i % 4 === 0 });
    }
    await knex('ucast_rows').insert(rows);
  });
  after(() => db.close());

  for (const [name, who, extra] of CASES) {
    test(name, async () => {
      const ability = abilityFor(who, extra);
      const ours = (await whereAllowed(knex('ucast_rows').select('id').orderBy('id'), ability, 'read', 'Incident', 'ucast_rows')) as Array<{ id: number }>;
      const ast = rulesToAST(ability, 'read', 'Incident');
      const theirSql = ast === null ? null : ucast.interpret(ast, Row.query().select('id').orderBy('id')).toKnexQuery().toString();
      const theirs = theirSql === null ? [] : (await knex.raw<{ rows: Array<{ id: number }> }>(theirSql)).rows;
      assert.deepEqual(ours.map((r) => r.id), theirs.map((r) => r.id));
      assert.ok(ours.length > 0 && ours.length < 60, `the case should select some rows but not all (${ours.length})`);
    });
  }
});
