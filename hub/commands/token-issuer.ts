import { AppError, type Id } from '../../contracts/index.js';
import { ApiToken, inEnvironment, PRODUCTION, Region, Store } from '../../models/index.js';
import { requireEnvironment } from './environment-manager.js';
import type { Role } from '../../policies/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { mintApiToken } from '../auth/api-tokens.js';
import { nowOf } from './clock.js';

export interface TokenRequest {
  name: string;
  role: Role;
  storeIds: Id<'store'>[];
  regionIds: Id<'region'>[];
  expiresAt: Date | null;
  /** The environment the token acts in; the caller's own unless named. */
  environment?: string | undefined;
}

/** A token as the API shows it and the audit trail records it: never the secret, never its hash. */
export const describeToken = (t: ApiToken) => ({
  id: t.id, name: t.name, environment: t.environment, role: t.role, principalId: t.principalId, displayPrefix: t.displayPrefix, storeIds: t.storeIds, regionIds: t.regionIds,
  createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

/** A token may only be scoped to stores of the environment and regions of the tenant it is minted for. */
async function requireScope(ctx: CommandContext, environment: string, storeIds: string[], regionIds: string[]): Promise<void> {
  const stores = storeIds.length
    ? await inEnvironment(ctx.trx, environment, async () => await Store.forTenant(ctx.trx, ctx.tenantId).where('stores.environment', environment).whereIn('stores.id', storeIds).select('id'))
    : [];
  const regions = regionIds.length ? await Region.forTenant(ctx.trx, ctx.tenantId).whereIn('regions.id', regionIds).select('id') : [];
  if (stores.length !== new Set(storeIds).size || regions.length !== new Set(regionIds).size) throw new AppError('not_found', 'a store or region of this scope was not found');
}

function requireShape(request: TokenRequest, now: Date): void {
  if (request.expiresAt && request.expiresAt.getTime() <= now.getTime()) throw new AppError('validation_failed', 'expiresAt must be in the future', { details: { field: 'expiresAt' } });
  if (['store_staff', 'store_manager', 'plugin'].includes(request.role) && request.storeIds.length === 0) throw new AppError('validation_failed', `a ${request.role} token needs storeIds`);
  if (request.role === 'regional_manager' && request.regionIds.length === 0) throw new AppError('validation_failed', 'a regional_manager token needs regionIds');
}

/**
 * Mints an API token (the caller has authorized minting this role) and audits it. The API and `vigil tokens
 * create` both come here, so both make the same checks and leave the same audit record.
 */
export async function issueToken(ctx: CommandContext, request: TokenRequest): Promise<{ token: string; record: ApiToken }> {
  requireShape(request, nowOf(ctx));
  const environment = request.environment ?? ctx.environment ?? PRODUCTION;
  await requireEnvironment(ctx, environment);
  await requireScope(ctx, environment, request.storeIds, request.regionIds);
  const minted = await mintApiToken(ctx.trx, {
    tenantId: ctx.tenantId, environment, role: request.role, name: request.name, storeIds: request.storeIds, regionIds: request.regionIds,
    createdBy: ctx.actor.id, expiresAt: request.expiresAt,
  });
  await writeAudit(ctx, { action: 'token.created', subjectType: 'ApiToken', subjectId: minted.record.id, after: describeToken(minted.record) });
  return minted;
}

/** Revokes a token (already loaded FOR UPDATE and authorized); revoking twice keeps the first time. */
export async function revokeToken(ctx: CommandContext, token: ApiToken): Promise<ApiToken> {
  const revoked = await ApiToken.query(ctx.trx).patchAndFetchById([ctx.tenantId, token.id], { revokedAt: token.revokedAt ?? nowOf(ctx) });
  await writeAudit(ctx, { action: 'token.revoked', subjectType: 'ApiToken', subjectId: token.id, before: describeToken(token), after: describeToken(revoked) });
  return revoked;
}
