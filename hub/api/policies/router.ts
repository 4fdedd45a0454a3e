import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import { TenantPolicyVersion } from '../../../models/index.js';
import { ROLES, defaultRulesFor, validatePolicyDocument, type Role } from '../../../policies/index.js';
import { diffRules, findVersion, savePolicy } from '../../commands/policy-editor.js';
import { authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';

const tag = 'Policies';
const roleParams = z.strictObject({ role: z.enum(ROLES) });
const versionSchema = z.object({ version: z.number().int(), mode: z.string(), rules: z.array(z.unknown()), reason: z.string(), revertsVersion: z.number().int().nullable(), createdBy: z.string(), createdAt: z.string() });
const present = (v: TenantPolicyVersion) => ({ version: v.version, mode: v.mode, rules: v.rules, reason: v.reason, revertsVersion: v.revertsVersion, createdBy: v.createdBy, createdAt: v.createdAt.toISOString() });

async function current(ctx: RequestContext, role: Role) {
  const row = await TenantPolicyVersion.forTenant(ctx.trx, ctx.principal.tenantId).where('role', role).orderBy('version', 'desc').first();
  return { role, builtIn: defaultRulesFor(role), tenant: row ? present(row) : null };
}

const policySchema = z.object({ role: z.string(), builtIn: z.array(z.unknown()), tenant: versionSchema.nullable() });

export const policyRoutes = [
  defineRoute({
    method: 'get', path: '/v1/policies', operationId: 'listPolicies', summary: 'Every role\'s built-in rules and the tenant\'s current policy', tag,
    responses: { 200: { description: 'Policies by role', schema: z.object({ data: z.array(policySchema) }) } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'Policy');
      return { status: 200, body: { data: await Promise.all(ROLES.map((role) => current(ctx, role))) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:role', operationId: 'getPolicy', summary: 'A role\'s built-in rules and the tenant\'s current policy', tag,
    params: roleParams,
    responses: { 200: { description: 'The policy', schema: policySchema } },
    handler: async ({ params }, ctx) => {
      authorizeType(ctx, 'read', 'Policy');
      return { status: 200, body: await current(ctx, params.role) };
    },
  }),
  defineRoute({
    method: 'put', path: '/v1/policies/:role', operationId: 'putPolicy', summary: 'Save a new version of the tenant\'s policy for a role (takes effect on the next request)', tag,
    params: roleParams,
    body: z.strictObject({ mode: z.enum(['extend', 'replace']).default('extend'), rules: z.array(z.unknown()).max(200), reason: z.string().trim().min(1).max(1000) }),
    responses: { 200: { description: 'The saved version', schema: versionSchema } },
    handler: async ({ params, body }, ctx) => {
      authorizeType(ctx, 'update', 'Policy');
      const { document, problems } = validatePolicyDocument({ role: params.role, mode: body.mode, rules: body.rules });
      if (!document) throw new AppError('validation_failed', `the policy has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { details: { issues: problems } });
      const saved = await savePolicy(commandContext(ctx), document, body.reason);
      return { status: 200, body: present(saved) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:role/versions', operationId: 'listPolicyVersions', summary: 'Every saved version of a role\'s policy, newest first', tag,
    params: roleParams,
    responses: { 200: { description: 'Versions', schema: z.object({ data: z.array(versionSchema) }) } },
    handler: async ({ params }, ctx) => {
      authorizeType(ctx, 'read', 'Policy');
      const rows = await TenantPolicyVersion.forTenant(ctx.trx, ctx.principal.tenantId).where('role', params.role).orderBy('version', 'desc');
      return { status: 200, body: { data: rows.map(present) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:role/diff', operationId: 'diffPolicyVersions', summary: 'Rules added and removed between two versions (0 is the empty policy)', tag,
    params: roleParams,
    query: z.strictObject({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(1) }),
    responses: { 200: { description: 'The difference', schema: z.object({ from: z.number(), to: z.number(), added: z.array(z.unknown()), removed: z.array(z.unknown()), unchanged: z.number() }) } },
    handler: async ({ params, query }, ctx) => {
      authorizeType(ctx, 'read', 'Policy');
      const c = commandContext(ctx);
      const from = query.from === 0 ? [] : (await findVersion(c, params.role, query.from)).rules;
      const to = (await findVersion(c, params.role, query.to)).rules;
      return { status: 200, body: { from: query.from, to: query.to, ...diffRules(from, to) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/policies/:role/revert', operationId: 'revertPolicy', summary: 'Save an earlier version again as the newest one', tag,
    params: roleParams,
    body: z.strictObject({ version: z.number().int().min(1), reason: z.string().trim().min(1).max(1000) }),
    responses: { 200: { description: 'The new version', schema: versionSchema } },
    handler: async ({ params, body }, ctx) => {
      authorizeType(ctx, 'update', 'Policy');
      const c = commandContext(ctx);
      const old = await findVersion(c, params.role, body.version);
      const saved = await savePolicy(c, { role: params.role, mode: old.mode, rules: old.rules as never }, body.reason, old.version);
      return { status: 200, body: present(saved) };
    },
  }),
];
