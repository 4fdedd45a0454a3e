import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PluginConfigError, loadPluginConfig } from './index.js';

const TOKEN = 'vgl_Zq3kP9sT4bW7xY2mN5cV8rL1dF6gH0jA3eU';
const RTSP_PASSWORD = 'Sup3rSecretCamPass';
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const VALID = `
hub:
  url: https://hub.example.com
  token: ${TOKEN}
dataDir: /var/lib/vigil
timezone: Europe/Berlin
cameras:
  - id: cam_01jd0x6q8e4t0m3v7x9k2c5b1n
    storeId: sto_01jd0x6q8e4t0m3v7x9k2c5b1n
    laneId: lan_01jd0x6q8e4t0m3v7x9k2c5b1n
    analysisUrl: rtsp://admin:${RTSP_PASSWORD}@10.0.0.21/sub
    evidenceUrl: rtsp://admin:${RTSP_PASSWORD}@10.0.0.21/main
    transport: udp
    zones:
      - name: lane-2-scanner
        type: scanner
        polygon: [[0, 0.5], [0.5, 0.5], [0.5, 1], [0, 1]]
      - name: door
        type: exit
        polygon: [[0.8, 0], [1, 0], [1, 1]]
model:
  path: models/nanodet-m.onnx
  decoder: nanodet
  scoreThreshold: 0.4
rules:
  - rule: zone_dwell
    zoneType: scanner
    minSeconds: 20
    hours: { from: "18:00", to: "22:00" }
`;

async function withFile(t: { after: (fn: () => Promise<void>) => void }, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-config-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'plugin.yaml');
  await writeFile(file, text);
  return file;
}

async function problemsOf(file: string, env: NodeJS.ProcessEnv = {}): Promise<PluginConfigError> {
  try {
    await loadPluginConfig(file, env);
  } catch (error) {
    assert.ok(error instanceof PluginConfigError, `expected PluginConfigError, got ${String(error)}`);
    assert.equal(error.code, 'config_invalid');
    return error;
  }
  throw new Error('expected the config to be refused');
}

test('a valid file loads with defaults filled in and VIGIL_* overrides applied', async (t) => {
  const file = await withFile(t, VALID);
  const { config, warnings, envApplied } = await loadPluginConfig(file, { VIGIL_ANALYSIS_FPS: '8', VIGIL_HUB_URL: 'https://hub2.example.com' });
  assert.equal(config.hub.url, 'https://hub2.example.com');
  assert.equal(config.hub.token, TOKEN);
  assert.equal(config.analysis.fps, 8);
  assert.equal(config.analysis.width, 640);
  assert.deepEqual({ pre: config.evidence.preSeconds, post: config.evidence.postSeconds, window: config.evidence.windowSeconds }, { pre: 5, post: 5, window: 60 });
  assert.equal(config.cameras[0]?.transport, 'udp');
  assert.equal(config.cameras[0]?.zones.length, 2);
  assert.deepEqual((config.rules[0]?.settings as { labels?: string[] } | undefined)?.labels, ['person']);
  assert.equal(config.outbox.maxBytes, 1024 ** 3);
  assert.deepEqual(warnings, []);
  assert.deepEqual(envApplied.sort(), ['VIGIL_ANALYSIS_FPS', 'VIGIL_HUB_URL']);
});

test('a file with several errors lists every one of them (path and message), secrets redacted', async (t) => {
  const broken = VALID.replace('id: cam_01jd0x6q8e4t0m3v7x9k2c5b1n', 'id: sto_01jd0x6q8e4t0m3v7x9k2c5b1n')
    .replace('type: exit', 'type: parking')
    .replace('[0.8, 0], [1, 0]', '[1.8, 0], [1, 0]')
    .replace('transport: udp', 'transport: sctp\n    colour: blue')
    .replace('minSeconds: 20', 'minSeconds: -3')
    .replace(`token: ${TOKEN}`, `token: ${TOKEN}!`)
    .concat('analysis:\n  fps: 100\nevidence:\n  preSeconds: 50\n  postSeconds: 50\n');
  const file = await withFile(t, broken);
  const error = await problemsOf(file);
  const paths = error.problems.map((p) => p.path);
  for (const expected of [
    'hub.token',
    'cameras.0.id',
    'cameras.0.transport',
    'cameras.0',
    'cameras.0.zones.1.type',
    'cameras.0.zones.1.polygon.0.0',
    'rules.0.minSeconds',
    'analysis.fps',
    'evidence.windowSeconds',
  ]) {
    assert.ok(paths.includes(expected), `missing problem at ${expected}; got ${paths.join(', ')}`);
  }
  assert.ok(error.problems.length >= 9);
  assert.match(error.message, /cameras\.0\.transport: /);
  assert.ok(!error.message.includes(TOKEN), 'the token is never printed');
  assert.ok(!error.message.includes(RTSP_PASSWORD), 'camera passwords are never printed');
});

test('a rule type the plugin does not know, or a setting its type does not have, is refused at its path', async (t) => {
  const file = await withFile(t, VALID.replace('minSeconds: 20', 'minSeconds: 20\n    colour: blue').replace('rule: zone_dwell', 'rule: teleportation'));
  const paths = (await problemsOf(file)).problems.map((p) => p.path);
  assert.ok(paths.includes('rules.0.rule'), `got ${paths.join(', ')}`);
  const typo = await withFile(t, VALID.replace('minSeconds: 20', 'minSeconds: 20\n    minSecnds: 5'));
  assert.ok((await problemsOf(typo)).problems.some((p) => p.path === 'rules.0' && /minSecnds/.test(p.message)));
});

test('cross-field problems are reported together with field errors', async (t) => {
  const text = VALID.replace('zoneType: scanner', 'zoneType: high_value\n    cameras: [cam_01jd0x6q8e4t0m3v7x9k2c5b1z]').replace('fps', 'fps');
  const file = await withFile(t, `${text}analysis:\n  fps: 0\n`);
  const error = await problemsOf(file);
  const paths = error.problems.map((p) => p.path);
  assert.ok(paths.includes('analysis.fps'));
  assert.ok(paths.includes('rules.0.cameras.0'), `got ${paths.join(', ')}`);
  assert.ok(paths.includes('rules.0.zoneType'));
});

test('an invalid VIGIL_* value is reported at the field it overrides', async (t) => {
  const file = await withFile(t, VALID);
  const error = await problemsOf(file, { VIGIL_ANALYSIS_FPS: 'fast', VIGIL_HUB_TOKEN: 'not-a-token' });
  assert.deepEqual(error.problems.map((p) => p.path).sort(), ['analysis.fps', 'hub.token']);
  assert.ok(!error.message.includes('not-a-token'));
});

test('malformed YAML is reported by position without quoting the line (which may hold the token)', async (t) => {
  const file = await withFile(t, `hub:\n  url: https://hub.example.com\n  token: [${TOKEN}\ncameras: {\n`);
  const error = await problemsOf(file);
  assert.ok(error.problems.length >= 1);
  assert.ok(error.problems.every((p) => p.path === '(file)'));
  assert.match(error.message, /line \d+, column \d+/);
  assert.ok(!error.message.includes(TOKEN));
});

test('plain http to a remote hub loads but warns loudly', async (t) => {
  const file = await withFile(t, VALID.replace('https://hub.example.com', 'http://hub.example.com'));
  const { warnings } = await loadPluginConfig(file, {});
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /plain http/);
});

test('vigil plugin-check exits non-zero listing every problem, and 0 for a valid file', async (t) => {
  const bad = await withFile(t, VALID.replace('transport: udp', 'transport: sctp').replace('decoder: nanodet', 'decoder: resnet'));
  const run = (file: string) => spawnSync(process.execPath, ['bin/vigil.mjs', 'plugin-check', '--config', file], { cwd: REPO, encoding: 'utf8', env: { ...process.env, VIGIL_HUB_TOKEN: '' } });
  const failed = run(bad);
  assert.equal(failed.status, 1, failed.stderr);
  assert.match(failed.stderr, /cameras\.0\.transport/);
  assert.match(failed.stderr, /model\.decoder/);
  assert.ok(!`${failed.stderr}${failed.stdout}`.includes(TOKEN));
  const good = await withFile(t, VALID);
  const passed = run(good);
  assert.equal(passed.status, 0, passed.stderr);
  assert.match(passed.stdout, /configuration OK/);
  assert.ok(!`${passed.stderr}${passed.stdout}`.includes(TOKEN));
  assert.ok(!`${passed.stderr}${passed.stdout}`.includes(RTSP_PASSWORD));
});
