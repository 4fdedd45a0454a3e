import assert from 'node:assert/strict';
import { test } from 'node:test';
import { posConfigSchema, posConfigWarnings } from './pos-config-schema.js';
import { LANE_A, LANE_B } from './testing/pos-test-kit.js';

const issues = (input: unknown): string[] => {
  const parsed = posConfigSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

test('an empty pos section is valid and fills the defaults', () => {
  const config = posConfigSchema.parse({});
  assert.deepEqual(config, { sources: [], lanes: [], offsetEstimation: { searchWindowMs: 120_000, matchToleranceMs: 800, minMatches: 8, history: 60 }, queueLimit: 10_000 });
});

test('sources and lanes read with their defaults; an open HTTP receiver is warned about', () => {
  const config = posConfigSchema.parse({
    sources: [
      { type: 'tcp_listen', name: 'journals', port: 9100, grammar: 'ace-40', workstationByAddress: { '10.0.0.13': '003' } },
      { type: 'tcp_connect', name: 'reg4', host: 'pos-4.local', port: 6001, grammar: 'ncr-ej', workstationId: '04', timeZone: 'America/Chicago' },
      { type: 'http', name: 'poslog', port: 8088 },
    ],
    lanes: [{ workstationId: '003', laneId: LANE_A, offsetMs: -4_000 }, { workstationId: '04', laneId: LANE_B }],
  });
  assert.equal(config.sources[0]?.type === 'tcp_listen' && config.sources[0].host, '0.0.0.0');
  assert.deepEqual(config.sources[1]?.type === 'tcp_connect' && config.sources[1].reconnect, { initialMs: 500, maxMs: 30_000 });
  assert.equal(config.sources[2]?.type === 'http' && config.sources[2].path, '/v1/pos/transactions');
  assert.equal(config.lanes[1]?.offsetMs, 0);
  assert.match(posConfigWarnings(config).join(), /poslog: .*set a token/);
});

test('mistakes are listed with their paths: unknown grammar, bad inline pattern, duplicates, bad lane id, bad zone', () => {
  const found = issues({
    sources: [
      { type: 'tcp_listen', name: 'a', port: 9100, grammar: 'toshiba-9000' },
      { type: 'tcp_listen', name: 'a', port: 9101, grammar: { name: 'mine', lines: [{ kind: 'sale', pattern: '^(?<item>(\\d+)+)$' }] } },
      { type: 'tcp_connect', name: 'c', host: 'h', port: 1, grammar: 'ace-40', timeZone: 'Nowhere/Town' },
    ],
    lanes: [{ workstationId: '1', laneId: LANE_A }, { workstationId: '1', laneId: 'lane-2' }],
  }).join('\n');
  assert.match(found, /sources\.0\.grammar: not a built-in grammar; use one of ace-40, ncr-ej/);
  assert.match(found, /sources\.1\.grammar\.lines\.0\.pattern: pattern .* backtrack catastrophically/);
  assert.match(found, /sources\.2\.timeZone: not an IANA time zone/);
  assert.match(found, /lanes\.1\.laneId: must be a lan_ id/);
});

test('duplicate source names and registers bound twice are refused', () => {
  const found = issues({
    sources: [{ type: 'http', name: 'a', port: 1 }, { type: 'http', name: 'a', port: 2 }],
    lanes: [{ workstationId: '1', laneId: LANE_A }, { workstationId: '1', laneId: LANE_B }],
  }).join('\n');
  assert.match(found, /sources\.1: source name "a" is used twice/);
  assert.match(found, /lanes\.1: workstationId "1" is used twice/);
});
