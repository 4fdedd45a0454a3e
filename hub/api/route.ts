import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { AppError, type Clock } from '../../contracts/index.js';
import { withTenant, type DatabaseHandle } from '../../models/index.js';
import { refuseUnsafeStrings } from './input-guard.js';
import { readJsonBody } from './middleware/json-body.js';
import type { AppContext, AppState, RequestContext } from './state.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, H extends z.ZodType = z.ZodUndefined> {
  method: HttpMethod;
  /** Koa-style path, e.g. `/v1/stores/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Marked deprecated in the OpenAPI document (an alias kept for one release). */
  deprecated?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Request headers the handler reads (conditional requests: If-Match, If-None-Match), by lower-case name.
   * Only these reach the handler; the schema should not be strict, since every request carries others.
   */
  headers?: H;
  /** Body limit in bytes for this route; the hub's default JSON limit otherwise. */
  bodyLimit?: number;
  responses: Record<number, ResponseSpec>;
  handler: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; headers: z.output<H> }, ctx: RequestContext) => Promise<RouteResponse>;
}

/** What a route receives before validation: the router's params, Koa's query object, the parsed JSON body, the headers. */
export interface RawInput {
  params: unknown;
  query: unknown;
  body: unknown;
  headers: unknown;
}

/**
 * A route with its types erased for the router and the OpenAPI builder: `prepare` validates the raw input
 * (400 with every issue) and returns the handler bound to it, to run inside the tenant's transaction.
 */
export interface AnyRouteSpec extends Omit<RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>, 'handler'> {
  prepare(raw: RawInput): (ctx: RequestContext) => Promise<RouteResponse>;
}

function parseOrThrow<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> | undefined {
  if (!schema) return undefined;
  refuseUnsafeStrings(value, where);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: [where, ...issue.path].join('.'), message: issue.message }));
  const first = issues[0];
  throw new AppError('validation_failed', `${first?.path}: ${first?.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, {
    details: { issues },
  });
}

export function defineRoute<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, H extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<P, Q, B, H>,
): AnyRouteSpec {
  const { handler, ...described } = spec;
  return {
    ...described,
    prepare(raw) {
      const input = {
        params: parseOrThrow(spec.params, raw.params, 'params') as z.output<P>,
        query: parseOrThrow(spec.query, raw.query, 'query') as z.output<Q>,
        body: parseOrThrow(spec.body, raw.body, 'body') as z.output<B>,
        headers: parseOrThrow(spec.headers, raw.headers, 'headers') as z.output<H>,
      };
      return (ctx) => handler(input, ctx);
    },
  };
}

export interface RouteDeps {
  knex: DatabaseHandle;
  defaultBodyLimit: number;
  clientAddress: (ctx: AppContext) => string | null;
  clock: Clock;
}

/**
 * The route pipeline: validate -> open transaction (tenant bound) -> handler (authorize -> command) -> present.
 * Authentication runs before, as router middleware.
 */
export function mountRoute(router: Router<AppState>, spec: AnyRouteSpec, deps: RouteDeps): void {
  const handler: Middleware<AppState> = async (ctx) => {
    const { principal, ability } = ctx.state;
    if (!principal || !ability) throw new AppError('unauthenticated', 'authentication required');
    const body = spec.body ? await readJsonBody(ctx.req, spec.bodyLimit ?? deps.defaultBodyLimit) : undefined;
    const run = spec.prepare({ params: ctx.params, query: ctx.query, body, headers: ctx.headers });
    // Row-level security confines every statement of the handler to the caller's tenant.
    const result = await withTenant(deps.knex, principal.tenantId, { as: 'runtime', environment: principal.environment }, (trx) =>
      run({ requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), principal, ability, trx, log: ctx.state.log, now: deps.clock }),
    );
    ctx.status = result.status;
    for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
    if (result.body !== undefined) ctx.body = result.body;
  };
  router.register(spec.path, [spec.method.toUpperCase()], handler);
}
