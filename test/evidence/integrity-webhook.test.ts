import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { evidenceStoreFor, runFixityRound } from '../../hub/evidence/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../servers/webhook-receiver.js';
import { buildEvent } from '../support/factories.js';
import { databaseLabel } from '../support/database.js';
import { flipped } from './bundle-zip.js';
import { makeSnapshot, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

// An integrity incident is an incident like any other: subscribers hear of it through the signed
// `incident.created` webhook, whether the export check or the scheduled fixity round found the damage.

interface Delivered {
  type: string;
  data: { id: string; type: string; severity: string; state: string; storeId: string; cameraId: string; links: { self: string } };
}

describe(`evidence integrity incidents reach webhook subscribers (${databaseLabel()})`, () => {
  let world: EvidenceWorld;
  let receiver: WebhookReceiver;
  let secrets: string[] = [];

  before(async () => {
    world = await startEvidenceWorld({ webhooks: { allowedPrivateRanges: ['127.0.0.1/32', '::1/128'] } });
    await world.hub.admin.call('PUT', '/v1/webhook-settings', 200, { allowedSubnets: ['127.0.0.1/32'] });
    receiver = await startWebhookReceiver({ secrets: () => secrets });
    const endpoint = await world.hub.admin.post<{ id: string; secret: string }>('/v1/webhooks', { url: receiver.url, eventTypes: ['incident.created'] });
    secrets = [endpoint.secret];
  });
  after(async () => {
    await receiver.close();
    await world.stop();
  });

  /** A snapshot of a fresh incident, its stored bytes then altered on disk; returns the item and its file. */
  async function tamperedSnapshot(type: 'push_out' | 'concealment', name: string): Promise<{ itemId: string; incidentId: string }> {
    const raised = await world.plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: world.cameraId, storeId: world.storeId, type })] }, 200);
    const incidentId = raised.results[0]?.incidentId ?? '';
    const uploaded = await uploadEvidence(world, await makeSnapshot(world.dir, name), { kind: 'snapshot', incidentId });
    assert.equal(uploaded.response.status, 204);
    const itemId = uploaded.evidenceId ?? '';
    const file = evidenceStoreFor(world.hub.running.config).localPath?.(`items/${world.hub.tenantId}/${itemId}.jpg`);
    assert.ok(file);
    await writeFile(file, flipped(await readFile(file)));
    return { itemId, incidentId };
  }

  const integrityDeliveries = () => receiver.received.map((d) => JSON.parse(d.body) as Delivered).filter((b) => b.data.type === 'evidence_integrity');

  test('a fixity failure found at export opens an integrity incident announced as a verified incident.created', async () => {
    const { incidentId } = await tamperedSnapshot('push_out', 'export-check.jpg');
    const refused = await world.hub.admin.post<{ error: { code: string; details: { integrityIncidents: string[] } } }>(`/v1/incidents/${incidentId}/exports`, {}, 409);
    assert.equal(refused.error.code, 'fixity_failed');
    const integrity = refused.error.details.integrityIncidents[0];
    assert.ok(integrity);
    // Two incident.created so far: the push_out incident itself, then the integrity incident.
    await receiver.waitFor(2, 60_000);
    assert.ok(receiver.received.every((d) => d.isVerified), 'every delivery passed svix and standardwebhooks verification');
    assert.deepEqual(receiver.rejected, []);
    const delivered = integrityDeliveries();
    assert.equal(delivered.length, 1);
    const [message] = delivered;
    assert.equal(message?.type, 'incident.created');
    assert.equal(message?.data.id, integrity);
    assert.deepEqual([message?.data.severity, message?.data.state, message?.data.storeId, message?.data.cameraId], ['high', 'new', world.storeId, world.cameraId]);
    assert.match(message?.data.links.self ?? '', new RegExp(`/v1/incidents/${integrity}$`));
  });

  test('the scheduled fixity round announces the integrity incident it opens the same way, once per item', async () => {
    const { itemId } = await tamperedSnapshot('concealment', 'schedule-check.jpg');
    const store = evidenceStoreFor(world.hub.running.config);
    const report = await runFixityRound(world.hub.db.knex, store, { tenantId: world.hub.tenantId, recheckAfterMs: 0 });
    assert.ok(report.failures.some((f) => f.itemId === itemId));
    // The concealment incident and this item's integrity incident (the first item's is not opened again).
    await receiver.waitFor(4, 60_000);
    const incidents = await world.hub.db.knex('incidents').where({ tenant_id: world.hub.tenantId, type: 'evidence_integrity' }).pluck<string[]>('id');
    assert.equal(incidents.length, 2);
    assert.deepEqual(integrityDeliveries().map((d) => d.data.id).sort(), [...incidents].sort());
    assert.ok(receiver.received.every((d) => d.isVerified));
  });
});
