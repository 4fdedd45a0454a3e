import Router from '@koa/router';
import Koa from 'koa';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { authenticate, type RulesLoader } from './api/middleware/authenticate.js';
import { apiTokenResolver } from './auth/api-token-resolver.js';
import type { PrincipalResolver } from './auth/principal-resolver.js';
import { errorHandler } from './api/middleware/error-handler.js';
import { rateLimit } from './api/middleware/rate-limit.js';
import { requestId } from './api/middleware/request-id.js';
import { mountHealth } from './api/health.js';
import { mountEvidenceStreams } from './api/evidence/stream-routes.js';
import { mountPosRoutes } from './api/pos/router.js';
import { secretBoxFromConfig } from './webhooks/index.js';
import { createMetrics, type HubMetrics } from './api/metrics.js';
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

function timing(metrics: HubMetrics): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    const end = metrics.httpDuration.startTimer();
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      end({ method: ctx.method, route: String(route), status: String(ctx.status) });
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
}

const noTenantRules: RulesLoader = () => Promise.resolve([]);

export function createHubApp(config: HubConfig, knex: Knex, log: Logger, options: HubAppOptions = {}): HubApp {
  const metrics = createMetrics();
  const routes = allRoutes({ config, knex, metrics });
  const openapi = buildOpenApi(routes, config.publicUrl, RAW_OPERATIONS);
  const app = new Koa<AppState>({ proxy: config.trustProxy });
  app.silent = true;
  const publicRouter = new Router<AppState>();
  mountHealth(publicRouter, knex, metrics);
  publicRouter.get('/v1/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  const apiRouter = new Router<AppState>();
  apiRouter.use(authenticate(knex, [apiTokenResolver, ...(options.resolvers ?? [])], options.loadTenantRules ?? noTenantRules));
  apiRouter.use(rateLimit({ perIdentityPerMinute: config.rateLimitPerIdentityPerMinute, perTenantPerMinute: config.rateLimitPerTenantPerMinute }));
  mountEvidenceStreams({ publicRouter, apiRouter }, { knex, config, clientAddress: clientAddress(config.trustProxy) });
  mountPosRoutes(apiRouter, { knex, clientAddress: clientAddress(config.trustProxy), secrets: secretBoxFromConfig(config) });
  const deps = { knex, defaultBodyLimit: config.jsonBodyLimitBytes, clientAddress: clientAddress(config.trustProxy) };
  for (const spec of routes) mountRoute(apiRouter, spec, deps);
  app.use(requestId(log));
  app.use(errorHandler());
  app.use(timing(metrics));
  app.use(publicRouter.routes());
  app.use(apiRouter.routes());
  app.use(apiRouter.allowedMethods());
  return { app, routes, metrics, openapi, mounted: mountedV1([publicRouter, apiRouter]) };
}
