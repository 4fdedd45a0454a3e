import { subject as caslSubject } from '@casl/ability';
import { AppError } from '../../contracts/index.js';
import { abilityFor, type Action, type AppAbility, type SubjectName } from '../../policies/index.js';
import { loadTenantPolicy } from '../policies-store/tenant-policy-loader.js';
import type { RequestContext } from './state.js';

/**
 * The one authorization seam for single records. A record the caller may not even read answers 404,
 * exactly like a record of another tenant, so ids leak nothing; a readable record the caller may not
 * change answers 403.
 */
export function authorize(ctx: RequestContext, action: Action, subjectName: Exclude<SubjectName, 'all'>, record: object): void {
  const target = caslSubject(subjectName, { ...record } as Record<string, unknown>);
  if (ctx.ability.can(action, target)) return;
  if (action !== 'read' && ctx.ability.can('read', target)) {
    throw new AppError('forbidden', `your role may not ${action} this ${subjectName.toLowerCase()}`);
  }
  throw new AppError('not_found', `${subjectName.toLowerCase()} not found`);
}

/** For actions without a record yet (create): refuse with 403 unless some rule could allow it. */
export function authorizeType(ctx: RequestContext, action: Action, subjectName: Exclude<SubjectName, 'all'>): void {
  if (!ctx.ability.can(action, subjectName)) throw new AppError('forbidden', `your role may not ${action} ${subjectName.toLowerCase()}s`);
}

export function orNotFound<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new AppError('not_found', `${what} not found`);
  return value;
}

/**
 * The caller's ability as it would be in another environment of the tenant (rules limited to environments
 * apply there or not), for control-plane moves that act on that environment, such as minting its tokens.
 */
export async function abilityIn(ctx: RequestContext, environment: string): Promise<AppAbility> {
  const principal = { ...ctx.principal, environment };
  return abilityFor(principal, await loadTenantPolicy(ctx.trx, principal));
}
