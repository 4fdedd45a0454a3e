import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeReturnTo } from './return-to.js';
import { OPEN_REDIRECTS } from './test-support/open-redirects.js';

test('returnTo: every form that resolves to another host is refused after decoding and dot-segment resolution', () => {
  for (const bad of [...OPEN_REDIRECTS, '', 'console', '/a\nb', '/%zz', `/${'a'.repeat(2001)}`]) assert.equal(safeReturnTo(bad), null, JSON.stringify(bad));
});

test('returnTo: good paths are kept, normalised, and a second pass changes nothing', () => {
  const cases: Array<[string, string]> = [['/console', '/console'], ['/console?x=1#y', '/console?x=1#y'], ['/a/../console', '/console'], ['/console/%2e/x', '/console/x'], ['/a%20b', '/a%20b']];
  for (const [input, expected] of cases) {
    assert.equal(safeReturnTo(input), expected, input);
    assert.equal(safeReturnTo(expected), expected, `${expected} is a fixed point`);
  }
});
