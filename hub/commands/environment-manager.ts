import { AppError, type EnvironmentKind } from '../../contracts/index.js';
import { Environment, Session, User } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';

export interface NewEnvironment {
  name: string;
  label: string;
  kind: Exclude<EnvironmentKind, 'production'>;
}

export const describeEnvironment = (e: Environment) => ({ name: e.name, label: e.label, kind: e.kind, createdBy: e.createdBy, createdAt: e.createdAt.toISOString() });

/**
 * Adds an environment to the tenant (audited). Its data starts empty: stores, endpoints, keys and evidence
 * are made inside it by tokens or sessions acting in it. Production exists from the tenant's creation.
 */
export async function createEnvironment(ctx: CommandContext, input: NewEnvironment): Promise<Environment> {
  const existing = await Environment.forTenant(ctx.trx, ctx.tenantId).findOne('environments.name', input.name);
  if (existing) throw new AppError('conflict', `the environment ${input.name} exists already`, { details: { field: 'name' } });
  const created = await Environment.query(ctx.trx).insertAndFetch({ tenantId: ctx.tenantId, name: input.name, label: input.label, kind: input.kind, createdBy: ctx.actor.id });
  await writeAudit(ctx, { action: 'environment.created', subjectType: 'Environment', subjectId: input.name, after: describeEnvironment(created) });
  return created;
}

/** The environment, or a 404 naming it: a token or user may only be bound to one that exists. */
export async function requireEnvironment(ctx: CommandContext, name: string): Promise<Environment> {
  const found = await Environment.forTenant(ctx.trx, ctx.tenantId).findOne('environments.name', name);
  if (!found) throw new AppError('not_found', `this tenant has no environment ${name}`, { details: { field: 'environment' } });
  return found;
}

/** Moves a console session to another environment the person may use (audited); its next request acts there. */
export async function switchSessionEnvironment(ctx: CommandContext, sessionId: string, environment: string): Promise<void> {
  await requireEnvironment(ctx, environment);
  const session = await Session.forTenant(ctx.trx, ctx.tenantId).findOne('sessions.id', sessionId).forUpdate();
  if (!session) throw new AppError('unauthenticated', 'your session has ended; log in again');
  const user = await User.forTenant(ctx.trx, ctx.tenantId).findOne('users.id', session.userId);
  if (!user?.environments.includes(environment)) throw new AppError('forbidden', `you may not use the ${environment} environment`);
  if (session.environment === environment) return;
  await Session.query(ctx.trx).patch({ environment }).where({ tenant_id: ctx.tenantId, id: sessionId });
  await writeAudit(ctx, { action: 'session.environment_switched', subjectType: 'User', subjectId: user.id, before: { environment: session.environment }, after: { environment, sessionId } });
}
