// A store whose bay-dwell rule raised ten incidents, six verified and four dismissed by reviewers: the
// material of the threshold-tuning tests (API and console). The hits come from the plugin's own rule.
import assert from 'node:assert/strict';
import { newId, type DetectionEvent } from '../../contracts/index.js';
import { createRule } from '../../plugin/rules/index.js';
import type { RuleHit } from '../../plugin/rules/rule.js';
import { FRAME, rect, track } from '../../plugin/rules/testing/scene.js';
import type { ApiClient } from './api-client.js';

// Ten people each stay 20 s in a high-value bay, two minutes apart (so each visit is an incident of its own
// under the 30 s merge window). The tracker scores them 0.40 … 0.85; reviewers verify the six scored 0.60 and
// above and dismiss the four below as false detections.
export const SCORES = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85];
const isReal = (score: number) => score >= 0.6;
const bay = rect('bay', 'high_value', 0, 0, 1, 1);
export const BAY_RULE = { rule: 'zone_dwell', name: 'Bay dwell', settings: { zoneType: 'high_value', minSeconds: 10 } };

/** The plugin's own rule, run over the same frames with the given settings: the hits it raises. */
export function bayHits(start: number, settings: Record<string, unknown>): RuleHit[] {
  const rule = createRule('zone_dwell', { ...BAY_RULE.settings, ...settings }, { timezone: 'UTC' });
  const hits: RuleHit[] = [];
  SCORES.forEach((score, k) => {
    const enteredAt = start + k * 120_000;
    for (let s = 0; s <= 20; s += 1) {
      const at = enteredAt + s * 1000;
      const person = track({ id: k + 1, label: 'person', box: [100, 100, 200, 500], score, firstSeenAt: enteredAt }, at);
      hits.push(...rule.evaluate({ at, frame: FRAME, tracks: [person], removed: [], visits: [{ trackId: k + 1, label: 'person', zone: 'bay', zoneType: 'high_value', enteredAt, exitedAt: undefined }], zones: [bay], pos: [] }));
    }
  });
  return hits;
}

const eventOf = (hit: RuleHit, storeId: string, cameraId: string): DetectionEvent => ({
  id: newId('event', hit.at), cameraId, storeId, type: hit.rule, severity: hit.severity, occurredAt: new Date(hit.at).toISOString(),
  confidence: hit.confidence, rule: { name: BAY_RULE.name }, detections: hit.detections, attributes: { ...hit.attributes },
} as DetectionEvent);

/** A new store with the bay rule and the rule's hits (with `settings`) posted by its plugin; its incidents with their confidence. */
export async function storeWithBayHits(admin: ApiClient, start: number, settings: Record<string, unknown> = {}): Promise<{ storeId: string; incidents: Array<{ id: string; confidence: number }> }> {
  const unique = newId('store').slice(-8);
  const region = await admin.post<{ id: string }>('/v1/regions', { name: `Tuning ${unique}` });
  const store = await admin.post<{ id: string }>('/v1/stores', { regionId: region.id, name: `Tuning store ${unique}`, code: `T-${unique}`, timezone: 'UTC' });
  const camera = await admin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Bay camera' });
  const put = await admin.raw('PUT', `/v1/stores/${store.id}/rules`, { body: JSON.stringify({ rules: [BAY_RULE] }), headers: { 'content-type': 'application/json' } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const plugin = admin.as((await admin.post<{ token: string }>('/v1/tokens', { name: `plugin ${unique}`, role: 'plugin', storeIds: [store.id] })).token);
  const events = bayHits(start, settings).map((hit) => eventOf(hit, store.id, camera.id));
  if (events.length > 0) await plugin.post('/v1/events', { events }, 200);
  const listed = await admin.get<{ data: Array<{ id: string; confidence: number }> }>(`/v1/incidents?storeId=${store.id}&limit=100`);
  return { storeId: store.id, incidents: listed.data };
}

/** Reviewers' verdicts: the real visits verified, the others dismissed as "not a person". */
export async function reviewBayIncidents(admin: ApiClient, incidents: Array<{ id: string; confidence: number }>): Promise<void> {
  for (const incident of incidents) {
    await admin.post(`/v1/incidents/${incident.id}/transitions`, { to: 'acknowledged' }, 200);
    const verdict = isReal(incident.confidence) ? { to: 'verified' } : { to: 'dismissed', reason: 'not a person' };
    await admin.post(`/v1/incidents/${incident.id}/transitions`, verdict, 200);
  }
}
