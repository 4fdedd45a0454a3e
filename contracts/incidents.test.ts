import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INCIDENT_STATES, allowedTargets, landingState } from './incidents.js';

test('the workflow graph is the documented one', () => {
  const graph = Object.fromEntries(INCIDENT_STATES.map((s) => [s, allowedTargets(s)]));
  assert.deepEqual(graph, {
    new: ['acknowledged'],
    acknowledged: ['verified', 'dismissed'],
    verified: ['intervened', 'escalated'],
    dismissed: ['reopened'],
    intervened: ['resolved'],
    escalated: ['resolved'],
    resolved: ['reopened'],
  });
  assert.equal(landingState('reopened'), 'acknowledged');
});
