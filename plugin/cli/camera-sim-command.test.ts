import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { z } from 'zod';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));
const ffmpegPath = (await import('@ffmpeg-installer/ffmpeg')).default.path;

const camerasSchema = z.array(z.object({
  name: z.string(), onvifUrl: z.string(), rtspUrl: z.object({ main: z.string(), sub: z.string() }), discoveryPort: z.number(),
}));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

/** ffmpeg processes whose parent is `pid` (Linux /proc). */
function ffmpegChildren(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return parent === pid && stat.includes('(ffmpeg)') ? [Number(d)] : [];
    } catch {
      return []; // the process ended while we looked
    }
  });
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('vigil camera-sim --count 2 serves two cameras that discover finds; Ctrl-C stops them and their ffmpeg children', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, async () => {
  const child = spawn(process.execPath, [VIGIL, 'camera-sim', '--count', '2', '--http-port', '0', '--rtsp-port', '0', '--discovery-port', '0',
    '--user', 'admin', '--password', 'pw', '--sub', '320x180@5', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += String(c);
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child.on('exit', () => reject(new Error('camera-sim exited early')));
    });
    const cameras = camerasSchema.parse(JSON.parse(firstLine));
    assert.deepEqual(cameras.map((c) => c.name), ['Vigil camera-sim 1', 'Vigil camera-sim 2']);

    const targets = cameras.flatMap((c) => ['--probe-target', `127.0.0.1:${c.discoveryPort}`]);
    const found = await run(['discover', ...targets, '--timeout', '1', '--user', 'admin', '--password', 'pw', '--json']);
    assert.equal(found.code, 0, found.stderr);
    const reports = z.array(z.object({ xaddr: z.string(), streams: z.object({ analysis: z.object({ uri: z.string() }) }) })).parse(JSON.parse(found.stdout));
    assert.deepEqual(reports.map((r) => r.xaddr).sort(), cameras.map((c) => c.onvifUrl).sort());
    // Sub is 320x180, under the 320 px analysis minimum: the main stream is chosen for analysis.
    assert.deepEqual(reports.map((r) => r.streams.analysis.uri).sort(), cameras.map((c) => c.rtspUrl.main).sort());

    const read = await new Promise<number | null>((resolve) => {
      const reader = spawn(ffmpegPath, ['-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', (cameras[0]?.rtspUrl.sub ?? '').replace('rtsp://', 'rtsp://admin:pw@'), '-frames:v', '1', '-f', 'null', '-']);
      reader.on('exit', resolve);
    });
    assert.equal(read, 0);
    const encoders = ffmpegChildren(child.pid ?? 0);
    assert.ok(encoders.length >= 1, 'an encoder ran for the reader');
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.deepEqual(encoders.filter(isAlive), []);
  } finally {
    child.kill('SIGKILL');
  }
});

test('vigil camera-sim and discover refuse bad options with a clear message', async () => {
  const missing = await run(['camera-sim', '--video', '/nonexistent/clip.mp4', '--http-port', '0', '--rtsp-port', '0', '--no-discovery']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /bad_request: --video \/nonexistent\/clip\.mp4: no such file/);
  const size = await run(['camera-sim', '--sub', 'big', '--http-port', '0', '--rtsp-port', '0', '--no-discovery']);
  assert.match(size.stderr, /WIDTHxHEIGHT@FPS/);
  const target = await run(['discover', '--probe-target', 'nowhere']);
  assert.match(target.stderr, /HOST:PORT/);
});
