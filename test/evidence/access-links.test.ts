import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../support/api-client.js';
import { makeClip, sha256, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

interface AuditRow {
  action: string;
  subjectId: string;
  actorId: string;
  after: { code?: string; linkId?: string; stage?: string; variant?: string; range?: string | null };
}

describe('evidence access: originals need unredact everywhere, links die with their issuer, one view per playback', () => {
  let world: EvidenceWorld;
  let clip: Buffer;
  let evidenceId: string;
  let staff: ApiClient;
  before(async () => {
    world = await startEvidenceWorld();
    clip = await makeClip(world.dir, 'clip.mp4', 1);
    evidenceId = (await uploadEvidence(world, clip)).evidenceId ?? '';
    staff = world.hub.admin.as(await world.hub.createToken('store_staff', { storeIds: [world.storeId] }));
  });
  after(() => world.stop());

  const audit = async (action: string) => (await world.hub.admin.get<{ data: AuditRow[] }>(`/v1/audit?limit=200&action=${action}`)).data;
  const code = (body: unknown) => (body as { error: { code: string } }).error.code;
  const linkOf = (client: ApiClient, body: Record<string, unknown>) => client.raw('POST', `/v1/evidence/items/${evidenceId}/links`, {
    body: JSON.stringify(body), headers: { 'content-type': 'application/json' },
  });
  const fetchLink = (url: string, init: RequestInit = {}) => fetch(new URL(url, world.hub.url), init);

  test('store staff cannot get the original bytes by any route; what they can play is the redacted rendition', async () => {
    for (const disposition of ['inline', 'attachment']) {
      const refused = await linkOf(staff, { disposition, redacted: false });
      assert.equal(refused.status, 403, `${disposition}: ${JSON.stringify(refused.body)}`);
      assert.equal(code(refused.body), 'forbidden');
    }
    await staff.post(`/v1/incidents/${world.incidentId}/exports`, { redacted: false }, 403);
    for (const disposition of ['inline', 'attachment']) {
      const link = await staff.post<{ url: string; redacted: boolean }>(`/v1/evidence/items/${evidenceId}/links`, { disposition });
      assert.equal(link.redacted, true);
      const served = await fetchLink(link.url);
      assert.equal(served.status, 200);
      const bytes = Buffer.from(await served.arrayBuffer());
      assert.notEqual(sha256(bytes), sha256(clip), 'a redacted link served the original bytes');
      assert.equal(served.headers.get('content-type'), 'video/mp4');
    }
    const refusals = (await audit('evidence.access_refused')).filter((r) => r.subjectId === evidenceId && r.after.stage === 'link');
    assert.ok(refusals.length >= 2, 'refused link requests are audited');
    assert.ok(refusals.every((r) => r.after.code === 'forbidden'));
  });

  test('a link stops working once the token that issued it is revoked (and the refusal is audited)', async () => {
    const minted = await world.hub.admin.post<{ id: string; token: string }>('/v1/tokens', { name: 'lp', role: 'lp_admin' });
    const lp = world.hub.admin.as(minted.token);
    const link = await lp.post<{ url: string; linkId: string }>(`/v1/evidence/items/${evidenceId}/links`, { redacted: false });
    const before = await fetchLink(link.url);
    assert.equal(before.status, 200);
    assert.equal(sha256(Buffer.from(await before.arrayBuffer())), sha256(clip), 'lp_admin gets the original');
    await world.hub.admin.call('DELETE', `/v1/tokens/${minted.id}`, 200);
    const afterRevoke = await fetchLink(link.url);
    assert.equal(afterRevoke.status, 403);
    assert.equal(code(await afterRevoke.json()), 'link_revoked');
    const head = await fetchLink(link.url, { method: 'HEAD' });
    assert.equal(head.status, 403);
    const refused = (await audit('evidence.access_refused')).filter((r) => r.after.linkId === link.linkId);
    assert.equal(refused.length, 2, 'GET and HEAD refusals audited');
    assert.ok(refused.every((r) => r.after.code === 'link_revoked' && r.after.stage === 'use'));
  });

  test('TTLs above 300 s are refused with a validation error; 300 s is granted', async () => {
    const tooLong = await linkOf(world.hub.admin, { ttlSeconds: 301, redacted: false });
    assert.equal(tooLong.status, 400);
    assert.equal(code(tooLong.body), 'validation_failed');
    const longest = await world.hub.admin.post<{ expiresAt: string }>(`/v1/evidence/items/${evidenceId}/links`, { ttlSeconds: 300, redacted: false });
    assert.ok(Date.parse(longest.expiresAt) - world.hub.clock.now().getTime() <= 300_000);
  });

  test('one playback (HEAD, then many Range requests) writes one evidence.viewed; HEAD has Content-Length', async () => {
    const link = await world.hub.admin.post<{ url: string; linkId: string }>(`/v1/evidence/items/${evidenceId}/links`, { redacted: false });
    const head = await fetchLink(link.url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(clip.length));
    assert.equal(head.headers.get('accept-ranges'), 'bytes');
    const headRange = await fetchLink(link.url, { method: 'HEAD', headers: { range: 'bytes=0-99' } });
    assert.equal(headRange.status, 206);
    assert.equal(headRange.headers.get('content-length'), '100');
    const chunk = 4096;
    for (let start = 0; start < clip.length; start += chunk) {
      const end = Math.min(clip.length, start + chunk) - 1;
      const part = await fetchLink(link.url, { headers: { range: `bytes=${start}-${end}` } });
      assert.equal(part.status, 206);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(clip.subarray(start, end + 1)));
    }
    const views = (await audit('evidence.viewed')).filter((r) => r.after.linkId === link.linkId);
    assert.equal(views.length, 1, `${views.length} evidence.viewed records for one playback`);
    assert.equal(views[0]?.after.variant, 'original');
    assert.equal(views[0]?.after.range, '0-4095');
  });

  test('altered and expired links are refused and audited with their codes', async () => {
    const link = await world.hub.admin.post<{ url: string; linkId: string }>(`/v1/evidence/items/${evidenceId}/links`, { ttlSeconds: 10, redacted: false });
    const tampered = new URL(link.url, world.hub.url);
    tampered.searchParams.set('d', 'attachment');
    assert.equal((await fetch(tampered)).status, 403);
    world.hub.clock.advance(10_500);
    const expired = await fetchLink(link.url);
    assert.equal(expired.status, 403);
    assert.equal(code(await expired.json()), 'link_expired');
    const refused = (await audit('evidence.access_refused')).filter((r) => r.after.linkId === link.linkId).map((r) => r.after.code).sort();
    assert.deepEqual(refused, ['link_expired', 'signature_invalid']);
  });
});
