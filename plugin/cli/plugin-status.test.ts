import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { healthReport, pluginHealthReportSchema, startHealthServer, type PluginStatus } from '../health/index.js';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, ...args], { timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

/** A status as RunningPlugin.status() returns it: one camera streaming, one reconnecting, a VMS that refused. */
const STATUS: PluginStatus = {
  cameras: [
    {
      cameraId: 'cam_0123456789ab', name: 'Lane 1',
      capture: { cameraId: 'cam_0123456789ab', state: 'streaming', fps: 5, targetFps: 5, lastFrameAt: 1_765_000_000_000, restarts: 0, lastError: null, dropped: 0, since: 1_765_000_000_000 },
      recorder: null, pipeline: { frames: 10, detected: 4, hits: 1, detectorErrors: 0, restarts: 0 }, events: { raised: 1, failed: 0, pending: 0 },
    },
    {
      cameraId: 'cam_abcdefabcdef', name: 'Exit',
      capture: { cameraId: 'cam_abcdefabcdef', state: 'degraded', fps: 0, targetFps: 5, lastFrameAt: null, restarts: 3, lastError: 'Connection refused', dropped: 0, since: 1_765_000_000_000 },
      recorder: null, pipeline: { frames: 0, detected: 0, hits: 0, detectorErrors: 0, restarts: 0 }, events: { raised: 0, failed: 0, pending: 0 },
    },
  ],
  outbox: {
    health: 'retrying', conditions: ['retrying'], pending: 7, bytesOnDisk: 4096, maxBytes: 1_073_741_824, oldestPendingAgeMs: 2000,
    lastError: { at: 1_765_000_000_000, stream: 'events', kind: 'retry', message: 'hub answered 503' }, lastSuccessAt: undefined,
    delivered: 12, deadLettered: 0, deadLetterPath: '/var/lib/vigil-plugin/outbox/dead-letter.jsonl', streams: [],
  },
  pos: null,
  vms: { vendor: 'milestone', state: 'misconfigured', sent: 2, failed: 1, lastError: 'analytics event "Vigil" is not defined', lastSuccessAt: null },
  storeRules: {},
  missingCameras: [],
};

test('vigil plugin status prints cameras, outbox depth, the VMS state and the last error from the health endpoint', { timeout: 120_000 }, async (t) => {
  const server = await startHealthServer({ host: '127.0.0.1', port: 0, report: () => healthReport(STATUS, { version: '0.1.0', startedAt: new Date('2026-12-06T08:00:00Z') }) });
  t.after(() => server.close());
  const result = await run(['plugin', 'status', '--url', server.url]);
  assert.equal(result.code, 2, `degraded exits 2: ${result.stderr}`);
  assert.match(result.stdout, /^plugin 0\.1\.0: degraded/m);
  assert.match(result.stdout, /cam_0123456789ab\s+streaming\s+5\.0 fps/);
  assert.match(result.stdout, /cam_abcdefabcdef\s+degraded .*last error: Connection refused/);
  assert.match(result.stdout, /^outbox: 7 pending, retrying/m);
  assert.match(result.stdout, /^vms: milestone misconfigured \(2 sent, 1 failed\)/m);
  assert.match(result.stdout, /^last error: outbox\/events at 2025-12-06T05:46:40\.000Z: retry: hub answered 503$/m);
  const json = await run(['plugin', 'status', '--url', server.url, '--json']);
  assert.equal(pluginHealthReportSchema.parse(JSON.parse(json.stdout)).outbox.pending, 7);
});

test('the health endpoint is read-only and answers only /healthz; no plugin at the URL is a clear error', { timeout: 120_000 }, async (t) => {
  const server = await startHealthServer({ host: '127.0.0.1', port: 0, report: () => healthReport(STATUS, { version: '0.1.0', startedAt: new Date() }) });
  const url = server.url;
  t.after(() => server.close());
  assert.equal((await fetch(`${url}/healthz`, { method: 'POST' })).status, 405);
  assert.equal((await fetch(`${url}/other`)).status, 404);
  await server.close();
  const result = await run(['plugin', 'status', '--url', url]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /unavailable: no plugin answers at http:\/\/127\.0\.0\.1:\d+\/healthz/);
});
