import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../../test/support/api-client.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { BAY_RULE as RULE, SCORES, reviewBayIncidents, storeWithBayHits } from '../../../test/support/tuning-fixture.js';

interface Figures { threshold: number; incidents: number; recall: number | null; verifiedKept: number; verified: number; dismissedKept: number; dismissed: number; precision: number | null }
interface RuleTuning { rule: string; minConfidence: number; current: Figures; proposal: Figures | null; noProposal: string | null; curve: Figures[]; dismissReasons: Array<{ reason: string; incidents: number }> }

describe('verdict-driven tuning: GET /v1/stores/{id}/tuning and POST …/tuning/decisions', () => {
  let hub: TestHub;
  let start: number;

  const storeWithHits = (settings: Record<string, unknown> = {}) => storeWithBayHits(hub.admin, start, settings);
  const review = (incidents: Array<{ id: string; confidence: number }>) => reviewBayIncidents(hub.admin, incidents);

  before(async () => {
    hub = await startTestHub();
    start = Date.now() - 3 * 3600_000;
  });
  after(() => hub.stop());

  test('the proposed threshold predicts exactly the incidents the rule then raises on the same inputs, within the recall floor', async () => {
    const { storeId, incidents } = await storeWithHits();
    assert.equal(incidents.length, SCORES.length, 'one incident per visit');
    await review(incidents);
    const { data } = await hub.admin.get<{ data: RuleTuning[] }>(`/v1/stores/${storeId}/tuning`);
    const tuning = data[0];
    assert.ok(tuning);
    assert.equal(tuning.rule, RULE.name);
    assert.equal(tuning.minConfidence, 0);
    assert.deepEqual([tuning.current.incidents, tuning.current.verified, tuning.current.dismissed, tuning.current.precision], [10, 6, 4, 0.6]);
    assert.deepEqual(tuning.dismissReasons, [{ reason: 'not a person', incidents: 4 }]);
    const proposal = tuning.proposal;
    assert.ok(proposal, tuning.noProposal ?? 'a proposal');
    // The lowest threshold that drops every dismissed incident and keeps every verified one.
    assert.equal(proposal.threshold, 0.56);
    assert.deepEqual([proposal.incidents, proposal.verifiedKept, proposal.dismissedKept, proposal.recall, proposal.precision], [6, 6, 0, 1, 1]);
    assert.ok(tuning.curve.every((f, i) => i === 0 || f.threshold > (tuning.curve[i - 1]?.threshold ?? 0)), 'the curve rises');

    // The same inputs through the plugin's rule with the proposed threshold, posted to a second store.
    const replayed = await storeWithHits({ minConfidence: proposal.threshold });
    assert.equal(replayed.incidents.length, proposal.incidents, 'predicted volume = volume the rule produces');
    // And at a threshold that costs recall, the prediction still holds.
    const harsh = tuning.curve.find((f) => f.threshold === 0.71);
    assert.ok(harsh);
    assert.equal((await storeWithHits({ minConfidence: 0.71 })).incidents.length, harsh.incidents);
    assert.ok(harsh.recall !== null && harsh.recall < 0.9);
  });

  test('accepting saves the next rules version with minConfidence for the plugins, audited; a change below the floor or downwards is refused', async () => {
    const { storeId, incidents } = await storeWithHits();
    await review(incidents);
    const decide = (client: ApiClient, body: unknown) => client.raw('POST', `/v1/stores/${storeId}/tuning/decisions`, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const tooHarsh = await decide(hub.admin, { rule: RULE.name, minConfidence: 0.71, decision: 'accept' });
    assert.equal(tooHarsh.status, 422, JSON.stringify(tooHarsh.body));
    assert.match(JSON.stringify(tooHarsh.body), /below the floor/);
    const accepted = await decide(hub.admin, { rule: RULE.name, minConfidence: 0.56, decision: 'accept' });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const outcome = accepted.body as { storeRules: { version: number; rules: Array<{ settings: Record<string, unknown> }> }; figures: Figures };
    assert.equal(outcome.storeRules.version, 2);
    assert.equal(outcome.figures.recall, 1);
    const plugin = hub.admin.as(await hub.createPluginToken([storeId]));
    const pulled = await plugin.get<{ version: number; rules: Array<{ settings: Record<string, unknown> }> }>(`/v1/stores/${storeId}/rules`);
    assert.deepEqual([pulled.version, pulled.rules[0]?.settings.minConfidence], [2, 0.56]);
    const downwards = await decide(hub.admin, { rule: RULE.name, minConfidence: 0.3, decision: 'accept' });
    assert.equal(downwards.status, 422);
    const after = await hub.admin.get<{ data: RuleTuning[] }>(`/v1/stores/${storeId}/tuning`);
    assert.equal(after.data[0]?.minConfidence, 0.56);
    assert.equal(after.data[0]?.proposal, null, 'nothing left to propose');
    const rejected = await decide(hub.admin, { rule: RULE.name, minConfidence: 0.8, decision: 'reject', reason: 'too many real walk-ins lost' });
    assert.equal(rejected.status, 200);
    const audit = await hub.admin.get<{ data: Array<{ action: string; after: Record<string, unknown> }> }>(`/v1/audit?subjectType=StoreRules&subjectId=${storeId}&limit=20`);
    const actions = audit.data.map((r) => r.action);
    for (const action of ['tuning.accepted', 'tuning.rejected', 'store_rules.updated']) assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    const rejection = audit.data.find((r) => r.action === 'tuning.rejected');
    assert.equal(rejection?.after.reason, 'too many real walk-ins lost');
  });

  test('bad input is a 400, an unknown rule a 404, another tenant\'s store a 404, and roles that may not change rules a 403', async () => {
    const { storeId } = await storeWithHits();
    const decide = (client: ApiClient, id: string, body: unknown) => client.raw('POST', `/v1/stores/${id}/tuning/decisions`, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    for (const body of [{ rule: RULE.name, minConfidence: 1.5, decision: 'accept' }, { rule: RULE.name, minConfidence: 0.6, decision: 'maybe' }, { rule: 'Bay\u0000dwell', minConfidence: 0.6, decision: 'accept' }, '{"rule":']) {
      const response = await decide(hub.admin, storeId, body);
      assert.equal(response.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(response.body)}`);
    }
    assert.equal((await decide(hub.admin, storeId, { rule: 'No such rule', minConfidence: 0.6, decision: 'accept' })).status, 404);
    assert.equal((await hub.admin.raw('GET', `/v1/stores/${storeId}/tuning?days=0`)).status, 400);
    const other = await hub.createTenant();
    assert.equal((await other.admin.raw('GET', `/v1/stores/${storeId}/tuning`)).status, 404);
    assert.equal((await decide(other.admin, storeId, { rule: RULE.name, minConfidence: 0.6, decision: 'reject' })).status, 404);
    const staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [storeId] }));
    assert.equal((await staff.raw('GET', `/v1/stores/${storeId}/tuning`)).status, 403);
    assert.equal((await decide(staff, storeId, { rule: RULE.name, minConfidence: 0.6, decision: 'reject' })).status, 403);
  });
});
