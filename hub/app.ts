import Router from '@koa/router';
import Koa from 'koa';
import { systemClock, type Clock } from '../contracts/index.js';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { authenticate, type RulesLoader } from './api/middleware/authenticate.js';
import { apiTokenResolver } from './auth/api-token-resolver.js';
import type { PrincipalResolver } from './auth/principal-resolver.js';
import { errorHandler } from './api/middleware/error-handler.js';
import { urlGuard } from './api/input-guard.js';
import { FailedAuthLimiter, rateLimit } from './api/middleware/rate-limit.js';
import { requestId } from './api/middleware/request-id.js';
import { mountHealth } from './api/health.js';
import { mountEvidenceStreams } from './api/evidence/stream-routes.js';
import { mountPosRoutes } from './api/pos/router.js';
import { mountIncidentStream } from './api/incidents/stream-route.js';
import { secretBoxFromConfig } from './webhooks/index.js';
import { createMetrics, type HubMetrics } from './api/metrics.js';
import { pluginVersionWatch } from './api/middleware/plugin-version.js';
import { unavailableRuleCatalog, type RuleCatalog } from './commands/store-rules-editor.js';
import { buildOpenApi } from './api/openapi.js';
import { RAW_OPERATIONS } from './api/raw-operations.js';
import { mountRoute, type AnyRouteSpec } from './api/route.js';
import { allRoutes } from './api/routes.js';
import type { AppContext, AppState } from './api/state.js';
import type { HubConfig } from './config/index.js';

export interface HubApp {
  app: Koa<AppState>;
  routes: AnyRouteSpec[];
  metrics: HubMetrics;
  openapi: Record<string, unknown>;
  /** Every `METHOD /v1/...` the routers serve (HEAD and the OpenAPI document itself left out). */
  mounted: string[];
}

function mountedV1(routers: Array<Router<AppState>>): string[] {
  const out = new Set<string>();
  for (const router of routers) {
    for (const layer of router.stack) {
      const path = String(layer.path);
      if (!path.startsWith('/v1/') || path === '/v1/openapi.json') continue;
      for (const method of layer.methods) if (method !== 'HEAD') out.add(`${method} ${path}`);
    }
  }
  return [...out].sort();
}

function clientAddress(trustProxy: boolean): (ctx: AppContext) => string | null {
  return (ctx) => {
    if (trustProxy) {
      const forwarded = ctx.get('x-forwarded-for').split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return ctx.req.socket.remoteAddress ?? null;
  };
}

/** The route pattern @koa/router matched (it sets `_matchedRoute` on the context), for metric labels. */
function matchedRoute(ctx: object): string {
  const value: unknown = Reflect.get(ctx, '_matchedRoute');
  return typeof value === 'string' ? value : 'unmatched';
}

function timing(metrics: HubMetrics): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    const end = metrics.httpDuration.startTimer();
    try {
      await next();
    } finally {
      end({ method: ctx.method, route: matchedRoute(ctx), status: String(ctx.status) });
    }
  };
}

/**
 * The hub's Koa application. Pipeline: request id -> errors -> timing -> public routes (health, metrics,
 * OpenAPI) -> authenticate -> per route: validate -> transaction -> authorize -> command -> present.
 */
export interface HubAppOptions {
  /** Extra ways to authenticate (OpenID Connect bearer tokens, console sessions), tried after API tokens. */
  resolvers?: PrincipalResolver[];
  /** Tenant-defined rules added to a principal's built-in ones. */
  loadTenantRules?: RulesLoader;
  /** The hub's origin as browsers see it; default the origin of config.publicUrl. */
  publicOrigin?: string;
  /** The OpenID Connect issuer, when one is configured: the OpenAPI document names it as a security scheme. */
  oidcIssuer?: string;
  /** The clock routes, commands and link checks read (tests move it). */
  clock?: Clock;
  /** The rule types store rule documents are checked against (the plugin's registry, handed in by the composition root). */
  ruleCatalog?: RuleCatalog;
}

const noTenantRules: RulesLoader = () => Promise.resolve([]);

export function createHubApp(config: HubConfig, knex: Knex, log: Logger, options: HubAppOptions = {}): HubApp {
  const metrics = createMetrics();
  const clock = options.clock ?? systemClock;
  const routes = allRoutes({ config, knex, metrics, ruleCatalog: options.ruleCatalog ?? unavailableRuleCatalog });
  const openapi = buildOpenApi(routes, config.http.publicUrl, RAW_OPERATIONS, options.oidcIssuer ? { oidcIssuer: options.oidcIssuer } : {});
  const publicOrigin = options.publicOrigin ?? (config.http.publicUrl ? new URL(config.http.publicUrl).origin : '');
  const app = new Koa<AppState>({ proxy: config.http.trustProxy });
  app.silent = true;
  const publicRouter = new Router<AppState>();
  mountHealth(publicRouter, knex, metrics);
  publicRouter.get('/v1/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  const apiRouter = new Router<AppState>();
  const failedAuth = new FailedAuthLimiter(config.http.authFailuresPerMinute);
  apiRouter.use(authenticate(knex, [apiTokenResolver, ...(options.resolvers ?? [])], options.loadTenantRules ?? noTenantRules, { publicOrigin, failedAuth }));
  apiRouter.use(pluginVersionWatch(metrics, knex));
  apiRouter.use(rateLimit({ perIdentityPerMinute: config.http.rateLimitPerIdentityPerMinute, perTenantPerMinute: config.http.rateLimitPerTenantPerMinute }));
  mountEvidenceStreams({ publicRouter, apiRouter }, { knex, config, clientAddress: clientAddress(config.http.trustProxy), clock });
  mountPosRoutes(apiRouter, { knex, clientAddress: clientAddress(config.http.trustProxy), clock, secrets: secretBoxFromConfig(config), config: config.pos });
  const deps = { knex, defaultBodyLimit: config.http.jsonBodyLimitBytes, clientAddress: clientAddress(config.http.trustProxy), clock };
  // Before the JSON routes: `/v1/incidents/stream` would otherwise reach `/v1/incidents/:id`.
  mountIncidentStream(apiRouter, deps);
  for (const spec of routes) mountRoute(apiRouter, spec, deps);
  app.use(requestId(log));
  app.use(errorHandler());
  app.use(timing(metrics));
  app.use(urlGuard());
  app.use(publicRouter.routes());
  app.use(apiRouter.routes());
  app.use(apiRouter.allowedMethods());
  return { app, routes, metrics, openapi, mounted: mountedV1([publicRouter, apiRouter]) };
}
