import type { Knex } from 'knex';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { RUNTIME_ROLE } from '../../models/index.js';
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

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
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
  /** Body limit in bytes for this route; the hub's default JSON limit otherwise. */
  bodyLimit?: number;
  responses: Record<number, ResponseSpec>;
  handler: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }, ctx: RequestContext) => Promise<RouteResponse>;
}

export type AnyRouteSpec = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

export function defineRoute<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<P, Q, B>,
): AnyRouteSpec {
  return spec as unknown as AnyRouteSpec;
}

function parseOrThrow<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: [where, ...issue.path].join('.'), message: issue.message }));
  const first = issues[0];
  throw new AppError('validation_failed', `${first?.path}: ${first?.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, {
    details: { issues },
  });
}

export interface RouteDeps {
  knex: Knex;
  defaultBodyLimit: number;
  clientAddress: (ctx: AppContext) => string | null;
}

/**
 * The route pipeline: validate -> open transaction (tenant bound) -> handler (authorize -> command) -> present.
 * Authentication runs before, as router middleware.
 */
export function mountRoute(router: Router<AppState>, spec: AnyRouteSpec, deps: RouteDeps): void {
  const handler: Middleware<AppState> = async (ctx) => {
    const { principal, ability } = ctx.state;
    if (!principal || !ability) throw new AppError('unauthenticated', 'authentication required');
    const params = parseOrThrow(spec.params, ctx.params, 'params');
    const query = parseOrThrow(spec.query, ctx.query, 'query');
    const rawBody = spec.body ? await readJsonBody(ctx.req, spec.bodyLimit ?? deps.defaultBodyLimit) : undefined;
    const body = parseOrThrow(spec.body, rawBody, 'body');
    const result = await deps.knex.transaction(async (trx) => {
      // Bind the tenant and drop to the runtime role for this transaction: row-level security then
      // confines every statement of the handler to the caller's tenant.
      await trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('role', ?, true)", [principal.tenantId, RUNTIME_ROLE]);
      return spec.handler(
        { params, query, body },
        { requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), principal, ability, trx, log: ctx.state.log },
      );
    });
    ctx.status = result.status;
    for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
    if (result.body !== undefined) ctx.body = result.body;
  };
  (router as unknown as Record<HttpMethod, (path: string, mw: Middleware<AppState>) => void>)[spec.method](spec.path, handler);
}
