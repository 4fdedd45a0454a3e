import type { ModelClass, QueryBuilder } from 'objection';
import { z } from 'zod';
import { AppError, type IdKind } from '../../contracts/index.js';
import type { TenantModel } from '../../models/index.js';
import { whereAllowed, type Action, type SubjectName } from '../../policies/index.js';
import type { CommandContext } from '../audit/index.js';
import { matchesIfMatch } from '../commands/store-rules-editor.js';
import { authorize, authorizeType } from './authorize.js';
import { refuseHiddenFilters } from './field-filter.js';
import { commandContext } from './command-context.js';
import { idParams } from './common-schemas.js';
import { pageSchema, paginate, presentPage, type PageRequest } from './pagination.js';
import { defineRoute, type AnyRouteSpec } from './route.js';
import type { RequestContext } from './state.js';

type Subject = Exclude<SubjectName, 'all'>;

/** How a resource is named in paths, operation ids, summaries and response descriptions. */
export interface ResourceNames {
  /** `Region` -> createRegion, listRegions, getRegion, updateRegion. */
  operation: string;
  /** Path segment under /v1, e.g. `regions`. */
  path: string;
  /** Short noun for descriptions: `region` / `regions`. */
  one: string;
  many: string;
  /** Longer noun for summaries when it differs: `checkout lane`. */
  label?: { one: string; many: string };
  /** Summary of the create route when it is not "Create a …". */
  createSummary?: string;
  /** Summary of the update route when it is not "Update a …". */
  updateSummary?: string;
  tag: string;
}

/**
 * A directory-like resource: a tenant table with create, list (filtered, paginated, narrowed to what the
 * caller may read in SQL), get and update. Resource-specific checks and writes come in as hooks, so a new
 * resource is its schemas, a presenter, its policy and one call.
 */
export interface ResourceSpec<M extends TenantModel, C extends z.ZodType, U extends z.ZodType, L extends z.ZodType<PageRequest>> {
  names: ResourceNames;
  subject: Subject;
  idKind: IdKind;
  model: NoInfer<ModelClass<M> & typeof TenantModel>;
  schemas: { item: z.ZodType; create: C; update: U; list: L };
  present: (ctx: RequestContext, row: M) => unknown;
  /** Narrows the list by the query's filters (tenancy and read rules are applied by the factory). */
  filter?: (query: QueryBuilder<TenantModel, TenantModel[]>, input: z.output<L>) => void;
  /** Authorizes a create; the default asks whether the role may create this subject at all. */
  authorizeCreate?: (ctx: RequestContext, body: z.output<C>) => Promise<void>;
  create: (ctx: CommandContext, body: z.output<C>) => Promise<M>;
  update: (ctx: CommandContext, row: M, body: z.output<U>) => Promise<M>;
  /**
   * The row's entity tag, for resources that take conditional updates: GET and PATCH answer it as `ETag`,
   * and a PATCH with `If-Match` naming another one is refused (412 precondition_failed) under the row's lock.
   */
  etag?: (row: M) => string;
}

const ifMatchHeaders = z.object({ 'if-match': z.string().max(2048).optional().describe('The ETag the change is based on: 412 precondition_failed when the record changed since.') });

/** A row objection returned for `model` is an instance of it; checked at run time, so the type follows. */
const isInstance = <M extends TenantModel>(model: ModelClass<M>, row: unknown): row is M => row instanceof model;

/** Loads one row of the caller's tenant (404 otherwise) and authorizes `action` on it; a row about to change is locked. */
export async function loadAuthorized<M extends TenantModel>(
  ctx: RequestContext, model: ModelClass<M> & typeof TenantModel, subject: Subject, id: string, action: Action, what: string,
  options: { lock?: boolean } = {},
): Promise<M> {
  const query = model.forTenant(ctx.trx, ctx.principal.tenantId).findOne(`${model.tableName}.id`, id);
  const row = await (action !== 'read' || options.lock ? query.forUpdate() : query);
  if (!isInstance<M>(model, row)) throw new AppError('not_found', `${what} not found`);
  authorize(ctx, action, subject, row);
  return row;
}

export function resourceRoutes<M extends TenantModel, C extends z.ZodType, U extends z.ZodType, L extends z.ZodType<PageRequest>>(
  spec: ResourceSpec<M, C, U, L>,
): AnyRouteSpec[] {
  const { names, subject, model } = spec;
  const label = names.label ?? { one: names.one, many: names.many };
  const collection = `/v1/${names.path}`;
  const params = idParams(spec.idKind);
  return [
    defineRoute({
      method: 'post', path: collection, operationId: `create${names.operation}`, summary: names.createSummary ?? `Create a ${label.one}`, tag: names.tag,
      body: spec.schemas.create,
      responses: { 201: { description: 'Created', schema: spec.schemas.item } },
      handler: async ({ body }, ctx) => {
        if (spec.authorizeCreate) await spec.authorizeCreate(ctx, body);
        else authorizeType(ctx, 'create', subject);
        return { status: 201, body: spec.present(ctx, await spec.create(commandContext(ctx), body)) };
      },
    }),
    defineRoute({
      method: 'get', path: collection, operationId: `list${names.operation}s`, summary: `List ${label.many}`, tag: names.tag,
      query: spec.schemas.list,
      responses: { 200: { description: `A page of ${names.many}`, schema: pageSchema(spec.schemas.item) } },
      handler: async ({ query }, ctx) => {
        const rows = model.forTenant(ctx.trx, ctx.principal.tenantId);
        // A field the caller may not read may not narrow the list either: the count would reveal its values.
        const filters: Record<string, unknown> = Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'limit' && key !== 'cursor'));
        refuseHiddenFilters(ctx, subject, filters, Object.keys(filters));
        spec.filter?.(rows, query);
        whereAllowed(rows, ctx.ability, 'read', subject, model.tableName);
        const page = await paginate(rows, model.tableName, query);
        const owned = page.rows.filter((row) => isInstance<M>(model, row));
        return { status: 200, body: presentPage({ rows: owned, nextCursor: page.nextCursor }, (row) => spec.present(ctx, row)) };
      },
    }),
    defineRoute({
      method: 'get', path: `${collection}/:id`, operationId: `get${names.operation}`, summary: `Get a ${label.one}`, tag: names.tag,
      params,
      responses: { 200: { description: `The ${names.one}`, schema: spec.schemas.item } },
      handler: async ({ params: { id } }, ctx) => {
        const row = await loadAuthorized<M>(ctx, model, subject, id, 'read', names.one);
        return { status: 200, body: spec.present(ctx, row), ...(spec.etag ? { headers: { etag: spec.etag(row) } } : {}) };
      },
    }),
    defineRoute({
      method: 'patch', path: `${collection}/:id`, operationId: `update${names.operation}`, summary: names.updateSummary ?? `Update a ${label.one}`, tag: names.tag,
      params, body: spec.schemas.update, ...(spec.etag ? { headers: ifMatchHeaders } : {}),
      responses: {
        200: { description: `The updated ${names.one}`, schema: spec.schemas.item },
        ...(spec.etag ? { 412: { description: 'If-Match names an older version (precondition_failed)' } } : {}),
      },
      handler: async ({ params: { id }, body, headers }, ctx) => {
        const row = await loadAuthorized<M>(ctx, model, subject, id, 'update', names.one);
        const ifMatch = (headers as { 'if-match'?: string } | undefined)?.['if-match'];
        if (spec.etag && ifMatch !== undefined && !matchesIfMatch(ifMatch, spec.etag(row))) {
          throw new AppError('precondition_failed', `the ${names.one} changed since that version (If-Match ${ifMatch}); read it again`);
        }
        const updated = await spec.update(commandContext(ctx), row, body);
        return { status: 200, body: spec.present(ctx, updated), ...(spec.etag ? { headers: { etag: spec.etag(updated) } } : {}) };
      },
    }),
  ];
}
