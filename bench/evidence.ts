// bench:evidence — upload throughput of 20 MB clips through the hub (resumable PATCH chunks, SHA-256 computed
// once while the chunks stream, MP4 box walk as the media check, filesystem backend) beside the same bytes
// copied with fs streams and hashed with SHA-256 on the way (the baseline), and beside the same chunks
// PATCHed to a bare HTTP route that only hashes and writes them (the transport's own cost, so the second ratio
// is what the hub adds to any HTTP upload), paired in rounds (rotating which goes first, the same clip each
// time); and the hub's RSS growth while 10 clips upload at once (it must stream, never buffer whole clips).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { newId } from '../contracts/index.js';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { ApiClient } from '../test/support/api-client.js';
import { benchDatabase } from './support/bench-database.js';
import { profileFlags, spawnAndWait, stopChild } from './support/children.js';
import { emit, printTable } from './support/report.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENT = 10;
const CHUNK = 8 * 1024 * 1024;

/** A ~20 MB H.264 faststart MP4: a 2 s lossless seed looped by stream copy (fast to make, a real clip). */
async function makeClip(dir: string): Promise<string> {
  const seed = join(dir, 'seed.mp4');
  const clip = join(dir, 'clip.mp4');
  await run(ffmpegInstaller.path, ['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', seed]);
  await run(ffmpegInstaller.path, ['-hide_banner', '-v', 'error', '-y', '-stream_loop', '17', '-i', seed, '-c', 'copy', '-movflags', '+faststart', clip]);
  return clip;
}

interface World {
  url: string;
  token: string;
  cameraId: string;
  incidentId: string;
}

async function setUp(url: string, hubUrl: string, adminToken: string): Promise<World> {
  const admin = new ApiClient(hubUrl, adminToken);
  const region = await admin.post<{ id: string }>('/v1/regions', { name: 'Bench' });
  const store = await admin.post<{ id: string }>('/v1/stores', { regionId: region.id, name: 'Bench store', code: 'B1', timezone: 'UTC' });
  const camera = await admin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Lane 1' });
  const token = (await admin.post<{ token: string }>('/v1/tokens', { name: 'plugin', role: 'plugin', storeIds: [store.id] })).token;
  const event = { id: newId('event'), cameraId: camera.id, storeId: store.id, type: 'zone_dwell', occurredAt: new Date().toISOString(), confidence: 0.8, rule: { name: 'zone_dwell' }, detections: [] };
  const body = await admin.as(token).post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [event] }, 200);
  return { url, token, cameraId: camera.id, incidentId: body.results[0]?.incidentId ?? '' };
}

/** One PATCH of `length` bytes at `offset`, streamed from the file; answers the status and the response headers. */
function patchChunk(target: URL, headers: Record<string, string>, path: string, offset: number, length: number): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), 'content-length': String(length) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    createReadStream(path, { start: offset, end: offset + length - 1, highWaterMark: 1 << 20 }).pipe(req);
  });
}

async function patch(hubUrl: string, token: string, uploadId: string, path: string, offset: number, length: number): Promise<{ status: number; evidenceId: string | null }> {
  const answer = await patchChunk(new URL(`/v1/evidence/uploads/${uploadId}`, hubUrl), { authorization: `Bearer ${token}` }, path, offset, length);
  return { status: answer.status, evidenceId: (answer.headers['evidence-id'] as string | undefined) ?? null };
}

/** The transport reference: the same chunks to a bare route that only hashes and writes them (bare-upload-server.ts). */
async function bareUpload(bareUrl: string, path: string, bytes: number, sha256: string): Promise<void> {
  const id = newId('upload');
  for (let offset = 0; offset < bytes; offset += CHUNK) {
    const last = offset + CHUNK >= bytes;
    const answer = await patchChunk(new URL(`/uploads/${id}`, bareUrl), last ? { 'upload-last': 'true' } : {}, path, offset, Math.min(CHUNK, bytes - offset));
    if (answer.status !== 204) throw new Error(`bare PATCH answered ${answer.status}`);
    if (last && answer.headers['upload-sha256'] !== sha256) throw new Error('bare upload hash mismatch');
  }
}

/** One clip through the hub's upload API, streamed from disk by the client. */
async function uploadClip(hubUrl: string, world: World, path: string, bytes: number, sha256: string): Promise<void> {
  const client = new ApiClient(hubUrl, world.token);
  const now = Date.now();
  const upload = await client.post<{ id: string }>('/v1/evidence/uploads', {
    kind: 'clip', bytes, sha256, cameraId: world.cameraId, incidentId: world.incidentId, capturedFrom: new Date(now - 20_000).toISOString(), capturedTo: new Date(now).toISOString(),
  });
  for (let offset = 0; offset < bytes; offset += CHUNK) {
    const result = await patch(hubUrl, world.token, upload.id, path, offset, Math.min(CHUNK, bytes - offset));
    if (result.status !== 204) throw new Error(`PATCH answered ${result.status}`);
    if (offset + CHUNK >= bytes && !result.evidenceId) throw new Error('upload completed without an evidence id');
  }
}

function rssOf(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((text) => Number(/VmRSS:\s+(\d+) kB/.exec(text)?.[1] ?? 0) * 1024);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

/** The baseline: the clip read, hashed with SHA-256 and written back with fs streams (what the hub must do at least). */
async function hashedCopy(clip: string, target: string, sha256: string): Promise<void> {
  const hash = createHash('sha256');
  const hashing = new Transform({ highWaterMark: 1 << 20, transform(chunk: Buffer, _e, done) { hash.update(chunk); done(null, chunk); } });
  await pipeline(createReadStream(clip, { highWaterMark: 1 << 20 }), hashing, createWriteStream(target));
  if (hash.digest('hex') !== sha256) throw new Error('baseline hash mismatch');
}

interface RoundFigures { copyMBps: number; bareMBps: number; hubMBps: number }

interface Rounds {
  copyMBps: number;
  bareMBps: number;
  hubMBps: number;
  /** Median of the per-round ratios hub / fs copy (the baseline). */
  medianRatio: number;
  /** Median of the per-round ratios hub / bare HTTP upload (what the hub adds to any HTTP upload). */
  medianTransportRatio: number;
  perRound: RoundFigures[];
}

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const harmonic = (values: number[]) => values.length / values.reduce((sum, v) => sum + 1 / v, 0);

/**
 * Paired rounds: each round times the hashed fs copy, the same chunks through a bare HTTP route, and one upload
 * through the hub, rotating which goes first, so none always gets the coldest cache.
 */
async function measureThroughput(hubUrl: string, bareUrl: string, world: World, clip: string, bytes: number, sha256: string, dir: string): Promise<Rounds> {
  const mb = bytes / 1024 / 1024;
  const perRound: RoundFigures[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const runs: Array<[keyof RoundFigures, () => Promise<void>]> = [
      ['copyMBps', () => hashedCopy(clip, join(dir, `copy-${i}.mp4`), sha256)],
      ['bareMBps', () => bareUpload(bareUrl, clip, bytes, sha256)],
      ['hubMBps', () => uploadClip(hubUrl, world, clip, bytes, sha256)],
    ];
    const figures: RoundFigures = { copyMBps: 0, bareMBps: 0, hubMBps: 0 };
    for (let k = 0; k < runs.length; k += 1) {
      const [name, run] = runs[(i + k) % runs.length] as [keyof RoundFigures, () => Promise<void>];
      figures[name] = mb / (await timed(run));
    }
    await rm(join(dir, `copy-${i}.mp4`), { force: true });
    perRound.push(figures);
    process.stderr.write(`round ${i + 1}/${ROUNDS}: hub ${figures.hubMBps.toFixed(1)} MB/s, bare HTTP ${figures.bareMBps.toFixed(1)} MB/s, fs copy ${figures.copyMBps.toFixed(1)} MB/s\n`);
  }
  return {
    copyMBps: harmonic(perRound.map((r) => r.copyMBps)), bareMBps: harmonic(perRound.map((r) => r.bareMBps)), hubMBps: harmonic(perRound.map((r) => r.hubMBps)),
    medianRatio: medianOf(perRound.map((r) => r.hubMBps / r.copyMBps)), medianTransportRatio: medianOf(perRound.map((r) => r.hubMBps / r.bareMBps)), perRound,
  };
}

/** The hub's resident memory, sampled every 20 ms while CONCURRENT clips upload at once. */
async function measureMemory(pid: number, hubUrl: string, world: World, clip: string, bytes: number, sha256: string) {
  const rssBefore = await rssOf(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => void rssOf(pid).then((rss) => (rssPeak = Math.max(rssPeak, rss))), 20);
  const concurrentSeconds = await timed(async () => {
    await Promise.all(Array.from({ length: CONCURRENT }, () => uploadClip(hubUrl, world, clip, bytes, sha256)));
  });
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, await rssOf(pid));
  return { rssBefore, rssPeak, concurrentSeconds };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-evidence-'));
  const database = await benchDatabase();
  let hub: Awaited<ReturnType<typeof spawnAndWait>> | null = null;
  let bare: Awaited<ReturnType<typeof spawnAndWait>> | null = null;
  try {
    const clip = await makeClip(dir);
    const bytes = (await stat(clip)).size;
    const sha256 = createHash('sha256').update(await readFile(clip)).digest('hex');
    const mb = bytes / 1024 / 1024;
    const db = connectDatabase({ databaseUrl: database.url, dataDir: 'memory' });
    await migrateUp(db.knex);
    const tenant = await createTenant(db.knex, 'Bench Retail');
    await db.close();
    const env = { ...process.env, DATABASE_URL: database.url, VIGIL_DATA_DIR: join(dir, 'data'), VIGIL_LOG_LEVEL: 'warn', VIGIL_ROLE: 'api', VIGIL_PORT: '0', VIGIL_RATE_LIMIT_IDENTITY: '0', VIGIL_RATE_LIMIT_TENANT: '0' };
    hub = await spawnAndWait(process.execPath, [...profileFlags(), `${ROOT}bin/vigil.mjs`, 'hub'], env, (l) => /listening on (\S+)/.exec(l)?.[1] ?? null);
    bare = await spawnAndWait(process.execPath, ['--import', 'tsx', `${ROOT}bench/support/bare-upload-server.ts`], env, (l) => (l.startsWith('{"port"') ? `http://127.0.0.1:${(JSON.parse(l) as { port: number }).port}` : null));
    const world = await setUp(database.url, hub.value, tenant.adminToken);
    await uploadClip(hub.value, world, clip, bytes, sha256);

    const { copyMBps, bareMBps, hubMBps, medianRatio, medianTransportRatio, perRound } = await measureThroughput(hub.value, bare.value, world, clip, bytes, sha256, dir);
    const { rssBefore, rssPeak, concurrentSeconds } = await measureMemory(hub.child.pid ?? 0, hub.value, world, clip, bytes, sha256);
    const growthMB = (rssPeak - rssBefore) / 1024 / 1024;
    const fmt = (n: number) => n.toFixed(1);
    printTable(`evidence upload, ${fmt(mb)} MB clips, ${ROUNDS} paired rounds, ${CHUNK / 1024 / 1024} MB chunks, filesystem backend`, [
      ...perRound.map((r, i): [string, string, string] => [`round ${i + 1}: upload through the hub (MB/s)`, fmt(r.hubMBps), `${fmt(r.copyMBps)} (fs copy + SHA-256), ${fmt(r.bareMBps)} (bare HTTP)`]),
      ['upload through the hub, all rounds (MB/s)', fmt(hubMBps), `${fmt(copyMBps)} (fs copy + SHA-256)`],
      ['ratio to baseline (median of rounds)', medianRatio.toFixed(2), 'bar >= 0.7, goal >= 0.9'],
      ['the same chunks to a bare HTTP route that hashes and writes (MB/s)', fmt(bareMBps), 'the transport alone'],
      ['hub / bare HTTP (median of rounds)', medianTransportRatio.toFixed(2), 'what the hub adds to any HTTP upload'],
      [`${CONCURRENT} clips at once (MB/s)`, fmt((mb * CONCURRENT) / concurrentSeconds), '-'],
      ['hub RSS growth, 10 at once (MB)', fmt(growthMB), 'goal < 64'],
      ['hub RSS before / peak (MB)', `${fmt(rssBefore / 1048576)} / ${fmt(rssPeak / 1048576)}`, '-'],
    ]);
    emit({
      bench: 'evidence',
      metrics: { uploadMBps: Number(fmt(hubMBps)), bareHttpMBps: Number(fmt(bareMBps)), hubToBareHttp: Number(medianTransportRatio.toFixed(2)), concurrentMBps: Number(fmt((mb * CONCURRENT) / concurrentSeconds)), rssGrowthMB: Number(fmt(growthMB)), clipMB: Number(fmt(mb)), rounds: ROUNDS },
      baseline: { fsCopySha256MBps: Number(fmt(copyMBps)) },
      ratio: Number(medianRatio.toFixed(2)),
      goal: 'upload >= 0.7 (goal 0.9) of an fs stream copy that also computes SHA-256, median of paired rounds; hub RSS growth < 64 MB with 10 concurrent uploads',
    });
  } finally {
    if (hub) await stopChild(hub.child);
    if (bare) await stopChild(bare.child);
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
