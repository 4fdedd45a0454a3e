import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unsafeName } from './bundle-entries.js';

test('entry names: bundle paths are safe; absolute, drive, backslash, .., empty segments and control characters are not', () => {
  for (const safe of ['manifest.json', 'evidence/evd_06h4v5v1ey9f71mhms51qfp7x8.mp4', 'evidence/evd_x.metadata.json']) assert.equal(unsafeName(safe), null, safe);
  const unsafe: Array<[string, RegExp]> = [
    ['/etc/passwd', /absolute/], ['C:/evil.mp4', /absolute/], ['evidence\\evil.mp4', /backslash/], ['../evil.mp4', /\.\./],
    ['evidence/../../evil', /\.\./], ['evidence//x.mp4', /empty/], ['./x.mp4', /"\."/], ['x\u0000.mp4', /control/], ['', /empty name/],
  ];
  for (const [name, why] of unsafe) assert.match(unsafeName(name) ?? '', why, JSON.stringify(name));
});
