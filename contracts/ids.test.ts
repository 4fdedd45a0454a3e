import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idSchema, isIdOf, newId } from './ids.js';

test('new ids carry their prefix and sort by creation time', () => {
  const earlier = newId('incident', 1_700_000_000_000);
  const later = newId('incident', 1_700_000_000_001);
  assert.match(earlier, /^inc_[0-9a-z]{26}$/);
  assert.ok(earlier < later);
  assert.ok(isIdOf('incident', earlier));
  assert.ok(!isIdOf('store', earlier));
});

test('idSchema refuses an id of another kind with a clear message', () => {
  const result = idSchema('store').safeParse(newId('camera'));
  assert.equal(result.success, false);
  assert.match(JSON.stringify(result.error?.issues), /must be a sto_ id/);
});
