import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));
const linuxOnly = process.platform === 'linux' ? false : 'vigil plugin install writes a systemd unit: Linux only';

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, ...args], { timeout: 90_000, env: { ...process.env, VIGIL_HUB_TOKEN: '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

async function workspace(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-install-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const CONFIG = [
  'hub: { url: "https://hub.example.test" }',
  'model: { path: /opt/models/yolov8n.onnx, decoder: yolov8 }',
  'cameras: [{ id: cam_0123456789ab, storeId: sto_0123456789ab, analysisUrl: "rtsp://10.0.0.5/stream1" }]',
  'health: {}',
].join('\n');

test('plugin install --unit-dir --no-enable validates with the environment file\'s token and writes the unit', { skip: linuxOnly, timeout: 120_000 }, async (t) => {
  const dir = await workspace(t);
  const config = join(dir, 'plugin.yaml');
  const envFile = join(dir, 'plugin.env');
  await writeFile(config, CONFIG);
  await writeFile(envFile, '# secrets\nVIGIL_HUB_TOKEN="vgl_installinstallinstall"\n');
  const result = await run(['plugin', 'install', '--config', config, '--unit-dir', join(dir, 'units'), '--environment-file', envFile, '--no-enable']);
  assert.equal(result.code, 0, result.stderr);
  const unit = await readFile(join(dir, 'units', 'vigil-plugin.service'), 'utf8');
  assert.match(unit, new RegExp(`^ExecStart=${process.execPath} ${VIGIL} plugin --config ${config}$`, 'm'));
  assert.match(unit, /^User=vigil$/m);
  assert.match(unit, new RegExp(`^EnvironmentFile=${envFile}$`, 'm'));
  assert.match(result.stdout, /not enabled \(--no-enable\)/);
  assert.match(result.stdout, /vigil plugin status --url http:\/\/127\.0\.0\.1:8788/);
  assert.doesNotMatch(result.stdout, /installinstall/, 'the token is never printed');
});

test('plugin install refuses an invalid config, names each problem and writes nothing', { skip: linuxOnly, timeout: 120_000 }, async (t) => {
  const dir = await workspace(t);
  const config = join(dir, 'plugin.yaml');
  await writeFile(config, 'hub: { url: "ftp://hub" }\nmodel: { path: /m.onnx, decoder: darknet }\ncameras: []\n');
  const result = await run(['plugin', 'install', '--config', config, '--unit-dir', join(dir, 'units'), '--environment-file', join(dir, 'missing.env'), '--no-enable']);
  assert.equal(result.code, 1);
  for (const path of ['hub.url', 'hub.token', 'model.decoder', 'cameras']) assert.match(result.stderr, new RegExp(path.replace('.', '\\.')), result.stderr);
  assert.equal(existsSync(join(dir, 'units', 'vigil-plugin.service')), false);
});
