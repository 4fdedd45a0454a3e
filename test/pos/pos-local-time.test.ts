import assert from 'node:assert/strict';
import { test } from 'node:test';
import { posInstant } from '../../hub/commands/pos-local-time.js';

const NY = 'America/New_York';
const at = (value: string, zone = NY) => posInstant(value, zone)?.toISOString();

test('a New York store\'s offset-less time is read on its wall clock: 14:00 is 18:00Z in daylight time, 19:00Z in winter', () => {
  assert.equal(at('2026-03-10T14:00:00'), '2026-03-10T18:00:00.000Z');
  assert.equal(at('2026-01-10T14:00:00'), '2026-01-10T19:00:00.000Z');
  assert.equal(at('2026-03-10T14:00'), '2026-03-10T18:00:00.000Z', 'seconds may be left out');
  assert.equal(at('2026-03-10T14:00:00.250'), '2026-03-10T18:00:00.250Z');
});

test('around the DST changes: the skipped hour reads past the gap, the repeated hour reads as its first occurrence', () => {
  assert.equal(at('2026-03-08T01:59:59'), '2026-03-08T06:59:59.000Z');
  assert.equal(at('2026-03-08T02:30:00'), '2026-03-08T07:30:00.000Z', '02:30 never happens: 03:30 EDT');
  assert.equal(at('2026-03-08T03:00:00'), '2026-03-08T07:00:00.000Z');
  assert.equal(at('2026-11-01T01:30:00'), '2026-11-01T05:30:00.000Z', '01:30 happens twice: the EDT one');
  assert.equal(at('2026-11-01T02:30:00'), '2026-11-01T07:30:00.000Z');
});

test('a time with a UTC offset means what it says, whatever the store\'s zone; null stays null', () => {
  assert.equal(at('2026-03-10T14:00:00Z'), '2026-03-10T14:00:00.000Z');
  assert.equal(at('2026-03-10T14:00:00+01:00'), '2026-03-10T13:00:00.000Z');
  assert.equal(at('2026-03-10T14:00:00', 'Europe/Berlin'), '2026-03-10T13:00:00.000Z');
  assert.equal(at('2026-07-10T14:00:00', 'Europe/Berlin'), '2026-07-10T12:00:00.000Z');
  assert.equal(posInstant(null, NY), null);
});
