import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import { ACTIONS, ROLES, SUBJECTS, recordOf, validatePolicyDocument } from '../../../policies/index.js';
import { explainTarget, explainUnder, type ExplainTarget } from '../../policies-store/policy-explainer.js';
import { loadTenantPolicy } from '../../policies-store/tenant-policy-loader.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';

const plainName = /^[A-Za-z0-9_-]+$/;
const explainBody = z.strictObject({
  principalId: z.string().min(5).max(80).regex(plainName, 'a user (usr_…), service identity (svc_…) or token (tok_…) id')
    .describe('Whose decision: a person usr_…, a service identity svc_… or a token tok_…'),
  action: z.enum(ACTIONS),
  subject: z.enum(SUBJECTS.filter((s) => s !== 'all') as [Exclude<(typeof SUBJECTS)[number], 'all'>, ...Array<Exclude<(typeof SUBJECTS)[number], 'all'>>]),
  id: z.string().min(1).max(80).regex(plainName, 'a record id (a role name for Policy)').optional().describe('The record; without it, the subject type (any record)'),
  draft: z.strictObject({ role: z.enum(ROLES), mode: z.unknown().optional(), rules: z.array(z.unknown()).max(200) }).optional()
    .describe('An unsaved policy for a role (the editor\'s draft): the decision is explained under it too when the principal has that role'),
});

const ruleSchema = z.object({ action: z.unknown(), subject: z.unknown(), conditions: z.unknown(), inverted: z.boolean(), source: z.string() });
const explanationSchema = z.object({ allowed: z.boolean(), text: z.string(), rule: ruleSchema.nullable() });
const answerSchema = z.object({
  principal: z.object({ id: z.string(), role: z.string(), storeIds: z.array(z.string()), regionIds: z.array(z.string()) }),
  question: z.object({ action: z.string(), subject: z.string(), id: z.string().nullable() }),
  saved: explanationSchema.describe('Under the tenant\'s policy in force'),
  draft: explanationSchema.nullable().describe('Under the draft; null without one, or when the principal has another role'),
});

/** The caller reads policies of the principal's role, and the record asked about (another's record stays a 404). */
function authorizeQuestion(ctx: RequestContext, question: ExplainTarget): void {
  const role = question.principal.role;
  if (!ctx.ability.can('read', recordOf('Policy', { role }))) throw new AppError('forbidden', `your role may not read the ${role} policy`);
  if (!ctx.ability.can('read', question.subject)) throw new AppError('forbidden', `your role may not read ${question.subject.toLowerCase()}s`);
  if (question.named && !ctx.ability.can('read', question.target)) throw new AppError('not_found', `${question.what} not found`);
}

function draftPolicy(draft: z.infer<typeof explainBody>['draft'], role: string) {
  if (!draft || draft.role !== role) return null;
  const { document, problems } = validatePolicyDocument({ role: draft.role, mode: draft.mode ?? 'extend', rules: draft.rules });
  if (!document) {
    throw new AppError('validation_failed', `the draft has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { details: { issues: problems.map((p) => ({ ...p, path: `draft.${p.path}` })) } });
  }
  return { mode: document.mode, rules: document.rules, version: 0 };
}

export const policyExplainRoutes = [
  defineRoute({
    method: 'post', path: '/v1/policies/explain', operationId: 'explainPolicyDecision', tag: 'Policies',
    summary: 'Which rule allows or denies a person, identity or token an action on a record (or a subject type), under the saved policy and an unsaved draft',
    body: explainBody,
    responses: { 200: { description: 'The decision and the rule that made it', schema: answerSchema } },
    handler: async ({ body }, ctx) => {
      if (!ctx.ability.can('read', 'Policy')) throw new AppError('forbidden', 'your role may not read policies');
      const question = await explainTarget(ctx.trx, { user: body.principalId, action: body.action, subject: body.subject, id: body.id }, ctx.principal.tenantId);
      authorizeQuestion(ctx, question);
      const { principal } = question;
      const draft = draftPolicy(body.draft, principal.role);
      return {
        status: 200,
        body: {
          principal: { id: principal.principalId, role: principal.role, storeIds: principal.storeIds, regionIds: principal.regionIds },
          question: { action: body.action, subject: body.subject, id: body.id ?? null },
          saved: explainUnder(question, await loadTenantPolicy(ctx.trx, principal)),
          draft: draft ? explainUnder(question, draft, `the unsaved draft for ${principal.role}`) : null,
        },
      };
    },
  }),
];
