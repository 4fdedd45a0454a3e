import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseStreams, chooseStreamsPerSource } from './profile-chooser.js';
import type { CameraProfile } from './types.js';

const profile = (token: string, width: number, height: number, encoding = 'H264', fps = 15, videoSourceToken: string | null = null): CameraProfile => ({
  token, name: token, videoSourceToken, encoding, width, height, fps, streamUri: `rtsp://cam/${token}`, snapshotUri: null,
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

// An NVR lists every channel's profiles in one GetProfiles answer; the largest profile of the device is often another
// channel's main stream. Analysis and evidence must both come from the selected channel.
const nvr = [
  profile('ch1_sub', 640, 360, 'H264', 15, 'vs1'), profile('ch1_main', 1280, 720, 'H264', 15, 'vs1'),
  profile('ch2_sub', 640, 360, 'H264', 15, 'vs2'), profile('ch2_main', 1920, 1080, 'H265', 15, 'vs2'),
  profile('ch12_main', 3840, 2160, 'H264', 15, 'vs12'),
];

test('analysis and evidence come from one video source, the first one when none is selected', () => {
  const streams = chooseStreams(nvr);
  assert.equal(streams.videoSourceToken, 'vs1');
  assert.deepEqual([streams.analysis.profileToken, streams.evidence.profileToken], ['ch1_sub', 'ch1_main']);
});

test('a video source is selected by token or by 1-based index, and its codec is carried', () => {
  const byToken = chooseStreams(nvr, 320, 'vs2');
  assert.deepEqual([byToken.analysis.profileToken, byToken.evidence.profileToken, byToken.evidence.encoding], ['ch2_sub', 'ch2_main', 'H265']);
  assert.deepEqual(chooseStreams(nvr, 320, 3).evidence.profileToken, 'ch12_main');
  assert.throws(() => chooseStreams(nvr, 320, 'vs9'), { code: 'unprocessable', message: /video source vs9 has no usable profile.*1: vs1/ });
  assert.throws(() => chooseStreams(nvr, 320, 4), { code: 'unprocessable' });
});

test('one choice per video source, with the problem of a source that has no usable profile', () => {
  const choices = chooseStreamsPerSource([...nvr, { ...profile('ch5_main', 0, 0, 'H264', 15, 'vs5') }]);
  assert.deepEqual(choices.map((c) => [c.index, c.videoSourceToken, c.streams?.evidence.profileToken ?? null]), [
    [1, 'vs1', 'ch1_main'], [2, 'vs2', 'ch2_main'], [3, 'vs12', 'ch12_main'], [4, 'vs5', null],
  ]);
  assert.match(choices[3]?.problem ?? '', /no usable profile/);
});
