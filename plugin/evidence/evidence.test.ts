import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isAppError } from '../../contracts/errors.js';
import { ffmpegPath } from '../capture/index.js';
import { makeTestClip, serveClip } from '../capture/test-stream.js';
import { ClipError, type RecorderHealth, type Segment, type SegmentSource, SegmentRecorder, cutClip, probeMedia } from './index.js';

const run = promisify(execFile);
let dir = '';
let source = '';
const SECONDS = 40;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-evidence-'));
  source = await makeTestClip(dir, { seconds: SECONDS, fps: 10, size: '320x180', gop: 10 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Offsets of the top-level MP4 boxes, by type. */
function topLevelBoxes(bytes: Buffer): Map<string, number> {
  const boxes = new Map<string, number>();
  for (let offset = 0; offset + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(offset);
    boxes.set(bytes.toString('latin1', offset + 4, offset + 8), offset);
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

function waitForHealth(recorder: SegmentRecorder, wanted: (h: RecorderHealth) => boolean, timeoutMs: number): Promise<RecorderHealth> {
  return new Promise((resolve, reject) => {
    if (wanted(recorder.health())) return resolve(recorder.health());
    const timer = setTimeout(() => {
      recorder.off('health', check);
      reject(new Error(`recorder health not reached: ${JSON.stringify(recorder.health())}`));
    }, timeoutMs);
    function check(health: RecorderHealth): void {
      if (!wanted(health)) return;
      clearTimeout(timer);
      recorder.off('health', check);
      resolve(health);
    }
    recorder.on('health', check);
  });
}

test('ring buffer: clip covers [t-pre, t+post] by stream copy into a faststart MP4 with matching SHA-256; disk keeps only the window', async () => {
  const server = await serveClip(source, SECONDS);
  const recorder = new SegmentRecorder({ cameraId: 'cam_rec', url: server.url, dir: join(dir, 'ring'), segmentSeconds: 1, windowSeconds: 4 });
  try {
    await recorder.start();
    await waitForHealth(recorder, (h) => h.state === 'recording', 15_000);
    await delay(3_500);
    const at = Date.now();
    const result = await recorder.clip({ at, preMs: 3_000, postMs: 2_000, outputDir: join(dir, 'clips'), name: 'incident-1' });

    assert.equal(result.complete, true, result.warnings.join('; '));
    assert.ok(result.clip.startedAt <= at - 3_000, 'clip starts at or before t - pre');
    assert.ok(result.clip.endedAt >= at + 2_000, 'clip ends at or after t + post');
    const probe = await probeMedia(result.clip.path);
    assert.ok((probe.format.duration ?? 0) >= 5, `duration ${probe.format.duration} >= pre + post`);
    const original = await probeMedia(source);
    assert.ok(probe.video && original.video?.profile);
    assert.deepEqual(probe.video, original.video, 'stream copied: same codec, profile and size as the camera');
    assert.deepEqual([result.clip.codec, result.clip.profile], [original.video.codec, original.video.profile]);
    const bytes = await readFile(result.clip.path);
    const boxes = topLevelBoxes(bytes);
    assert.ok((boxes.get('moov') ?? Infinity) < (boxes.get('mdat') ?? -1), `faststart: moov before mdat (${[...boxes.keys()].join(',')})`);
    assert.equal(result.clip.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(result.clip.bytes, bytes.length);
    assert.equal(result.clip.contentType, 'video/mp4');

    assert.ok(result.snapshot, result.warnings.join('; '));
    const jpeg = await readFile(result.snapshot.path);
    assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'snapshot is a JPEG');
    assert.equal(result.snapshot.sha256, createHash('sha256').update(jpeg).digest('hex'));
    assert.equal(result.snapshot.contentType, 'image/jpeg');

    const orphan = join(dir, 'ring', 'rdead1-000007.ts');
    await writeFile(orphan, Buffer.alloc(188, 0x47));
    await utimes(orphan, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await delay(5_000);
    assert.equal(await stat(orphan).catch(() => null), null, 'an unlisted segment left by a killed ffmpeg is swept');
    const now = Date.now();
    const files = (await readdir(join(dir, 'ring'))).filter((name) => name.endsWith('.ts'));
    assert.ok(files.length <= 4 / 1 + 3, `only the window stays on disk: ${files.length} segments`);
    const oldest = recorder.segments()[0];
    assert.ok(oldest && oldest.endedAt >= now - 4_000 - 1_000, 'oldest kept segment is within the window');
    const pid = recorder.pid;
    assert.ok(pid !== undefined);
    await recorder.close();
    assert.throws(() => process.kill(pid, 0), 'recorder ffmpeg is gone after close');
  } finally {
    await recorder.close();
    await server.stop();
  }
});

test('recorder watchdog: source lost -> offline with lastError, back -> recording; clip over the gap says so', async () => {
  const server = await serveClip(source, SECONDS);
  const recorder = new SegmentRecorder({
    cameraId: 'cam_rec2', url: server.url, dir: join(dir, 'ring2'), segmentSeconds: 1, windowSeconds: 30,
    stallTimeoutMs: 3_000, backoff: { initialMs: 200, maxMs: 1_000 },
  });
  try {
    await recorder.start();
    await waitForHealth(recorder, (h) => h.state === 'recording', 15_000);
    await delay(2_000);
    await server.stop();
    const lostAt = Date.now();
    const offline = await waitForHealth(recorder, (h) => h.state === 'offline', 10_000);
    assert.ok(offline.lastError && offline.restarts >= 1, JSON.stringify(offline));
    await delay(1_500);
    await server.start();
    await waitForHealth(recorder, (h) => h.state === 'recording', 15_000);
    // A window from before the loss to after the return: the clip spans the outage and must say so.
    const result = await recorder.clip({ at: lostAt, preMs: 1_000, postMs: Date.now() - lostAt + 1_000, outputDir: join(dir, 'clips2') });
    assert.equal(result.complete, false);
    assert.ok(result.warnings.some((w) => /gap/.test(w)), result.warnings.join('; '));
  } finally {
    await recorder.close();
    await server.stop();
  }
});

/** A ring buffer made of real segment files, without a live recorder. */
async function fileSource(segmentDir: string): Promise<{ source: SegmentSource; segments: Segment[] }> {
  await run(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-i', source, '-t', '4', '-c', 'copy', '-f', 'segment', '-segment_time', '1',
    '-reset_timestamps', '1', '-segment_format', 'mpegts', join(segmentDir, 's-%06d.ts')]);
  const names = (await readdir(segmentDir)).filter((n) => n.endsWith('.ts')).sort();
  const segments = await Promise.all(names.map(async (file, i) => ({
    file, path: join(segmentDir, file), runId: 's', startedAt: 1_000_000 + i * 1_000, endedAt: 1_001_000 + i * 1_000, bytes: (await stat(join(segmentDir, file))).size,
  })));
  const ring: SegmentSource = {
    cameraId: 'cam_files',
    covering: (from, to) => segments.filter((s) => s.endedAt > from && s.startedAt < to),
    waitForRecorded: async (until) => (segments.at(-1)?.endedAt ?? 0) >= until,
    pin: () => () => undefined,
  };
  return { source: ring, segments };
}

test('a corrupt or missing segment is skipped and reported; no usable segment is a clear ClipError', async () => {
  const segmentDir = join(dir, 'files');
  await rm(segmentDir, { recursive: true, force: true });
  await (await import('node:fs/promises')).mkdir(segmentDir, { recursive: true });
  const { source: files, segments } = await fileSource(segmentDir);
  assert.ok(segments.length >= 4, `${segments.length} segments`);
  await writeFile(segments[2]!.path, Buffer.from('this is not video at all'.repeat(40)));
  await rm(segments[3]!.path);
  const result = await cutClip(files, { at: 1_002_000, preMs: 2_000, postMs: 2_000, outputDir: join(dir, 'clips3'), maxWaitMs: 0 });
  assert.equal(result.complete, false);
  assert.ok(result.warnings.some((w) => w.includes(segments[2]!.file) && /not MPEG-TS/.test(w)), result.warnings.join('; '));
  assert.ok(result.warnings.some((w) => w.includes(segments[3]!.file) && /missing/.test(w)), result.warnings.join('; '));
  assert.ok(((await probeMedia(result.clip.path)).format.duration ?? 0) > 0);

  for (const segment of segments) await writeFile(segment.path, 'garbage');
  await assert.rejects(
    cutClip(files, { at: 1_002_000, outputDir: join(dir, 'clips3'), maxWaitMs: 0 }),
    (error: unknown) => error instanceof ClipError && error.reason === 'no_segments' && error.code === 'unavailable',
  );
  await assert.rejects(
    cutClip(files, { at: 1_002_000, outputDir: join(dir, 'clips3'), name: '../escape', maxWaitMs: 0 }),
    (error: unknown) => error instanceof ClipError && error.reason === 'invalid_request',
  );
  await assert.rejects(
    cutClip(files, { at: Date.now() + 3_600_000, outputDir: join(dir, 'clips3') }),
    (error: unknown) => error instanceof ClipError && error.reason === 'invalid_request' && error.status === 400,
  );
});

test('invalid recorder options are rejected with validation_failed, without credentials', () => {
  assert.throws(
    () => new SegmentRecorder({ cameraId: 'cam_x', url: 'rtsp://admin:hunter2@cam/main', dir: '', windowSeconds: 1 }),
    (error: unknown) => isAppError(error) && error.code === 'validation_failed' && !error.message.includes('hunter2'),
  );
});
