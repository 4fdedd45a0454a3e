import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseStreams } from './profile-chooser.js';
import type { CameraProfile } from './types.js';

const profile = (token: string, width: number, height: number, encoding = 'H264', fps = 15): CameraProfile => ({
  token, name: token, encoding, width, height, fps, streamUri: `rtsp://cam/${token}`, snapshotUri: null,
});

test('analysis takes the smallest profile at least 320 px tall, evidence the largest', () => {
  const streams = chooseStreams([profile('main', 1920, 1080), profile('sub', 640, 360), profile('third', 352, 288), profile('mid', 1280, 720)]);
  assert.equal(streams.analysis.profileToken, 'sub');
  assert.equal(streams.evidence.profileToken, 'main');
  assert.equal(streams.evidence.uri, 'rtsp://cam/main');
});

test('when every small profile is under 320 px, analysis falls back to the next one up, or the largest', () => {
  assert.equal(chooseStreams([profile('main', 1280, 720), profile('sub', 320, 180)]).analysis.profileToken, 'main');
  assert.equal(chooseStreams([profile('only', 320, 240)]).analysis.profileToken, 'only');
});

test('MJPEG profiles and profiles without a stream URI are passed over', () => {
  const noUri = { ...profile('nouri', 800, 600), streamUri: null };
  const streams = chooseStreams([profile('mjpeg', 640, 480, 'JPEG'), noUri, profile('main', 1280, 720)]);
  assert.equal(streams.analysis.profileToken, 'main');
  assert.throws(() => chooseStreams([noUri]), { code: 'unprocessable' });
});
