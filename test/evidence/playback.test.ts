import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeClip, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

describe('playback through short-lived signed links', () => {
  let world: EvidenceWorld;
  let clip: Buffer;
  let evidenceId: string;
  before(async () => {
    world = await startEvidenceWorld();
    clip = await makeClip(world.dir);
    evidenceId = (await uploadEvidence(world, clip)).evidenceId ?? '';
  });
  after(() => world.stop());

  const link = async (body: Record<string, unknown> = {}) => (await world.hub.admin.post<{ url: string; expiresAt: string }>(`/v1/evidence/items/${evidenceId}/links`, { redacted: false, ...body })).url;

  test('range requests return the right bytes with 206 and Content-Range, so a browser can seek', async () => {
    const url = `${world.hub.url}${await link()}`;
    const whole = await fetch(url);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.equal(whole.headers.get('content-type'), 'video/mp4');
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(clip));
    const cases: Array<[string, number, number]> = [['bytes=0-99', 0, 99], ['bytes=1000-', 1000, clip.length - 1], ['bytes=-500', clip.length - 500, clip.length - 1], ['bytes=100-999999999', 100, clip.length - 1]];
    for (const [range, start, end] of cases) {
      const part = await fetch(url, { headers: { range } });
      assert.equal(part.status, 206, range);
      assert.equal(part.headers.get('content-range'), `bytes ${start}-${end}/${clip.length}`, range);
      assert.equal(Number(part.headers.get('content-length')), end - start + 1, range);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(clip.subarray(start, end + 1)), range);
    }
    const beyond = await fetch(url, { headers: { range: `bytes=${clip.length}-` } });
    assert.equal(beyond.status, 416);
  });

  test('an altered or expired link is refused with its own code; every view is audited with who and where', async () => {
    const path = await link({ ttlSeconds: 10 });
    const url = new URL(path, world.hub.url);
    const tampered = new URL(url);
    tampered.searchParams.set('e', String(Number(url.searchParams.get('e')) + 3600_000));
    const altered = await fetch(tampered);
    assert.equal(altered.status, 403);
    assert.equal(((await altered.json()) as { error: { code: string } }).error.code, 'signature_invalid');
    const otherItem = new URL(url.toString().replace(evidenceId, `${evidenceId.slice(0, -1)}${evidenceId.endsWith('a') ? 'b' : 'a'}`));
    assert.equal((await fetch(otherItem)).status, 403);
    const stripped = new URL(url);
    stripped.searchParams.delete('s');
    assert.equal((await fetch(stripped)).status, 403);

    const expiredPath = (await link({ ttlSeconds: 10 })).replace(/e=\d+/, `e=${Date.now() - 1000}`);
    const stillSigned = await fetch(new URL(expiredPath, world.hub.url));
    assert.equal(stillSigned.status, 403, 'an expiry moved into the past is an alteration too');
    const realExpired = await fetch(new URL(await expiredLink(), world.hub.url));
    assert.equal(realExpired.status, 403);
    assert.equal(((await realExpired.json()) as { error: { code: string } }).error.code, 'link_expired');

    await fetch(new URL(await link(), world.hub.url), { headers: { range: 'bytes=0-9', 'user-agent': 'vigil-test-browser' } });
    const audit = await world.hub.admin.get<{ data: Array<{ action: string; subjectId: string; actorId: string; clientAddress: string | null; after: { range: string | null; userAgent: string | null } }> }>('/v1/audit?limit=200');
    const view = audit.data.find((r) => r.action === 'evidence.viewed' && r.after.range === '0-9');
    assert.ok(view, 'view audited');
    assert.equal(view.subjectId, evidenceId);
    assert.match(view.actorId, /^usr_/);
    assert.equal(view.clientAddress, '127.0.0.1');
    assert.equal(view.after.userAgent, 'vigil-test-browser');
  });

  async function expiredLink(): Promise<string> {
    // The shortest TTL the API grants, then the hub's clock moved past it: the hub checks expiry against its own clock.
    const path = await link({ ttlSeconds: 10 });
    world.hub.clock.advance(10_500);
    return path;
  }

  test("store staff of another store cannot get a link to this store's evidence (404)", async () => {
    const staff = world.hub.admin.as(await world.hub.createToken('store_staff', { storeIds: [world.otherStoreId] }));
    await staff.post(`/v1/evidence/items/${evidenceId}/links`, {}, 404);
    await staff.get(`/v1/evidence/items/${evidenceId}`, 404);
    const own = world.hub.admin.as(await world.hub.createToken('store_staff', { storeIds: [world.storeId] }));
    await own.post(`/v1/evidence/items/${evidenceId}/links`, {}, 201);
  });
});
