import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../contracts/index.js';
import { databaseErrorToAppError } from './database-errors.js';

const pgError = (fields: Record<string, string>) => Object.assign(new Error('database said no'), fields);

test('a unique violation is 409 conflict naming the field of a known constraint, or the column from the detail', () => {
  const known = databaseErrorToAppError(pgError({ code: '23505', constraint: 'stores_tenant_environment_code_unique' }));
  assert.equal(known?.code, 'conflict');
  assert.equal(known?.status, 409);
  assert.deepEqual(known?.details, { field: 'code' });
  const fromDetail = databaseErrorToAppError(pgError({ code: '23505', constraint: 'things_unique', detail: 'Key (tenant_id, serial_number)=(ten_x, 7) already exists.' }));
  assert.deepEqual(fromDetail?.details, { field: 'serialNumber' });
});

test('objection\'s wrapper is looked through (nativeError), as is a cause', () => {
  const wrapped = Object.assign(new Error('wrapped'), { nativeError: pgError({ code: '23505', constraint: 'regions_tenant_id_name_unique' }) });
  assert.deepEqual(databaseErrorToAppError(wrapped)?.details, { field: 'name' });
  const caused = new Error('outer', { cause: pgError({ code: '23505', constraint: 'lanes_tenant_id_store_id_pos_workstation_id_unique' }) });
  assert.deepEqual(databaseErrorToAppError(caused)?.details, { field: 'posWorkstationId' });
});

test('a missing reference is 422 unprocessable naming it; a value PostgreSQL cannot take is 400 invalid_input', () => {
  const missing = databaseErrorToAppError(pgError({ code: '23503', constraint: 'stores_region_fk', detail: 'Key (tenant_id, region_id)=(ten_x, reg_y) is not present in table "regions".' }));
  assert.equal(missing?.code, 'unprocessable');
  assert.equal(missing?.status, 422);
  assert.deepEqual(missing?.details, { field: 'regionId' });
  for (const code of ['22P02', '22007', '22008', '22021', '22P05', '54000']) {
    const invalid = databaseErrorToAppError(pgError({ code }));
    assert.equal(invalid?.code, 'invalid_input', code);
    assert.equal(invalid?.status, 400, code);
  }
});

test('other errors are left alone: the caller rethrows them as they are', () => {
  assert.equal(databaseErrorToAppError(new Error('boom')), undefined);
  assert.equal(databaseErrorToAppError(pgError({ code: '42P01' })), undefined, 'a missing table is our fault: a 500');
  assert.equal(databaseErrorToAppError(new AppError('not_found', 'x')), undefined);
  assert.equal(databaseErrorToAppError('a string'), undefined);
});

test('contention the client may retry (serialisation failure, deadlock, lock timeout) is 503 with a retry hint', () => {
  for (const code of ['40001', '40P01', '55P03']) {
    const busy = databaseErrorToAppError(pgError({ code }));
    assert.equal(busy?.code, 'unavailable', code);
    assert.equal(busy?.status, 503, code);
    assert.equal(busy?.details?.retryAfterSeconds, 1, code);
  }
});
