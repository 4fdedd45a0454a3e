import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Router from '@koa/router';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Knex } from 'knex';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import { User } from '../../models/index.js';
import type { AppState } from '../api/state.js';
import { inTenant } from '../auth/oidc/tenant-transaction.js';
import { DevAccounts, type DevAccount } from './accounts.js';
import { ensureDemoDirectory, type DemoDirectory } from './demo-directory.js';
import { interactionRouter } from './interaction-routes.js';

export const DEV_IDP_PATH = '/idp';
export const DEV_AUDIENCE = 'urn:vigil:hub';
const HUB_CLIENT_ID = 'vigil-hub';
const PLUGIN_CLIENT_ID = 'vigil-plugin-demo';

export interface DevIdp {
  issuer: string;
  audience: string;
  hubClient: { clientId: string; clientSecret: string };
  /** A client-credentials client standing for the demo store's plugin (bound to store A001). */
  pluginClient: { clientId: string; clientSecret: string; stores: string[] };
  accounts: DevAccount[];
  directory: DemoDirectory;
  /** The signing key, private part included: tests forge tokens with it. Never exposed over HTTP. */
  signingKey: JWK;
  router: Router<AppState>;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

export interface StartDevIdpOptions {
  knex: Knex;
  log: Logger;
  /** The hub's base URL; the provider's issuer is `<baseUrl>/idp`. */
  baseUrl: string;
}

/** What a token tells the claims hook, read field by field (oidc-provider's token classes are not exported as types). */
interface TokenFacts {
  kind: string;
  accountId: string | undefined;
  clientStores: string[];
}

function tokenFacts(token: object): TokenFacts {
  const kind: unknown = Reflect.get(token, 'kind');
  const accountId: unknown = Reflect.get(token, 'accountId');
  const client: unknown = Reflect.get(token, 'client');
  const stores: unknown = typeof client === 'object' && client !== null ? Reflect.get(client, 'vigil_stores') : undefined;
  return {
    kind: typeof kind === 'string' ? kind : '',
    accountId: typeof accountId === 'string' ? accountId : undefined,
    clientStores: Array.isArray(stores) ? stores.filter((s): s is string => typeof s === 'string') : [],
  };
}

function configuration(accounts: DevAccounts, hub: DevIdp['hubClient'], plugin: DevIdp['pluginClient'], baseUrl: string, key: JWK): Configuration {
  return {
    clients: [
      {
        client_id: hub.clientId, client_secret: hub.clientSecret, grant_types: ['authorization_code'], response_types: ['code'],
        redirect_uris: [new URL('/auth/callback', baseUrl).href], post_logout_redirect_uris: [new URL('/', baseUrl).href],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: plugin.clientId, client_secret: plugin.clientSecret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic', vigil_stores: plugin.stores,
      },
    ],
    extraClientMetadata: { properties: ['vigil_stores'] },
    jwks: { keys: [key] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], vigil: ['roles', 'stores', 'regions'] },
    // The console reads role and stores from the ID token; it never calls userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, ClientCredentials: 600, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DEV_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'vigil', audience: DEV_AUDIENCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `${DEV_IDP_PATH}/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const claims = accounts.claimsOf(id);
      return claims ? { accountId: id, claims: () => ({ ...claims, sub: id }) } : undefined;
    },
    // Access tokens carry the same role and store claims as the ID token, so an API client needs no login first.
    extraTokenClaims: (_ctx, token) => {
      const t = tokenFacts(token);
      if (t.kind === 'ClientCredentials') return { stores: t.clientStores };
      const claims = t.accountId ? accounts.claimsOf(t.accountId) : undefined;
      return claims ? { roles: claims.roles, stores: claims.stores, regions: claims.regions, email: claims.email } : {};
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Sign-in error</title><h1>Sign-in error</h1><pre>${String(out.error).replace(/[<>&]/g, '')}: ${String(out.error_description ?? '').replace(/[<>&]/g, '')}</pre>`;
    },
  };
}

/**
 * The built-in OpenID provider for the demo and the tests, on oidc-provider, mounted at /idp of the hub's
 * own server. Keys, client secrets and passwords are made fresh at every start; the adapter is in memory.
 */
export async function startDevIdp(options: StartDevIdpOptions): Promise<DevIdp> {
  const issuer = new URL(DEV_IDP_PATH, options.baseUrl).href;
  const directory = await ensureDemoDirectory(options.knex);
  const accounts = new DevAccounts();
  // The issuer contains the port: a demo restarted on another port is still the same provider for its seeded people.
  await inTenant(options.knex, directory.tenantId, async (trx) => {
    await User.query(trx).patch({ issuer }).where('tenant_id', directory.tenantId).whereIn('subject', accounts.seeded.map((a) => a.accountId)).whereNot('issuer', issuer);
  });
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  const hubClient = { clientId: HUB_CLIENT_ID, clientSecret: randomBytes(24).toString('base64url') };
  const pluginClient = { clientId: PLUGIN_CLIENT_ID, clientSecret: randomBytes(24).toString('base64url'), stores: ['A001'] };
  const provider = new Provider(issuer, configuration(accounts, hubClient, pluginClient, options.baseUrl, signingKey));
  provider.proxy = false;
  provider.on('server_error', (_ctx, error) => options.log.error({ err: error }, 'dev IdP server error'));
  const callback = provider.callback();
  return {
    issuer, audience: DEV_AUDIENCE, hubClient, pluginClient, accounts: accounts.seeded, directory, signingKey,
    router: interactionRouter(provider, accounts),
    handle(req, res) {
      // Mounted under /idp: the provider derives its endpoint URLs from originalUrl minus url.
      const mounted = req as IncomingMessage & { originalUrl?: string };
      mounted.originalUrl = req.url ?? '/';
      req.url = (req.url ?? '/').slice(DEV_IDP_PATH.length) || '/';
      void callback(req, res);
    },
  };
}
