import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startCameraSim, type CameraSim } from './index.js';

const ffmpegPath = (await import('@ffmpeg-installer/ffmpeg')).default.path;
let sim: CameraSim;

before(async () => {
  sim = await startCameraSim({
    user: 'admin', password: 's3cret', discoveryPort: null, idleStopMs: 300,
    main: { width: 480, height: 270, fps: 5 }, sub: { width: 320, height: 180, fps: 5 },
  });
});
after(() => sim.stop());

const withCredentials = (url: string, password = 's3cret'): string => url.replace('rtsp://', `rtsp://admin:${password}@`);

/** Decodes `frames` pictures with real ffmpeg and returns their sizes, read from the PPM headers. */
async function decode(url: string, transport: 'tcp' | 'udp', frames = 2): Promise<{ sizes: string[]; code: number | null; stderr: string }> {
  const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-analyzeduration', '1000000', '-rtsp_transport', transport, '-i', url,
    '-frames:v', String(frames), '-f', 'image2pipe', '-vcodec', 'ppm', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const text = Buffer.concat(out).toString('latin1');
  const sizes = [...text.matchAll(/P6\n(\d+) (\d+)\n255\n/g)].map((m) => `${m[1]}x${m[2]}`);
  return { sizes, code, stderr };
}

/** Sends raw bytes on a fresh RTSP connection and collects what comes back until the server is quiet or closes. */
function exchange(bytes: string, port = sim.rtspPort): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let quiet: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(quiet);
      socket.destroy();
      resolve(text);
    };
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c) => {
      text += c.toString('latin1');
      clearTimeout(quiet);
      quiet = setTimeout(finish, 300);
    });
    socket.on('close', finish);
    socket.on('error', reject);
  });
}

test('ffmpeg decodes the sub profile over RTSP/TCP interleaved at 320x180', async () => {
  const result = await decode(withCredentials(sim.rtspUrl.sub), 'tcp');
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.sizes, ['320x180', '320x180']);
});

test('ffmpeg decodes the main profile over RTSP/UDP at 480x270', async () => {
  const result = await decode(withCredentials(sim.rtspUrl.main), 'udp');
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.sizes, ['480x270', '480x270']);
});

test('two readers of one profile at once (TCP and UDP) both decode from the shared encoder', async () => {
  const [a, b] = await Promise.all([decode(withCredentials(sim.rtspUrl.sub), 'tcp', 3), decode(withCredentials(sim.rtspUrl.sub), 'udp', 3)]);
  assert.equal(a.sizes.length, 3, a.stderr);
  assert.equal(b.sizes.length, 3, b.stderr);
});

test('DESCRIBE without or with wrong credentials is refused with 401 and a Digest challenge', async () => {
  const bare = await exchange(`DESCRIBE ${sim.rtspUrl.sub} RTSP/1.0\r\nCSeq: 2\r\n\r\n`);
  assert.match(bare, /^RTSP\/1\.0 401 /);
  assert.match(bare, /WWW-Authenticate: Digest realm="[^"]+", nonce="[0-9a-f]+"/);
  const wrong = await decode(withCredentials(sim.rtspUrl.sub, 'wrong'), 'tcp', 1);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /401|Unauthorized/i);
});

test('malformed RTSP requests get 400 and the server keeps serving', async () => {
  assert.match(await exchange('GARBAGE\r\n\r\n'), /^RTSP\/1\.0 400 Bad Request/);
  assert.match(await exchange(`OPTIONS ${sim.rtspUrl.sub} RTSP/1.0\r\nContent-Length: nope\r\nCSeq: 1\r\n\r\n`), /^RTSP\/1\.0 400 /);
  assert.match(await exchange('\x00\x01\x02'.repeat(7000)), /^RTSP\/1\.0 400 /);
  // A request without CSeq is answered 400 but the connection stays usable.
  const twice = await exchange(`OPTIONS ${sim.rtspUrl.sub} RTSP/1.0\r\n\r\nOPTIONS ${sim.rtspUrl.sub} RTSP/1.0\r\nCSeq: 9\r\n\r\n`);
  assert.match(twice, /^RTSP\/1\.0 400 [\s\S]*RTSP\/1\.0 200 OK\r\nCSeq: 9\r\nPublic: /);
  const auth = `Authorization: Basic ${Buffer.from('admin:s3cret').toString('base64')}\r\n`;
  assert.match(await exchange(`DESCRIBE rtsp://127.0.0.1:${sim.rtspPort}/nope RTSP/1.0\r\nCSeq: 3\r\n${auth}\r\n`), /^RTSP\/1\.0 404 /);
  const multicast = `SETUP ${sim.rtspUrl.sub}/trackID=0 RTSP/1.0\r\nCSeq: 4\r\n${auth}Transport: RTP/AVP;multicast\r\n\r\n`;
  assert.match(await exchange(multicast), /^RTSP\/1\.0 461 /);
  const setup = (n: number): string => `SETUP ${sim.rtspUrl.sub}/trackID=0 RTSP/1.0\r\nCSeq: ${n}\r\n${auth}Transport: RTP/AVP;unicast;client_port=${40000 + 2 * n}-${40001 + 2 * n}\r\n\r\n`;
  const many = await exchange([1, 2, 3, 4, 5].map(setup).join(''));
  assert.equal(many.match(/RTSP\/1\.0 200 OK/g)?.length, 4);
  assert.match(many, /RTSP\/1\.0 453 Not Enough Bandwidth\r\nCSeq: 5/);
  assert.match(await exchange(`PLAY ${sim.rtspUrl.sub} RTSP/1.0\r\nCSeq: 5\r\n${auth}Session: nope\r\n\r\n`), /^RTSP\/1\.0 454 /);
  assert.match(await exchange(`GET_PARAMETER ${sim.rtspUrl.sub} RTSP/1.0\r\nCSeq: 6\r\n${auth}\r\n`), /^RTSP\/1\.0 200 OK\r\nCSeq: 6\r\n/);
  assert.match(await exchange(`RECORD ${sim.rtspUrl.sub} RTSP/1.0\r\nCSeq: 7\r\n${auth}\r\n`), /^RTSP\/1\.0 501 /);
  const result = await decode(withCredentials(sim.rtspUrl.sub), 'tcp', 1);
  assert.deepEqual(result.sizes, ['320x180'], result.stderr);
});

test('stopRtsp closes the port and cuts readers; startRtsp serves again on the same port', async () => {
  const port = sim.rtspPort;
  const reading = decode(withCredentials(sim.rtspUrl.sub), 'tcp', 10_000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await sim.stopRtsp();
  const cut = await reading;
  assert.ok(cut.sizes.length < 10_000, 'the reader was cut off');
  await assert.rejects(exchange('OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 1\r\n\r\n', port), /ECONNREFUSED/);
  await sim.startRtsp();
  assert.equal(sim.rtspPort, port);
  const again = await decode(withCredentials(sim.rtspUrl.sub), 'tcp', 1);
  assert.deepEqual(again.sizes, ['320x180'], again.stderr);
});

test('--video: a looped video file is served, scaled to the profile size', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-camsim-'));
  const clip = join(dir, 'clip.mp4');
  let fileSim: CameraSim | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const make = spawn(ffmpegPath, ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=s=160x120:r=5:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip]);
      make.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}`))));
    });
    fileSim = await startCameraSim({ source: { kind: 'file', path: clip }, discoveryPort: null, sub: { width: 160, height: 90, fps: 5 } });
    // Two seconds of frames from a one-second clip: the loop restarts the file.
    const result = await decode(fileSim.rtspUrl.sub, 'tcp', 12);
    assert.equal(result.sizes.length, 12, result.stderr);
    assert.equal(result.sizes[0], '160x90');
  } finally {
    await fileSim?.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
