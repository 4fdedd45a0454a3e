import { z } from 'zod';
import { AppError, newId } from '../../../contracts/index.js';
import { writeAudit } from '../../audit/index.js';
import { RETENTION_DEFAULTS, planRetention, retentionPolicyInput, type RetentionPolicyRow } from '../../retention/index.js';
import { authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { defineRoute } from '../route.js';
import { Region, Store } from '../../../models/index.js';

const tag = 'Retention';

const policySchema = z.object({
  id: z.string(), outcome: z.string(), keepDays: z.number(), regionId: z.string().nullable(), storeId: z.string().nullable(), incidentType: z.string().nullable(), createdAt: z.string(),
});
const present = (p: RetentionPolicyRow) => ({
  id: p.id, outcome: p.outcome, keepDays: p.keep_days, regionId: p.region_id, storeId: p.store_id, incidentType: p.incident_type, createdAt: p.created_at.toISOString(),
});

export const retentionRoutes = [
  defineRoute({
    method: 'get', path: '/v1/retention/policies', operationId: 'listRetentionPolicies', tag, summary: 'The tenant\'s retention policies and the built-in defaults (days)',
    responses: { 200: { description: 'Policies', schema: z.object({ defaults: z.record(z.string(), z.number()), data: z.array(policySchema) }) } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'RetentionPolicy');
      const rows = await ctx.trx<RetentionPolicyRow>('retention_policies').where({ tenant_id: ctx.principal.tenantId }).orderBy('id');
      return { status: 200, body: { defaults: RETENTION_DEFAULTS, data: rows.map(present) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/retention/policies', operationId: 'createRetentionPolicy', tag,
    summary: 'Keep evidence of one outcome N days, optionally only for a region, a store or an incident type (most specific wins)',
    body: retentionPolicyInput,
    responses: { 201: { description: 'The policy', schema: policySchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'RetentionPolicy');
      // A scope names this tenant's own region or store; another tenant's id is as unknown as a made-up one.
      if (body.regionId && !(await Region.forTenant(ctx.trx, ctx.principal.tenantId).findOne('regions.id', body.regionId))) throw new AppError('not_found', `region ${body.regionId} not found`);
      if (body.storeId && !(await Store.forTenant(ctx.trx, ctx.principal.tenantId).findOne('stores.id', body.storeId))) throw new AppError('not_found', `store ${body.storeId} not found`);
      const scope = { region_id: body.regionId ?? null, store_id: body.storeId ?? null, incident_type: body.incidentType ?? null, outcome: body.outcome };
      const clash = await ctx.trx('retention_policies').where({ tenant_id: ctx.principal.tenantId, ...scope }).first('id');
      if (clash) throw new AppError('conflict', `policy ${(clash as { id: string }).id} already covers this scope; delete it first`);
      const rows = await ctx.trx<RetentionPolicyRow>('retention_policies').insert({ tenant_id: ctx.principal.tenantId, id: newId('policy'), ...scope, keep_days: body.keepDays }).returning('*');
      const row = rows[0] as RetentionPolicyRow;
      await writeAudit(commandContext(ctx), { action: 'retention.policy_created', subjectType: 'RetentionPolicy', subjectId: row.id, after: present(row) });
      return { status: 201, body: present(row) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/retention/policies/:id', operationId: 'deleteRetentionPolicy', tag, summary: 'Remove a retention policy (the next broader one applies)',
    params: z.strictObject({ id: z.string().regex(/^pol_[0-9a-z]{10,40}$/) }),
    responses: { 204: { description: 'Removed' } },
    handler: async ({ params }, ctx) => {
      authorizeType(ctx, 'delete', 'RetentionPolicy');
      const row = await ctx.trx<RetentionPolicyRow>('retention_policies').where({ tenant_id: ctx.principal.tenantId, id: params.id }).first();
      if (!row) throw new AppError('not_found', 'retention policy not found');
      await ctx.trx('retention_policies').where({ tenant_id: ctx.principal.tenantId, id: params.id }).delete();
      await writeAudit(commandContext(ctx), { action: 'retention.policy_deleted', subjectType: 'RetentionPolicy', subjectId: row.id, before: present(row) });
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
