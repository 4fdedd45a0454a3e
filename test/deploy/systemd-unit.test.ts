import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DEFAULT_UNIT_SETTINGS, renderPluginUnit } from '../../plugin/cli/systemd-unit.js';

const SHIPPED = new URL('../../deploy/systemd/vigil-plugin.service', import.meta.url);

const directives = (unit: string): Map<string, string[]> => {
  const found = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) found.set(match[1], [...(found.get(match[1]) ?? []), match[2] ?? '']);
  }
  return found;
};

test('deploy/systemd/vigil-plugin.service is what vigil plugin install writes with the default paths', async () => {
  assert.equal(await readFile(SHIPPED, 'utf8'), renderPluginUnit(DEFAULT_UNIT_SETTINGS));
});

test('the unit restarts on failure as the vigil user, with a state directory, an environment file and no watchdog', () => {
  const unit = directives(renderPluginUnit({ ...DEFAULT_UNIT_SETTINGS, configPath: '/srv/store 12/plugin.yaml' }));
  assert.deepEqual(unit.get('Type'), ['simple']);
  assert.deepEqual(unit.get('Restart'), ['on-failure']);
  assert.deepEqual(unit.get('User'), ['vigil']);
  assert.deepEqual(unit.get('StateDirectory'), ['vigil-plugin']);
  assert.deepEqual(unit.get('EnvironmentFile'), ['/etc/vigil/plugin.env']);
  assert.ok(unit.get('Environment')?.includes('VIGIL_DATA_DIR=%S/vigil-plugin'));
  assert.equal(unit.get('WatchdogSec'), undefined, 'no sd_notify in the plugin, so no watchdog');
  assert.deepEqual(unit.get('ExecStart'), ['/usr/bin/node /opt/vigil/bin/vigil.mjs plugin --config "/srv/store 12/plugin.yaml"']);
  assert.deepEqual(unit.get('WantedBy'), ['multi-user.target']);
});
