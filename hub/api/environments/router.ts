import { z } from 'zod';
import { ENVIRONMENT_KINDS, environmentNameSchema } from '../../../contracts/index.js';
import { Environment } from '../../../models/index.js';
import { AppError } from '../../../contracts/index.js';
import { createEnvironment, describeEnvironment, switchSessionEnvironment } from '../../commands/environment-manager.js';
import { authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { defineRoute } from '../route.js';

const tag = 'Environments';
const environmentSchema = z.object({ name: z.string(), label: z.string(), kind: z.string(), createdBy: z.string(), createdAt: z.string(), current: z.boolean() });

export const environmentRoutes = [
  defineRoute({
    method: 'get', path: '/v1/environments', operationId: 'listEnvironments', summary: "The tenant's environments, and which one this request acts in", tag,
    responses: { 200: { description: 'Every environment of the tenant', schema: z.object({ data: z.array(environmentSchema), current: z.string() }) } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'Environment');
      const rows = await Environment.forTenant(ctx.trx, ctx.principal.tenantId).orderByRaw("environments.kind <> 'production', environments.name");
      const current = ctx.principal.environment;
      return { status: 200, body: { data: rows.map((e) => ({ ...describeEnvironment(e), current: e.name === current })), current } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/environments', operationId: 'createEnvironment', summary: 'Add an environment (staging, sandbox) beside production', tag,
    body: z.strictObject({
      name: environmentNameSchema.refine((n) => n !== 'production', 'production exists already'),
      label: z.string().trim().min(1).max(100).optional(),
      kind: z.enum(ENVIRONMENT_KINDS.filter((k) => k !== 'production') as ['staging', 'sandbox']).default('staging'),
    }),
    responses: { 201: { description: 'The new environment', schema: environmentSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'Environment');
      const created = await createEnvironment(commandContext(ctx), { name: body.name, label: body.label ?? body.name, kind: body.kind });
      return { status: 201, body: { ...describeEnvironment(created), current: false } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/session/environment', operationId: 'switchEnvironment', summary: 'Move this console session to another environment you may use', tag,
    body: z.strictObject({ environment: environmentNameSchema }),
    responses: { 200: { description: 'The environment the session now acts in', schema: z.object({ environment: z.string() }) } },
    handler: async ({ body }, ctx) => {
      if (!ctx.principal.sessionId) throw new AppError('bad_request', 'only a console session switches environments; a token acts in the environment it was minted for');
      await switchSessionEnvironment(commandContext(ctx), ctx.principal.sessionId, body.environment);
      return { status: 200, body: { environment: body.environment } };
    },
  }),
];
