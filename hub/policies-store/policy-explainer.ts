import { subject as caslSubject } from '@casl/ability';
import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
import { ApiToken, Camera, Incident, Lane, Region, Store, type TenantModel } from '../../models/index.js';
import { SUBJECTS, abilityFor, type Action, type Principal, type Role, type SubjectName } from '../../policies/index.js';
import { authenticatedPrincipalOf } from './principal-lookup.js';
import { loadTenantPolicy } from './tenant-policy-loader.js';

const MODELS: Partial<Record<SubjectName, typeof TenantModel>> = { Incident, Store, Camera, Lane, Region, ApiToken };

export interface Explanation {
  allowed: boolean;
  text: string;
}

async function loadRecord(knex: Knex, principal: Principal, subjectName: SubjectName, id: string): Promise<Record<string, unknown>> {
  const model = MODELS[subjectName];
  if (!model) throw new AppError('validation_failed', `explain supports ${Object.keys(MODELS).join(', ')}`);
  const row = await model.query(knex).where({ tenant_id: principal.tenantId, id }).first();
  if (!row) throw new AppError('not_found', `${subjectName} ${id} not found in tenant ${principal.tenantId}`);
  return row.toJSON() as Record<string, unknown>;
}

/** Which rule decided: CASL's relevant rule for the action on this record, with where it came from. */
export async function explainDecision(knex: Knex, input: { user: string; action: string; subject: string; id: string }): Promise<Explanation> {
  if (!(SUBJECTS as readonly string[]).includes(input.subject)) throw new AppError('validation_failed', `unknown subject ${input.subject}`);
  const principal = await authenticatedPrincipalOf(knex, input.user);
  const policy = await loadTenantPolicy(knex, principal);
  const ability = abilityFor(principal, policy);
  const record = await loadRecord(knex, principal, input.subject as SubjectName, input.id);
  const target = caslSubject(input.subject, record);
  const allowed = ability.can(input.action as Action, target);
  const rule = ability.relevantRuleFor(input.action as Action, target);
  const who = `${principal.principalId} (${principal.role as Role}, stores ${principal.storeIds.join(',') || '-'}, regions ${principal.regionIds.join(',') || '-'})`;
  const decision = allowed ? 'ALLOWED' : 'DENIED';
  if (!rule) return { allowed, text: `${decision}: ${who} may not ${input.action} ${input.subject} ${input.id}: no rule of the role grants it` };
  const origin = rule.origin as { source?: string };
  const described = JSON.stringify({ action: rule.action, subject: rule.subject, conditions: rule.conditions, inverted: rule.inverted || undefined });
  return { allowed, text: `${decision}: ${who} ${input.action} ${input.subject} ${input.id}\n  by ${rule.inverted ? 'inverted ' : ''}rule ${described}\n  from ${origin.source ?? 'unknown source'}` };
}
