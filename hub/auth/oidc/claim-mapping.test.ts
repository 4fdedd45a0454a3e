import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapClaims, type ClaimMappingConfig, type DirectoryView } from './claim-mapping.js';
import { oidcConfigSchema } from './config-schema.js';
import { safeReturnTo } from './return-to.js';
import { parseSessionCookie } from './sessions.js';

const directory: DirectoryView = {
  stores: [{ id: 'sto_aaaaaaaaaaaa', code: '0042', regionId: 'reg_nnnnnnnnnnnn' }, { id: 'sto_bbbbbbbbbbbb', code: '0043', regionId: 'reg_ssssssssssss' }],
  regions: [{ id: 'reg_nnnnnnnnnnnn', name: 'North' }, { id: 'reg_ssssssssssss', name: 'South' }],
};
const config = (extra: Partial<ClaimMappingConfig> = {}): ClaimMappingConfig => ({
  ...oidcConfigSchema.parse({ issuer: 'https://idp.example', clientId: 'c', tenantId: 'ten_aaaaaaaaaaaa' }), ...extra,
});

test('roles come from role names or the configured group map; the broadest wins; unknown groups grant nothing', () => {
  assert.equal(mapClaims(config(), { roles: ['store_staff'] }, directory).role, 'store_staff');
  assert.equal(mapClaims(config(), { groups: ['Cafeteria', 'everyone'] }, directory).role, null);
  const mapped = config({ roleMap: { 'LP-Reviewers': 'central_reviewer', 'Store-Staff': 'store_staff' } });
  assert.equal(mapClaims(mapped, { groups: ['Store-Staff', 'LP-Reviewers'] }, directory).role, 'central_reviewer');
  assert.equal(mapClaims(config(), { roles: 'store_staff lp_admin' }, directory).role, 'lp_admin', 'space-separated claims count');
  assert.equal(mapClaims(config(), { roles: ['plugin'] }, directory).role, null, 'a person is never a plugin');
});

test('stores and regions by id, code, name or group prefix; names the tenant does not have are dropped', () => {
  const byClaim = mapClaims(config(), { roles: ['store_staff'], stores: ['0042', 'sto_bbbbbbbbbbbb', '9999'], regions: ['North', 'Atlantis'] }, directory);
  assert.deepEqual(byClaim.storeIds, ['sto_aaaaaaaaaaaa', 'sto_bbbbbbbbbbbb']);
  assert.deepEqual(byClaim.regionIds, ['reg_nnnnnnnnnnnn']);
  const byGroup = mapClaims(config({ storeGroupPrefix: 'vigil-store-', regionGroupPrefix: 'vigil-region-' }), { groups: ['vigil-store-0043', 'vigil-region-South', 'store_manager'] }, directory);
  assert.equal(byGroup.role, 'store_manager');
  assert.deepEqual(byGroup.storeIds, ['sto_bbbbbbbbbbbb']);
  assert.deepEqual(byGroup.regionIds, ['reg_ssssssssssss']);
});

test('returnTo accepts same-origin paths only', () => {
  assert.equal(safeReturnTo('/console?x=1#y'), '/console?x=1#y');
  for (const bad of ['//evil.example', 'https://evil.example/', '/\\evil.example', 'console', '/a\nb', '']) assert.equal(safeReturnTo(bad), null, JSON.stringify(bad));
});

test('a session cookie must be tenant id, session id and a 43-character secret', () => {
  const secret = 'A'.repeat(43);
  assert.deepEqual(parseSessionCookie(`ten_aaaaaaaaaaaa.ses_bbbbbbbbbbbb.${secret}`), { tenantId: 'ten_aaaaaaaaaaaa', sessionId: 'ses_bbbbbbbbbbbb', secret });
  for (const bad of [undefined, '', 'x', `ten_aaaaaaaaaaaa.ses_bbbbbbbbbbbb`, `usr_aaaaaaaaaaaa.ses_bbbbbbbbbbbb.${secret}`, `ten_aaaaaaaaaaaa.ses_bbbbbbbbbbbb.${secret}.x`, `ten_aaaaaaaaaaaa.ses_bbbbbbbbbbbb.short`]) {
    assert.equal(parseSessionCookie(bad), null, String(bad));
  }
});
