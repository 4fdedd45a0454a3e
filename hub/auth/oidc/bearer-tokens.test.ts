import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import Koa from 'koa';
import type { AppState } from '../../api/state.js';
import { authRouter } from './auth-routes.js';
import { buildEvent } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { oidcConfigSchema } from './config-schema.js';
import { RelyingParty } from './relying-party.js';
import { seedDemo, type DemoFixture } from './test-support/demo-fixture.js';

describe('bearer access tokens from the provider, checked against its JWKS', () => {
  let hub: TestHub;
  let demo: DemoFixture;
  let forge: (claims: JWTPayload, options?: { issuer?: string; audience?: string; expiresIn?: string | number }) => Promise<string>;

  before(async () => {
    hub = await startTestHub({ identity: { devIdp: true } });
    demo = await seedDemo(hub);
    const { signingKey, issuer, audience } = demo.devIdp;
    const key = await importJWK(signingKey, 'RS256');
    forge = (claims, options = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid as string, typ: 'at+jwt' })
        .setIssuer(options.issuer ?? issuer).setAudience(options.audience ?? audience).setIssuedAt(Math.floor(Date.now() / 1000) - 120)
        .setExpirationTime(options.expiresIn ?? '5m').sign(key);
  });
  after(() => hub.stop());

  const staffClaims = (): JWTPayload => {
    const staff = demo.account('store_staff');
    return { sub: staff.accountId, client_id: 'vigil-hub', roles: ['store_staff'], stores: staff.stores, email: staff.email };
  };

  const call = async (token: string, path = '/v1/incidents') => {
    const response = await fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { data?: Array<{ id: string }>; error?: { code: string; message: string } };
    return { status: response.status, body };
  };

  test('a token signed by the provider for the hub is accepted and scoped by its claims', async () => {
    const { status, body } = await call(await forge(staffClaims()));
    assert.equal(status, 200);
    assert.deepEqual(body.data?.map((i) => i.id), [demo.incidents.A]);
  });

  test('wrong audience fails closed', async () => {
    const { status, body } = await call(await forge(staffClaims(), { audience: 'urn:someone-else' }));
    assert.equal(status, 401);
    assert.match(body.error?.message ?? '', /aud/);
  });

  test('wrong issuer fails closed', async () => {
    const { status, body } = await call(await forge(staffClaims(), { issuer: 'https://idp.evil.example' }));
    assert.equal(status, 401);
    assert.match(body.error?.message ?? '', /iss/);
  });

  test('expired token fails closed', async () => {
    const { status, body } = await call(await forge(staffClaims(), { expiresIn: Math.floor(Date.now() / 1000) - 60 }));
    assert.equal(status, 401);
    assert.match(body.error?.message ?? '', /expired/);
  });

  test('alg none fails closed', async () => {
    const unsigned = new UnsecuredJWT(staffClaims()).setIssuer(demo.devIdp.issuer).setAudience(demo.devIdp.audience).setExpirationTime('5m').encode();
    const { status, body } = await call(unsigned);
    assert.equal(status, 401);
    assert.equal(body.error?.code, 'unauthenticated');
  });

  test('bad signature fails closed (a key the provider never published, under its key id)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(staffClaims()).setProtectedHeader({ alg: 'RS256', kid: demo.devIdp.signingKey.kid as string })
      .setIssuer(demo.devIdp.issuer).setAudience(demo.devIdp.audience).setExpirationTime('5m').sign(privateKey);
    const { status, body } = await call(token);
    assert.equal(status, 401);
    assert.match(body.error?.message ?? '', /signature/);
    const [header, payload, signature] = (await forge(staffClaims())).split('.');
    const tampered = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as JWTPayload;
    tampered.roles = ['lp_admin'];
    const edited = `${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${signature}`;
    assert.equal((await call(edited)).status, 401, 'claims edited after signing');
  });

  test('an ID token (it carries a nonce) is not accepted as an access token', async () => {
    const { status, body } = await call(await forge({ ...staffClaims(), nonce: 'n-0123456789' }));
    assert.equal(status, 401);
    assert.match(body.error?.message ?? '', /ID token/);
  });

  test('a token whose claims grant no Vigil role is refused', async () => {
    const { status } = await call(await forge({ sub: 'nobody-special', client_id: 'vigil-hub', roles: ['cafeteria'] }));
    assert.equal(status, 403);
  });

  test('a Keycloak-style service token (user-like sub, service-id claim) is a plugin of its claimed stores, not a person', async () => {
    const token = await forge({ sub: 'f3c1a1d2-service-account', azp: 'plugin-store-a', client_id: 'plugin-store-a', vigil_service_id: 'svc_06h10aaaaaaaaaaaaaaaaaaaaa', stores: ['A001'] });
    const { stores } = demo.devIdp.directory;
    const post = (storeId: string, cameraId: string) => fetch(`${hub.url}/v1/events`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [buildEvent({ cameraId, storeId })] }),
    });
    const own = await post(stores.A001 as string, demo.cameras.A);
    assert.equal(own.status, 200, await own.clone().text());
    assert.equal(((await own.json()) as { created: number }).created, 1);
    const foreign = await post(stores.C001 as string, demo.cameras.C);
    const foreignBody = (await foreign.json()) as { created?: number };
    assert.ok(foreign.status >= 400 || foreignBody.created === 0, JSON.stringify(foreignBody));
    const unbound = await call(await forge({ sub: 'x', client_id: 'plugin-nowhere', vigil_service_id: 'svc_06h10bbbbbbbbbbbbbbbbbbbbb', stores: ['ZZZ'] }));
    assert.equal(unbound.status, 403, 'a service bound to no store of the tenant is refused');
    const users = await hub.db.knex('users').where('subject', 'f3c1a1d2-service-account');
    assert.equal(users.length, 0, 'no user row for a machine');
  });

  test('a service identity (client credentials at the provider) posts events for its own store only', async () => {
    const { pluginClient, issuer } = demo.devIdp;
    const tokenResponse = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${pluginClient.clientId}:${pluginClient.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    assert.equal(tokenResponse.status, 200, await tokenResponse.clone().text());
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    assert.equal(token.split('.').length, 3, 'a JWT access token');
    const { stores } = demo.devIdp.directory;
    const post = (storeId: string, cameraId: string) => fetch(`${hub.url}/v1/events`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [buildEvent({ cameraId, storeId })] }),
    });
    const own = await post(stores.A001 as string, demo.cameras.A);
    assert.equal(own.status, 200, await own.clone().text());
    assert.equal(((await own.json()) as { created: number }).created, 1);
    const foreign = await post(stores.C001 as string, demo.cameras.C);
    const foreignBody = (await foreign.json()) as { created?: number };
    assert.ok(foreign.status >= 400 || foreignBody.created === 0, `a plugin of store A created an event in store C: ${JSON.stringify(foreignBody)}`);
    const read = await call(token);
    if (read.status === 200) assert.ok(read.body.data?.every((i) => i.id !== demo.incidents.C), 'a plugin of store A sees store C');
  });
});

describe('issuer mismatch in discovery', () => {
  let fake: Server;
  let hub: TestHub;
  let provider: TestHub;

  before(async () => {
    provider = await startTestHub({ identity: { devIdp: true } });
    const realIssuer = provider.running.identity.devIdp?.issuer ?? '';
    const document = await (await fetch(`${realIssuer}/.well-known/openid-configuration`)).text();
    // A discovery document served from one place that names another issuer (a spoofing proxy, a typo'd URL).
    fake = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(document));
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const fakeIssuer = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/idp`;
    hub = await startTestHub({
      identity: { oidc: { issuer: fakeIssuer, clientId: 'vigil-hub', clientSecret: 'x', tenantId: provider.running.identity.devIdp?.directory.tenantId ?? '', allowHttp: true } },
    });
  });
  after(async () => {
    await hub.stop();
    await provider.stop();
    await new Promise((resolve) => fake.close(resolve));
  });

  test('cookies are Secure when the public URL is https, even though the hub itself is reached over plain HTTP (TLS proxy)', async () => {
    const devIdp = provider.running.identity.devIdp;
    assert.ok(devIdp);
    const rp = new RelyingParty(oidcConfigSchema.parse({
      issuer: devIdp.issuer, clientId: devIdp.hubClient.clientId, clientSecret: devIdp.hubClient.clientSecret, tenantId: devIdp.directory.tenantId, allowHttp: true,
    }), 'https://vigil.example.com');
    const app = new Koa<AppState>();
    app.use(async (ctx, next) => {
      ctx.state.requestId = 'req_test';
      ctx.state.log = provider.running.log;
      await next();
    });
    app.use(authRouter({ knex: provider.db.knex, rp, secureCookies: true, publicOrigin: 'https://vigil.example.com', session: { idleSeconds: 1800, now: () => new Date() } }).routes());
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/login`, { redirect: 'manual' });
      assert.equal(response.status, 302);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('vigil_login_state='));
      assert.match(cookie ?? '', /;\s*secure/i);
      assert.equal(new URL(response.headers.get('location') ?? '').searchParams.get('redirect_uri'), 'https://vigil.example.com/auth/callback');
    } finally {
      server.close();
    }
  });

  test('login refuses to start and bearer tokens are refused: nothing is trusted from a mismatched document', async () => {
    const login = await fetch(`${hub.url}/auth/login`, { redirect: 'manual' });
    assert.equal(login.status, 503);
    assert.match(login.headers.get('content-type') ?? '', /text\/html/);
    const page = await login.text();
    assert.match(page, /data-code="unavailable"/);
    assert.doesNotMatch(page, /issuer/i, 'a 5xx page stays generic');
    // 5xx messages stay generic for clients; the relying party's own error says why.
    await assert.rejects(new RelyingParty(oidcConfigSchema.parse(hub.running.config.identity.oidc), hub.url).startLogin(), /issuer/i);
    const bearer = await fetch(`${hub.url}/v1/incidents`, { headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig' } });
    assert.notEqual(bearer.status, 200);
    assert.ok(bearer.status === 401 || bearer.status === 503, String(bearer.status));
  });
});
