import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInputSummary } from './media-probe.js';

test('input summary parser reads duration, start, codec, profile and size; a codec tag is not a profile', () => {
  const summary = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'clip.mp4':
  Duration: 00:01:05.60, start: 0.000000, bitrate: 390 kb/s
    Stream #0:0(und): Video: h264 (Constrained Baseline) (avc1 / 0x31637661), yuv420p, 320x180 [SAR 1:1 DAR 16:9], 10 fps`;
  assert.deepEqual(parseInputSummary(summary), {
    format: { duration: 65.6, startTime: 0 },
    video: { codec: 'h264', profile: 'Constrained Baseline', width: 320, height: 180 },
  });
  const noProfile = parseInputSummary('Input #0\n  Duration: N/A\n    Stream #0:0: Video: mjpeg (MJPG / 0x47504A4D), yuvj420p, 64x36');
  assert.deepEqual(noProfile, { format: { duration: null, startTime: null }, video: { codec: 'mjpeg', profile: null, width: 64, height: 36 } });
});
