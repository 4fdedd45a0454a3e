import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../../contracts/capabilities.js';
import { Backoff } from './backoff.js';
import { BufferPool } from './buffer-pool.js';
import { type CameraHealth, HealthTracker } from './camera-health.js';
import { FrameAssembler } from './frame-assembler.js';
import { FrameMailbox } from './frame-mailbox.js';
import { inputArgs } from './input-args.js';
import { redactUrl } from './redact.js';
import { StderrTail } from './stderr-tail.js';

test('backoff grows exponentially, stays within max plus jitter, and resets', () => {
  let flip = 0;
  const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0.2 }, () => (flip++ % 2 === 0 ? 1 : 0));
  const delays = Array.from({ length: 8 }, () => backoff.next());
  assert.deepEqual(delays.slice(0, 4), [120, 160, 480, 640]);
  assert.ok(delays.every((d) => d <= 1_200 && d >= 80), delays.join(','));
  backoff.reset();
  assert.equal(backoff.next(), 120);
});

test('redactUrl hides user:password of every URL in a text', () => {
  assert.equal(redactUrl('rtsp://admin:s3cr%40t@10.0.0.5:554/ch1 and http://u@h/x'), 'rtsp://***@10.0.0.5:554/ch1 and http://***@h/x');
  assert.equal(redactUrl('rtsp://10.0.0.5/ch1'), 'rtsp://10.0.0.5/ch1');
  assert.equal(redactUrl('rtsp://admin:p@ss@10.0.0.5/ch1 user@example'), 'rtsp://***@10.0.0.5/ch1 user@example');
});

test('stderr tail keeps the last meaningful line, redacted, without the component address', () => {
  const tail = new StderrTail();
  tail.push('[tcp @ 0x22391480] Connection to tcp://127.0.0.1:1 failed\n    Last message repeated 3 times\n');
  tail.push('[rtsp @ 0xdeadbeef] method DESCRIBE failed: 401 Unauthorized rtsp://admin:pw@cam/');
  assert.equal(tail.lastLine(), '[rtsp] method DESCRIBE failed: 401 Unauthorized rtsp://***@cam/');
});

test('input args: RTSP gets transport and -stimeout in microseconds, tcp:// gets -rw_timeout, files none', () => {
  assert.deepEqual(inputArgs('rtsp://cam/1', 'udp', 5_000), ['-rtsp_transport', 'udp', '-stimeout', '5000000']);
  assert.deepEqual(inputArgs('tcp://127.0.0.1:9', 'tcp', 2_000), ['-rw_timeout', '2000000']);
  assert.deepEqual(inputArgs('/tmp/x.ts', 'tcp', 2_000), []);
});

test('assembler cuts frames across chunk boundaries with one copy into pooled buffers', () => {
  const pool = new BufferPool(4, 3);
  const frames: number[][] = [];
  const assembler = new FrameAssembler(pool, (data) => {
    frames.push([...data]);
    pool.release(data);
  });
  assembler.push(Uint8Array.from([1, 2, 3]));
  assembler.push(Uint8Array.from([4, 5, 6, 7, 8, 9, 10]));
  assembler.reset();
  assembler.push(Uint8Array.from([11, 12, 13, 14]));
  assert.deepEqual(frames, [[1, 2, 3, 4], [5, 6, 7, 8], [11, 12, 13, 14]]);
  assert.ok(pool.allocations <= 2, `buffers reused (${pool.allocations})`);
});

test('pool replaces a buffer that came back detached (transferred to a worker)', () => {
  const pool = new BufferPool(8, 2);
  const buffer = pool.acquire();
  const arrayBuffer = buffer.buffer as ArrayBuffer;
  structuredClone(arrayBuffer, { transfer: [arrayBuffer] });
  assert.equal(buffer.byteLength, 0);
  pool.release(buffer);
  assert.equal(pool.acquire().byteLength, 8);
});

test('mailbox: newest frame wins, older pending frames are dropped and counted', async () => {
  const pool = new BufferPool(1, 3);
  const box = new FrameMailbox(pool);
  const frame = (sequence: number): Frame => ({ cameraId: 'c', width: 1, height: 1, format: 'gray', data: pool.acquire(), timestamp: sequence, sequence });
  box.put(frame(1));
  box.put(frame(2));
  box.put(frame(3));
  assert.equal((await box.take())?.sequence, 3);
  assert.equal(box.dropped, 2);
  const waiting = box.take();
  box.put(frame(4));
  assert.equal((await waiting)?.sequence, 4);
  box.close();
  assert.equal(await box.take(), null);
});

test('health: starting -> streaming -> degraded (low fps) -> offline (stall) -> streaming; flapping degrades', () => {
  let now = 0;
  const seen: CameraHealth[] = [];
  const policy = { targetFps: 5, stallTimeoutMs: 3_000, fpsWindowMs: 5_000, degradedFpsRatio: 0.5, flapThreshold: 2, flapWindowMs: 60_000 };
  const health = new HealthTracker('cam_1', policy, (h) => seen.push(h), () => 0, () => now);
  const stream = (from: number, to: number, everyMs: number): void => {
    for (now = from; now <= to; now += everyMs) {
      health.frame(now);
      health.evaluate();
    }
    now = to;
  };
  assert.equal(health.snapshot().state, 'starting');
  stream(1_000, 7_000, 200);
  assert.equal(health.snapshot().state, 'streaming');
  assert.ok(Math.abs(health.snapshot().fps - 5) < 0.5);
  stream(7_000, 14_000, 1_000);
  assert.equal(health.snapshot().state, 'degraded', 'one frame a second is well below 5 fps');
  now = 17_500;
  health.evaluate();
  assert.equal(health.snapshot().state, 'offline');
  assert.equal(health.snapshot().lastError, 'no frame for 3s');
  health.failure('ffmpeg exited with code 1: Connection refused', false);
  assert.equal(health.snapshot().lastError, 'ffmpeg exited with code 1: Connection refused');
  stream(20_000, 21_000, 200);
  assert.equal(health.snapshot().state, 'streaming', 'failed reconnects while offline are not flapping');
  health.failure('ffmpeg exited with code 0', true);
  stream(21_500, 22_000, 200);
  health.failure('ffmpeg exited with code 0', true);
  stream(22_500, 23_000, 200);
  assert.equal(health.snapshot().state, 'degraded', 'two lost streams within a minute');
  assert.equal(health.snapshot().restarts, 3);
  assert.deepEqual([...new Set(seen.map((h) => h.state))], ['streaming', 'degraded', 'offline']);
});

test('health: a camera that cannot connect goes offline at once, not after the stall timeout', () => {
  let now = 0;
  const policy = { targetFps: 5, stallTimeoutMs: 30_000, fpsWindowMs: 5_000, degradedFpsRatio: 0.5, flapThreshold: 2, flapWindowMs: 60_000 };
  const health = new HealthTracker('cam_2', policy, () => undefined, () => 0, () => now);
  now = 500;
  health.failure('ffmpeg exited with code 1: [rtsp] method DESCRIBE failed: 401 Unauthorized', false);
  assert.equal(health.snapshot().state, 'offline');
  assert.match(health.snapshot().lastError ?? '', /401 Unauthorized/);
});
