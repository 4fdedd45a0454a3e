import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadPluginConfig } from '../config/index.js';

const EXAMPLE = fileURLToPath(new URL('../../plugin.example.yaml', import.meta.url));

test('plugin.example.yaml (the documented config) validates, with its camera, zone and rule', async () => {
  const { config } = await loadPluginConfig(EXAMPLE, {});
  assert.equal(config.cameras.length, 1);
  assert.equal(config.cameras[0]?.zones[0]?.type, 'customer');
  assert.equal(config.rules[0]?.rule, 'zone_dwell');
  assert.equal(config.model.decoder, 'nanodet');
});

test('a broken copy of the example is refused with every problem listed', async () => {
  await assert.rejects(loadPluginConfig(EXAMPLE, { VIGIL_HUB_URL: 'ftp://nope', VIGIL_ANALYSIS_FPS: '500' }), (error: Error & { problems?: Array<{ path: string }> }) => {
    const paths = (error.problems ?? []).map((p) => p.path);
    assert.ok(paths.includes('hub.url'), paths.join(', '));
    assert.ok(paths.includes('analysis.fps'), paths.join(', '));
    return true;
  });
});
