import { z } from 'zod';
import { idSchema } from '../../../contracts/index.js';
import { RetentionPolicy } from '../../../models/index.js';
import { createRetentionPolicy, deleteRetentionPolicy, describeRetentionPolicy } from '../../commands/retention-policy-manager.js';
import { RETENTION_DEFAULTS, planRetention, retentionPolicyInput } from '../../retention/index.js';
import { authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { defineRoute } from '../route.js';

const tag = 'Retention';

const policySchema = z.object({
  id: z.string(), outcome: z.string(), keepDays: z.number(), regionId: z.string().nullable(), storeId: z.string().nullable(), incidentType: z.string().nullable(), createdAt: z.string(),
});

/** Policies made before retention got its own prefix kept their `pol_` ids; they can still be removed. */
const legacyPolicyId = z.string().regex(/^pol_[0-9a-z]{10,40}$/);

export const retentionRoutes = [
  defineRoute({
    method: 'get', path: '/v1/retention/policies', operationId: 'listRetentionPolicies', tag, summary: 'The tenant\'s retention policies and the built-in defaults (days)',
    responses: { 200: { description: 'Policies', schema: z.object({ defaults: z.record(z.string(), z.number()), data: z.array(policySchema) }) } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'RetentionPolicy');
      const rows = await RetentionPolicy.forTenant(ctx.trx, ctx.principal.tenantId).orderBy('id');
      return { status: 200, body: { defaults: RETENTION_DEFAULTS, data: rows.map(describeRetentionPolicy) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/retention/policies', operationId: 'createRetentionPolicy', tag,
    summary: 'Keep evidence of one outcome N days, optionally only for a region, a store or an incident type (most specific wins)',
    body: retentionPolicyInput,
    responses: { 201: { description: 'The policy', schema: policySchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'RetentionPolicy');
      const policy = await createRetentionPolicy(commandContext(ctx), body);
      return { status: 201, body: describeRetentionPolicy(policy) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/retention/policies/:id', operationId: 'deleteRetentionPolicy', tag, summary: 'Remove a retention policy (the next broader one applies)',
    params: z.strictObject({ id: z.union([idSchema('retentionPolicy'), legacyPolicyId]) }),
    responses: { 204: { description: 'Removed' } },
    handler: async ({ params }, ctx) => {
      authorizeType(ctx, 'delete', 'RetentionPolicy');
      await deleteRetentionPolicy(commandContext(ctx), params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/retention/plan', operationId: 'planRetention', tag, summary: 'What the purge would delete now, and why (nothing is deleted)',
    responses: { 200: { description: 'Planned purges', schema: z.object({ data: z.array(z.object({ id: z.string(), verdict: z.string(), reason: z.string(), bytes: z.number() })) }) } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'RetentionPolicy');
      const plan = await planRetention(ctx.trx, { tenantId: ctx.principal.tenantId, limit: 1000 });
      return { status: 200, body: { data: plan.map((p) => ({ id: p.id, verdict: p.verdict, reason: p.reason, bytes: p.bytes, incidentId: p.incidentId })) } };
    },
  }),
];
