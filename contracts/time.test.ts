import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoDate, isoDateTime } from './time.js';

test('timestamps between 1970 and 2200 pass; year 0000, 9999 and 1969 are refused with the range named', () => {
  const schema = isoDateTime();
  for (const ok of ['1970-01-01T00:00:00Z', '2026-11-25T10:00:00+01:00', '2200-12-31T23:59:59.999Z']) assert.equal(schema.safeParse(ok).success, true, ok);
  for (const bad of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1969-12-31T23:59:59Z', '2201-01-01T00:00:00Z']) {
    const result = schema.safeParse(bad);
    assert.equal(result.success, false, bad);
    assert.match(result.error?.issues[0]?.message ?? '', /between 1970 and 2200/, bad);
  }
  assert.equal(schema.safeParse('2026-11-25T10:00:00').success, false, 'an offset is required');
});

test('calendar dates follow the same range', () => {
  assert.equal(isoDate().safeParse('2026-02-28').success, true);
  assert.equal(isoDate().safeParse('0000-01-01').success, false);
  assert.equal(isoDate().safeParse('2026-02-30').success, false);
});
