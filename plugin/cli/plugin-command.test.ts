import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, ...args], { timeout: 90_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

test('vigil plugin refuses a bad config before starting anything: every problem listed, token never echoed, exit 1', { timeout: 120_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-plugin-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'plugin.yaml');
  await writeFile(file, [
    'hub: { url: "ftp://hub", token: "vgl_secretsecretsecret!!" }',
    'model: { path: /nope.onnx, decoder: darknet }',
    'cameras: [{ id: cam_0123456789ab, storeId: sto_0123456789ab, analysisUrl: "http://not-rtsp" }]',
    'analysis: { fps: 90 }',
  ].join('\n'));
  const result = await run(['plugin', '--config', file], { VIGIL_HUB_TOKEN: '' });
  assert.equal(result.code, 1, result.stderr);
  for (const path of ['hub.url', 'hub.token', 'model.decoder', 'cameras.0.analysisUrl', 'analysis.fps']) assert.match(result.stderr, new RegExp(path.replace('.', '\\.')), result.stderr);
  assert.doesNotMatch(result.stderr, /secretsecret/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace for a configuration error');
});
