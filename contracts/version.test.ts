import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compareVersions, MIN_PLUGIN_VERSION, pluginUserAgent, pluginVersionFromUserAgent, vigilPackageRoot, vigilVersion } from './version.js';

test('vigilVersion is package.json\'s version, found from the sources (and from dist/ alike)', () => {
  const manifest = JSON.parse(readFileSync(`${vigilPackageRoot()}/package.json`, 'utf8')) as { name: string; version: string };
  assert.equal(manifest.name, 'vigil');
  assert.equal(vigilVersion(), manifest.version);
  assert.ok((compareVersions(vigilVersion(), MIN_PLUGIN_VERSION) ?? -1) >= 0, 'this release supports itself');
});

test('the plugin\'s User-Agent carries its version, and the hub reads it back', () => {
  assert.equal(pluginUserAgent('1.2.3'), 'vigil-plugin/1.2.3');
  assert.equal(pluginVersionFromUserAgent('vigil-plugin/1.2.3'), '1.2.3');
  assert.equal(pluginVersionFromUserAgent('curl/8.0 vigil-plugin/0.9.0-rc.1'), '0.9.0-rc.1');
  assert.equal(pluginVersionFromUserAgent('Mozilla/5.0'), undefined);
  assert.equal(pluginVersionFromUserAgent(undefined), undefined);
});

test('compareVersions orders major.minor.patch numerically and refuses what is not a version', () => {
  assert.ok((compareVersions('0.9.0', '0.10.0') ?? 0) < 0);
  assert.equal(compareVersions('1.2.3', '1.2.3+build.5'), 0);
  assert.ok((compareVersions('2.0.0', '1.99.99') ?? 0) > 0);
  assert.equal(compareVersions('latest', '1.0.0'), undefined);
});
