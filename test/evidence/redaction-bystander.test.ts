import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { buildEvent } from '../support/factories.js';
import { manifestOf, readZip } from './bundle-zip.js';
import { startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

const run = promisify(execFile);
const W = 160;
const H = 120;
const FPS = 10;
const SECONDS = 2;
/** The scripted walk: a 24x40 checkered bystander crossing the frame at 60 px/s; the involved person stands still. */
const bystanderAt = (t: number) => ({ x: 8 + 60 * t, y: 60, w: 24, h: 40 });
const involved = { x: 120, y: 4, w: 24, h: 32 };
const norm = (b: { x: number; y: number; w: number; h: number }): [number, number, number, number] => [b.x / W, b.y / H, (b.x + b.w) / W, (b.y + b.h) / H];

async function makeWalk(path: string): Promise<Buffer> {
  const checker = `geq=lum='if(mod(floor(X/4)+floor(Y/4),2),235,16)':cb=128:cr=128`;
  await run(ffmpegInstaller.path, [
    '-hide_banner', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=gray:s=${W}x${H}:r=${FPS}:d=${SECONDS}`,
    '-f', 'lavfi', '-i', `nullsrc=s=24x40:r=${FPS}:d=${SECONDS}`,
    '-filter_complex', `[1:v]${checker},format=yuv420p,split[p1][p2];[0:v][p1]overlay=x='8+60*t':y=60[a];[a][p2]overlay=x=${involved.x}:y=${involved.y},format=yuv420p`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(FPS), '-pix_fmt', 'yuv420p', '-movflags', '+faststart', path,
  ]);
  return readFile(path);
}

async function grayFrames(path: string): Promise<Buffer[]> {
  const { stdout } = await run(ffmpegInstaller.path, ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { encoding: 'buffer', maxBuffer: 1 << 26 });
  const raw = stdout as unknown as Buffer;
  return Array.from({ length: Math.floor(raw.length / (W * H)) }, (_, i) => raw.subarray(i * W * H, (i + 1) * W * H));
}

function variance(frame: Buffer, box: { x: number; y: number; w: number; h: number }): number {
  const values: number[] = [];
  for (let y = Math.max(0, box.y); y < Math.min(H, box.y + box.h); y += 1) for (let x = Math.max(0, box.x); x < Math.min(W, box.x + box.w); x += 1) values.push(frame[y * W + x] ?? 0);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
}

/** Every frame of `redactedPath` against the original walk: the scripted bystander blurred where they are, the involved person left sharp. */
async function assertBystanderBlurred(originalPath: string, redactedPath: string): Promise<void> {
  const [before, afterRedaction] = await Promise.all([grayFrames(originalPath), grayFrames(redactedPath)]);
  assert.equal(afterRedaction.length, FPS * SECONDS);
  assert.equal(afterRedaction.length, before.length);
  afterRedaction.forEach((frame, n) => {
    const box = bystanderAt(n / FPS);
    const sharp = variance(before[n] as Buffer, box);
    const left = variance(frame, box);
    assert.ok(sharp > 2000, `frame ${n}: the scripted bystander is in the original (${sharp.toFixed(0)})`);
    assert.ok(left < sharp * 0.1, `frame ${n} at x=${box.x}: bystander not blurred (variance ${left.toFixed(0)} of ${sharp.toFixed(0)})`);
    const kept = variance(frame, involved);
    assert.ok(kept > variance(before[n] as Buffer, involved) * 0.5, `frame ${n}: the involved person was blurred`);
  });
}

describe('redaction follows people along their tracks', () => {
  let world: EvidenceWorld;
  let itemId: string;
  let walkPath: string;
  before(async () => {
    world = await startEvidenceWorld();
    walkPath = join(world.dir, 'walk.mp4');
    const original = await makeWalk(walkPath);
    // Clear of the world's own event (now), so only the scripted track is around the clip.
    const startMs = Date.now() - 120_000;
    const at = (t: number) => new Date(startMs + t * 1000).toISOString();
    const events = [0.2, 1.0, 1.8].map((t) => buildEvent({
      cameraId: world.cameraId, storeId: world.storeId, occurredAt: at(t), attributes: { trackId: 1 },
      detections: [
        { label: 'person', score: 0.9, box: norm(bystanderAt(t)), trackId: 7 },
        { label: 'person', score: 0.9, box: norm(involved), trackId: 1 },
      ],
    }));
    await world.plugin.post('/v1/events', { events }, 200);
    // The item's own metadata names only the involved person: the bystander is known from the tracks alone.
    const upload = await uploadEvidence(world, original, {
      capturedFrom: at(0), capturedTo: at(SECONDS),
      metadata: { detections: [{ label: 'person', score: 0.9, box: norm(involved), trackId: 1, involved: true }] },
    });
    assert.equal(upload.response.status, 204, JSON.stringify(upload.response.body));
    itemId = upload.evidenceId ?? '';
  });
  after(() => world.stop());

  test('a walking bystander, detected three times, is blurred in every frame of the redacted link rendition; the involved person is not', async () => {
    const staff = world.hub.admin.as(await world.hub.createToken('store_staff', { storeIds: [world.storeId] }));
    const link = await staff.post<{ url: string }>(`/v1/evidence/items/${itemId}/links`, {});
    const served = await fetch(new URL(link.url, world.hub.url));
    assert.equal(served.status, 200);
    const redactedPath = join(world.dir, 'redacted.mp4');
    await writeFile(redactedPath, Buffer.from(await served.arrayBuffer()));
    await assertBystanderBlurred(walkPath, redactedPath);
  });

  test('a redacted export bundle of the incident shows no unblurred frame of the bystander either (its clip decoded by ffmpeg)', async () => {
    const exported = await world.hub.admin.post<{ url: string; redacted: boolean }>(`/v1/incidents/${world.incidentId}/exports`, { caseNumber: 'PD-7', purpose: 'redaction check' });
    assert.equal(exported.redacted, true);
    const zipPath = join(world.dir, 'redacted-bundle.zip');
    await writeFile(zipPath, Buffer.from(await (await fetch(new URL(exported.url, world.hub.url))).arrayBuffer()));
    const entries = await readZip(zipPath);
    const clip = entries.find((e) => e.name === `evidence/${itemId}.mp4`);
    assert.ok(clip, entries.map((e) => e.name).join(', '));
    const manifest = manifestOf(entries);
    const listed = (manifest.files as Array<{ path: string; sha256: string; redacted?: boolean; originalSha256?: string }>).find((f) => f.path === clip.name);
    assert.equal(listed?.redacted, true);
    assert.notEqual(listed?.sha256, listed?.originalSha256, 'the bundle holds a redacted copy, not the original');
    const bundledClip = join(world.dir, 'bundled.mp4');
    await writeFile(bundledClip, clip.data);
    await assertBystanderBlurred(walkPath, bundledClip);
  });
});
