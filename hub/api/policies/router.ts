import { z } from 'zod';
import { AppError, idSchema } from '../../../contracts/index.js';
import { TenantPolicyVersion } from '../../../models/index.js';
import { ROLES, defaultRulesFor, escalationProblems, recordOf, lockoutProblems, policyWarnings, validatePolicyDocument, type Role } from '../../../policies/index.js';
import { asTenantPolicy, diffPolicies, findVersion, savePolicy } from '../../commands/policy-editor.js';
import { dryRunPolicy } from '../../policies-store/policy-dry-run.js';
import { authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';

const tag = 'Policies';
const roleParams = z.strictObject({ role: z.enum(ROLES) });
const problemSchema = z.object({ path: z.string(), message: z.string() });
const versionSchema = z.object({ version: z.number().int(), mode: z.string(), rules: z.array(z.unknown()), reason: z.string(), revertsVersion: z.number().int().nullable(), createdBy: z.string(), createdAt: z.string() });
const present = (v: TenantPolicyVersion) => ({ version: v.version, mode: v.mode, rules: v.rules, reason: v.reason, revertsVersion: v.revertsVersion, createdBy: v.createdBy, createdAt: v.createdAt.toISOString() });
// PostgreSQL integer: a larger version cannot exist, and must not reach the query as an out-of-range number.
const versionNumber = z.coerce.number().int().max(2_147_483_647);

const latestRow = (ctx: RequestContext, role: Role) => TenantPolicyVersion.forTenant(ctx.trx, ctx.principal.tenantId).where('role', role).orderBy('version', 'desc').first();

async function current(ctx: RequestContext, role: Role) {
  const row = await latestRow(ctx, role);
  return { role, builtIn: defaultRulesFor(role), tenant: row ? present(row) : null };
}

/** Policies are checked per role (`conditions: { role }` in a rule is honoured); a role never edits its own. */
function authorizeRole(ctx: RequestContext, action: 'read' | 'update', role: Role): void {
  // Role names are public, so a refusal is a plain 403 (no record to hide behind a 404).
  if (!ctx.ability.can(action, recordOf('Policy', { role }))) throw new AppError('forbidden', `your role may not ${action} the ${role} policy`);
  if (action === 'update' && role === ctx.principal.role && role !== 'lp_admin') throw new AppError('forbidden', 'a role may not edit its own policy');
}

const policySchema = z.object({ role: z.string(), builtIn: z.array(z.unknown()), tenant: versionSchema.nullable() });
const putBody = z.strictObject({ mode: z.unknown().optional(), rules: z.array(z.unknown()).max(200), reason: z.string().trim().min(1).max(1000).optional() });
const putQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional().describe('true: answer what the role would see under the draft, save nothing.'),
  storeId: idSchema('store').optional().describe('Dry run: imagine a person of this store (store roles).'),
  regionId: idSchema('region').optional().describe('Dry run: imagine a person of this region (regional managers).'),
});
const dryRunSchema = z.object({ dryRun: z.literal(true), as: z.unknown(), visible: z.array(z.unknown()), gained: z.array(z.string()), lost: z.array(z.string()), warnings: z.array(problemSchema), refusals: z.array(problemSchema) });

export const policyRoutes = [
  defineRoute({
    method: 'get', path: '/v1/policies', operationId: 'listPolicies', summary: 'Every role\'s built-in rules and the tenant\'s current policy (the roles the caller may read)', tag,
    responses: { 200: { description: 'Policies by role', schema: z.object({ data: z.array(policySchema) }) } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'Policy');
      const readable = ROLES.filter((role) => ctx.ability.can('read', recordOf('Policy', { role })));
      return { status: 200, body: { data: await Promise.all(readable.map((role) => current(ctx, role))) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:role', operationId: 'getPolicy', summary: 'A role\'s built-in rules and the tenant\'s current policy', tag,
    params: roleParams,
    responses: { 200: { description: 'The policy', schema: policySchema } },
    handler: async ({ params }, ctx) => {
      authorizeRole(ctx, 'read', params.role);
      return { status: 200, body: await current(ctx, params.role) };
    },
  }),
  defineRoute({
    method: 'put', path: '/v1/policies/:role', operationId: 'putPolicy', tag,
    summary: 'Save a new version of the tenant\'s policy for a role (takes effect on the next request); `?dryRun=true` shows its effect without saving',
    params: z.strictObject({ role: z.string().max(64) }), query: putQuery, body: putBody,
    responses: {
      200: { description: 'The saved version with warnings, or the dry run', schema: z.union([versionSchema.extend({ warnings: z.array(problemSchema) }), dryRunSchema]) },
      409: { description: 'The change would lock lp_admin out or let a role gain power over policies, tokens or users' },
    },
    handler: async ({ params, query, body }, ctx) => {
      authorizeType(ctx, 'update', 'Policy');
      const { document, problems } = validatePolicyDocument({ role: params.role, mode: body.mode ?? 'extend', rules: body.rules });
      const dryRun = query.dryRun === 'true';
      if (!dryRun && !body.reason) problems.push({ path: 'reason', message: 'say why the policy changes (kept in the audit trail)' });
      if (!document || problems.length > 0) {
        throw new AppError('validation_failed', `the policy has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { details: { issues: problems } });
      }
      authorizeRole(ctx, 'update', document.role);
      if (dryRun) {
        const currentPolicy = asTenantPolicy(await latestRow(ctx, document.role));
        const report = await dryRunPolicy(ctx.trx, ctx.principal.tenantId, currentPolicy, document, query);
        return { status: 200, body: { ...report, refusals: [...lockoutProblems(document), ...escalationProblems(currentPolicy, document)] } };
      }
      const saved = await savePolicy(commandContext(ctx), document, body.reason ?? '');
      return { status: 200, body: { ...present(saved), warnings: policyWarnings(document) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:role/versions', operationId: 'listPolicyVersions', summary: 'Every saved version of a role\'s policy, newest first', tag,
    params: roleParams,
    responses: { 200: { description: 'Versions', schema: z.object({ data: z.array(versionSchema) }) } },
    handler: async ({ params }, ctx) => {
      authorizeRole(ctx, 'read', params.role);
      const rows = await TenantPolicyVersion.forTenant(ctx.trx, ctx.principal.tenantId).where('role', params.role).orderBy('version', 'desc');
      return { status: 200, body: { data: rows.map(present) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:role/diff', operationId: 'diffPolicyVersions', tag,
    summary: 'Mode and rules changed between two versions (0 is the empty extend policy), compared deeply, and the change of the rules in force',
    params: roleParams,
    query: z.strictObject({ from: versionNumber.min(0), to: versionNumber.min(1) }),
    responses: { 200: { description: 'The difference', schema: z.object({ from: z.number(), to: z.number(), mode: z.object({ from: z.string(), to: z.string(), changed: z.boolean() }), added: z.array(z.unknown()), removed: z.array(z.unknown()), unchanged: z.number(), effective: z.object({ added: z.array(z.unknown()), removed: z.array(z.unknown()) }) }) } },
    handler: async ({ params, query }, ctx) => {
      authorizeRole(ctx, 'read', params.role);
      const c = commandContext(ctx);
      const from = query.from === 0 ? { mode: 'extend', rules: [] } : await findVersion(c, params.role, query.from);
      const to = await findVersion(c, params.role, query.to);
      return { status: 200, body: { from: query.from, to: query.to, ...diffPolicies(params.role, from, to) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/policies/:role/revert', operationId: 'revertPolicy', summary: 'Save an earlier version again as the newest one (the same guards as a new version)', tag,
    params: roleParams,
    body: z.strictObject({ version: versionNumber.min(1), reason: z.string().trim().min(1).max(1000) }),
    responses: { 200: { description: 'The new version', schema: versionSchema } },
    handler: async ({ params, body }, ctx) => {
      authorizeRole(ctx, 'update', params.role);
      const c = commandContext(ctx);
      const old = await findVersion(c, params.role, body.version);
      const { document, problems } = validatePolicyDocument({ role: params.role, mode: old.mode, rules: old.rules });
      if (!document) throw new AppError('conflict', `version ${old.version} no longer passes validation: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { details: { issues: problems } });
      const saved = await savePolicy(c, document, body.reason, old.version);
      return { status: 200, body: present(saved) };
    },
  }),
];
