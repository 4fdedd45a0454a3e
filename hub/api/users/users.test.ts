import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { logIn, seedDemo, openLoginForm, signInUntilCallback, type DemoFixture } from '../../auth/oidc/test-support/demo-fixture.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

interface UserBody { id: string; email: string; role: string; storeIds: string[]; provisionedBy: string; issuer: string | null; disabledAt: string | null }

describe('/v1/users: pre-provisioned people, admin edits, disabling', () => {
  let hub: TestHub;
  let demo: DemoFixture;

  before(async () => {
    hub = await startTestHub({ identity: { devIdp: true } });
    demo = await seedDemo(hub);
  });
  after(() => hub.stop());

  test('an admin pre-provisions a person; the first login binds the identity and the admin\'s role wins over the claims', async () => {
    const manager = demo.account('store_manager');
    const created = await demo.admin.post<UserBody>('/v1/users', { email: manager.email.toUpperCase(), name: 'Mia', role: 'central_reviewer' });
    assert.equal(created.email, manager.email, 'e-mail is stored lower-case');
    assert.equal(created.provisionedBy, 'admin');
    assert.equal(created.issuer, null);
    const browser = await logIn(hub.url, manager);
    const me = (await (await browser.request(`${hub.url}/auth/me`)).json()) as { role: string; user: { id: string } };
    assert.equal(me.role, 'central_reviewer', 'the provider says store_manager; the admin said central_reviewer');
    assert.equal(me.user.id, created.id);
    const bound = await demo.admin.get<UserBody>(`/v1/users/${created.id}`);
    assert.equal(bound.issuer, demo.devIdp.issuer);
    const audit = await demo.admin.get<{ data: Array<{ action: string }> }>(`/v1/audit?subjectType=User&subjectId=${created.id}`);
    assert.deepEqual(audit.data.map((a) => a.action).sort(), ['user.bound', 'user.created']);
  });

  test('users provisioned from claims are listed; an admin edit takes over their role and is audited', async () => {
    await logIn(hub.url, demo.account('store_staff'));
    const list = await demo.admin.get<{ data: UserBody[] }>('/v1/users?role=store_staff');
    const staff = list.data.find((u) => u.email === demo.account('store_staff').email);
    assert.ok(staff);
    assert.equal(staff.provisionedBy, 'oidc');
    assert.deepEqual(staff.storeIds, [demo.devIdp.directory.stores.A001]);
    const storeB = demo.devIdp.directory.stores.B001 as string;
    const updated = await demo.admin.patch<UserBody>(`/v1/users/${staff.id}`, { storeIds: [storeB] });
    assert.deepEqual(updated.storeIds, [storeB]);
    assert.equal(updated.provisionedBy, 'admin');
    const browser = await logIn(hub.url, demo.account('store_staff'));
    const me = (await (await browser.request(`${hub.url}/auth/me`)).json()) as { storeIds: string[] };
    assert.deepEqual(me.storeIds, [storeB], 'a later login keeps the admin\'s scope');
    const audit = await demo.admin.get<{ data: Array<{ action: string }> }>(`/v1/audit?subjectType=User&subjectId=${staff.id}&action=user.updated`);
    assert.equal(audit.data.length, 1);
  });

  test('disabling a user ends their sessions at once and refuses their next login', async () => {
    const auditor = demo.account('auditor');
    const browser = await logIn(hub.url, auditor);
    assert.equal((await browser.request(`${hub.url}/v1/audit`)).status, 200);
    const { data } = await demo.admin.get<{ data: UserBody[] }>(`/v1/users?email=${encodeURIComponent(auditor.email)}`);
    const id = data[0]?.id ?? '';
    const disabled = await demo.admin.post<UserBody>(`/v1/users/${id}/disable`, undefined, 200);
    assert.ok(disabled.disabledAt);
    assert.equal((await browser.request(`${hub.url}/v1/audit`)).status, 401);
    const { browser: again, formUrl } = await openLoginForm(hub.url);
    const callback = await signInUntilCallback(again, formUrl, auditor);
    assert.equal((await again.request(callback)).status, 403);
    await demo.admin.post(`/v1/users/${id}/enable`, undefined, 200);
    await logIn(hub.url, auditor);
  });

  test('bad input is refused with a clear error', async () => {
    const storeA = demo.devIdp.directory.stores.A001 as string;
    const missing = await demo.admin.post<{ error: { code: string; message: string } }>('/v1/users', { email: 'x@demo.test', role: 'store_staff' }, 400);
    assert.match(missing.error.message, /storeIds/);
    const unknown = await demo.admin.post<{ error: { message: string } }>('/v1/users', { email: 'y@demo.test', role: 'store_staff', storeIds: ['sto_0000000000000000000000000z'] }, 400);
    assert.match(unknown.error.message, /unknown stores/);
    await demo.admin.post('/v1/users', { email: 'z@demo.test', role: 'plugin', storeIds: [storeA] }, 400);
    await demo.admin.post('/v1/users', { email: 'not-an-email', role: 'auditor' }, 400);
    await demo.admin.post('/v1/users', { email: 'dup@demo.test', role: 'auditor' }, 201);
    const dup = await demo.admin.post<{ error: { code: string } }>('/v1/users', { email: 'DUP@demo.test', role: 'auditor' }, 409);
    assert.equal(dup.error.code, 'conflict');
    await demo.admin.get('/v1/users/usr_0000000000000000000000000z', 404);
  });

  test('only lp_admin manages users; others read only themselves, another tenant sees none', async () => {
    const browser = await logIn(hub.url, demo.account('central_reviewer'));
    const me = (await (await browser.request(`${hub.url}/auth/me`)).json()) as { user: { id: string } };
    const list = await browser.request(`${hub.url}/v1/users`);
    const listed = ((await list.json()) as { data: UserBody[] }).data.map((u) => u.id);
    assert.deepEqual(listed, [me.user.id]);
    const create = await fetch(`${hub.url}/v1/users`, {
      method: 'POST', headers: { cookie: browser.cookieHeader(), 'content-type': 'application/json' }, body: JSON.stringify({ email: 'w@demo.test', role: 'lp_admin' }),
    });
    assert.equal(create.status, 403);
    const others = await demo.admin.get<{ data: UserBody[] }>('/v1/users?limit=200');
    const someoneElse = others.data.find((u) => u.id !== me.user.id);
    assert.ok(someoneElse);
    assert.equal((await browser.request(`${hub.url}/v1/users/${someoneElse.id}`)).status, 404);
    await hub.admin.get(`/v1/users/${someoneElse.id}`, 404);
    const foreign = await hub.admin.get<{ data: UserBody[] }>('/v1/users');
    assert.equal(foreign.data.length, 0);
  });
});
