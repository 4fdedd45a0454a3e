import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from 'knex';
import Koa from 'koa';
import type { Logger } from 'pino';
import { errorHandler } from '../../api/middleware/error-handler.js';
import { requestId } from '../../api/middleware/request-id.js';
import type { AppState } from '../../api/state.js';
import type { HubConfig } from '../../config/index.js';
import { consoleRouter } from '../../console/console-router.js';
import type { DevIdp } from '../../dev-idp/dev-provider.js';
import type { PrincipalResolver } from '../principal-resolver.js';
import { pageSecurityHeaders } from '../security-headers.js';
import { authRouter } from './auth-routes.js';
import { oidcConfigSchema, type OidcConfig } from './config-schema.js';
import { jwtBearerResolver, type ServiceLookup } from './jwt-bearer-resolver.js';
import { RelyingParty } from './relying-party.js';
import { sessionResolver } from './session-resolver.js';

export interface Identity {
  /** Session cookie and provider bearer tokens, for `createHubApp(…, { resolvers })`. */
  resolvers: PrincipalResolver[];
  rp: RelyingParty | null;
  devIdp: DevIdp | null;
  /** Routes /idp (dev provider), /auth and /console here and everything else to the hub's API. */
  handler(api: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void;
}

export interface StartIdentityOptions {
  config: HubConfig;
  knex: Knex;
  log: Logger;
  /** The hub's public base URL (publicUrl, or where it listens). */
  baseUrl: string;
  /** Where this process itself listens; the console asks its own API there. */
  internalUrl: string;
  serviceLookup?: ServiceLookup;
  /** The clock sessions are judged by (absolute and idle limits); tests inject one. */
  now?: () => Date;
}

function devOidcConfig(devIdp: DevIdp): OidcConfig {
  return oidcConfigSchema.parse({
    issuer: devIdp.issuer, clientId: devIdp.hubClient.clientId, clientSecret: devIdp.hubClient.clientSecret, tenantId: devIdp.directory.tenantId,
    audience: devIdp.audience, scopes: ['openid', 'email', 'profile', 'vigil'], allowHttp: true,
  });
}

function announceDevIdp(log: Logger, devIdp: DevIdp): void {
  const lines = devIdp.accounts.map((a) => `    ${a.role.padEnd(17)} ${a.email.padEnd(36)} ${a.password}`);
  log.warn(
    { issuer: devIdp.issuer, tenantId: devIdp.directory.tenantId, users: devIdp.accounts.map(({ email, role }) => ({ email, role })) },
    'DEVELOPMENT IDENTITY PROVIDER IS ON (VIGIL_DEV_IDP=1): anyone with these passwords can log in. Never run it in production.',
  );
  // The JSON log is for machines; whoever started the demo needs to read the logins.
  if (process.env.NODE_ENV !== 'test') {
    process.stderr.write(`\n!!! Vigil dev identity provider at ${devIdp.issuer} (VIGIL_DEV_IDP=1) - never in production !!!\n    role              e-mail                               password\n${lines.join('\n')}\n    plugin (client credentials): ${devIdp.pluginClient.clientId} / ${devIdp.pluginClient.clientSecret} (stores ${devIdp.pluginClient.stores.join(', ')})\n    console: ${new URL('/console', devIdp.issuer).href}\n\n`);
  }
}

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Sets up human login (and the dev provider when asked); with neither configured, it adds nothing. */
export async function startIdentity(options: StartIdentityOptions): Promise<Identity> {
  const { config, knex, log } = options;
  // Loaded only when asked for: oidc-provider is a development dependency of the demo, not of a production hub.
  const devIdp = config.identity.devIdp ? await (await import('../../dev-idp/dev-provider.js')).startDevIdp({ knex, log, baseUrl: options.baseUrl }) : null;
  if (devIdp) announceDevIdp(log, devIdp);
  const oidc = config.identity.oidc ?? (devIdp ? devOidcConfig(devIdp) : null);
  const rp = oidc ? new RelyingParty(oidc, options.baseUrl) : null;
  if (oidc?.allowHttp && !devIdp) log.warn({ issuer: oidc.issuer }, 'OIDC allowHttp is on: tokens travel without TLS');
  const session = { idleSeconds: (oidc?.sessionIdleMinutes ?? 30) * 60, now: options.now ?? (() => new Date()) };
  const resolvers: PrincipalResolver[] = rp ? [jwtBearerResolver(rp, options.serviceLookup ? { serviceLookup: options.serviceLookup } : {}), sessionResolver(session)] : [];
  const publicOrigin = new URL(options.baseUrl).origin;
  const app = new Koa<AppState>({ proxy: config.http.trustProxy });
  app.silent = true;
  app.use(requestId(log));
  app.use(pageSecurityHeaders(oidc ? new URL(oidc.issuer).origin : null));
  app.use(errorHandler());
  if (rp) app.use(authRouter({ knex, rp, secureCookies: options.baseUrl.startsWith('https:'), publicOrigin, session }).routes());
  if (devIdp) app.use(devIdp.router.routes());
  // The console needs a login; without a provider there is none, and /console answers 404 like any unknown path.
  if (rp) app.use(consoleRouter(() => options.internalUrl).routes());
  const identityCallback = app.callback();
  return {
    resolvers, rp, devIdp,
    handler: (api) => (req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (devIdp && isUnder(path, '/idp') && !path.startsWith('/idp/interaction/')) return devIdp.handle(req, res);
      if (isUnder(path, '/auth') || isUnder(path, '/console') || (devIdp && path.startsWith('/idp/interaction/'))) return void identityCallback(req, res);
      return api(req, res);
    },
  };
}
