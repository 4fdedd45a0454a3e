import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { newId, storeRulesDocumentSchema } from '../../contracts/index.js';
import { rulesFromStoreDocument } from './store-rules.js';

const laneA = newId('lane');
const laneB = newId('lane');

function document(rules: unknown[]) {
  return storeRulesDocumentSchema.parse({ storeId: newId('store'), version: 3, updatedAt: null, rules });
}

function collectingLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }) };
}

test('a lane runs the store’s rule with its own overrides, and not at all where it is switched off', () => {
  const doc = document([{
    rule: 'zone_dwell', name: 'till watch', settings: { zoneType: 'customer', minSeconds: 30 },
    lanes: { [laneA]: { settings: { minSeconds: 5 } }, [laneB]: { enabled: false } },
  }]);
  const { logger } = collectingLogger();
  assert.deepEqual(rulesFromStoreDocument(doc, { id: 'cam_a', laneId: laneA }, 'UTC', logger).map((r) => r.label.name), ['till watch']);
  assert.deepEqual(rulesFromStoreDocument(doc, { id: 'cam_b', laneId: laneB }, 'UTC', logger), []);
  assert.equal(rulesFromStoreDocument(doc, { id: 'cam_c' }, 'UTC', logger).length, 1);
});

test('a rule type this plugin does not know is left out with a warning; the others still run', () => {
  const doc = document([
    { rule: 'levitation', settings: {} },
    { rule: 'zone_dwell', settings: { zoneType: 'exit', minSeconds: 2 } },
  ]);
  const { logger, lines } = collectingLogger();
  const rules = rulesFromStoreDocument(doc, { id: 'cam_a' }, 'Europe/Berlin', logger);
  assert.deepEqual(rules.map((r) => r.rule.name), ['zone_dwell']);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /levitation/);
});
