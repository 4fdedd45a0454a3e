import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import type { ApiClient } from '../support/api-client.js';
import { buildEvent } from '../support/factories.js';
import type { HubConfigOverrides } from '../../hub/config/index.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const run = promisify(execFile);

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A small real H.264 faststart MP4 (lavfi testsrc2), the kind of clip a plugin cuts. */
export async function makeClip(dir: string, name = 'clip.mp4', seconds = 2, faststart = true): Promise<Buffer> {
  const path = join(dir, name);
  await run(ffmpegInstaller.path, ['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=15`, '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...(faststart ? ['-movflags', '+faststart'] : []), path]);
  return readFile(path);
}

export async function makeSnapshot(dir: string, name = 'snap.jpg'): Promise<Buffer> {
  const path = join(dir, name);
  await run(ffmpegInstaller.path, ['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180', '-frames:v', '1', path]);
  return readFile(path);
}

export interface EvidenceWorld {
  hub: TestHub;
  dir: string;
  storeId: string;
  otherStoreId: string;
  cameraId: string;
  incidentId: string;
  otherIncidentId: string;
  plugin: ApiClient;
  stop(): Promise<void>;
}

/** A hub whose evidence lives in a temp data dir, with two stores, a camera each, and an incident each. */
export async function startEvidenceWorld(overrides: HubConfigOverrides = {}): Promise<EvidenceWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-evidence-'));
  const hub = await startTestHub({ ...overrides, dataDir: dir });
  const region = await hub.createRegion();
  const store = await hub.createStore({ regionId: region.id });
  const other = await hub.createStore({ regionId: region.id });
  const camera = await hub.createCamera(store.id);
  const otherCamera = await hub.createCamera(other.id);
  const plugin = hub.admin.as(await hub.createPluginToken([store.id, other.id]));
  const events = [buildEvent({ cameraId: camera.id, storeId: store.id }), buildEvent({ cameraId: otherCamera.id, storeId: other.id })];
  const body = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events }, 200);
  return {
    hub, dir, storeId: store.id, otherStoreId: other.id, cameraId: camera.id, plugin,
    incidentId: body.results[0]?.incidentId ?? '', otherIncidentId: body.results[1]?.incidentId ?? '',
    async stop() {
      await hub.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function uploadRequest(world: EvidenceWorld, bytes: Buffer, overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    kind: 'clip', bytes: bytes.length, sha256: sha256(bytes), cameraId: world.cameraId, incidentId: world.incidentId,
    capturedFrom: new Date(now - 2000).toISOString(), capturedTo: new Date(now).toISOString(),
    metadata: {
      detections: [
        { label: 'person', score: 0.9, box: [0.1, 0.1, 0.4, 0.9], trackId: 1, involved: true },
        { label: 'person', score: 0.8, box: [0.6, 0.2, 0.9, 0.9], trackId: 2 },
      ],
      rule: { name: 'zone_dwell', version: '1' }, model: { name: 'nanodet-m', version: '1' }, pluginVersion: '0.1.0',
    },
    ...overrides,
  };
}

export async function patchChunk(client: ApiClient, uploadId: string, offset: number, chunk: Buffer, headers: Record<string, string> = {}) {
  return client.raw('PATCH', `/v1/evidence/uploads/${uploadId}`, {
    body: chunk, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), ...headers },
  });
}

/** Opens an upload and sends the bytes in chunks; returns the evidence id (or the last response on refusal). */
export async function uploadEvidence(world: EvidenceWorld, bytes: Buffer, overrides: Record<string, unknown> = {}, chunkBytes = 64 * 1024) {
  const upload = await world.plugin.post<{ id: string }>('/v1/evidence/uploads', uploadRequest(world, bytes, overrides));
  let last = { status: 0, body: undefined as unknown, headers: new Headers() };
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    last = await patchChunk(world.plugin, upload.id, offset, bytes.subarray(offset, offset + chunkBytes));
    if (last.status !== 204) break;
  }
  return { uploadId: upload.id, evidenceId: last.headers.get('evidence-id'), response: last };
}

/** Every file under the evidence store (objects and staging), to show nothing partial stays behind. */
export async function storedFiles(world: EvidenceWorld): Promise<string[]> {
  const root = join(world.dir, 'evidence');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(root.length + 1)).sort();
}
