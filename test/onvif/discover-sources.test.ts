import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { z } from 'zod';
import { BASE_DEVICE, serveFixtureDevice } from './fixture-device.js';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));

function discover(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, 'discover', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

const reportSchema = z.array(z.object({
  sources: z.array(z.object({ index: z.number(), videoSourceToken: z.string().nullable(), streams: z.object({ evidence: z.object({ profileToken: z.string() }) }).nullable() })),
  description: z.object({ skippedProfiles: z.array(z.object({ token: z.string().nullable() })) }),
}));

test('vigil discover lists one entry per video source of an NVR, and the profiles it skipped', { timeout: 60_000 }, async (t) => {
  const nvr = await serveFixtureDevice({ ...BASE_DEVICE, GetProfiles: 'nvr-get-profiles.xml' });
  t.after(() => nvr.close());
  const json = await discover(['--device', nvr.xaddr, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const [report] = reportSchema.parse(JSON.parse(json.stdout));
  assert.deepEqual(report?.sources.map((s) => [s.index, s.videoSourceToken, s.streams?.evidence.profileToken]), [
    [1, 'VideoSource_1', 'ch1_main'], [2, 'VideoSource_2', 'ch2_sub'], [3, 'VideoSource_3', 'ch3_main'],
  ]);
  assert.deepEqual(report?.description.skippedProfiles.map((s) => s.token), ['ch2_main', 'ch2_audio']);
  const table = await discover(['--device', nvr.xaddr]);
  assert.match(table.stdout, /video source 2: VideoSource_2/);
  assert.match(table.stdout, /skipped profile ch2_main: .*Resolution/);
});
