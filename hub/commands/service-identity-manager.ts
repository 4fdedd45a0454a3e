import { AppError, newId } from '../../contracts/index.js';
import { ApiToken, PRODUCTION, ServiceIdentity, Store } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { mintApiToken } from '../auth/api-tokens.js';

async function requireStores(ctx: CommandContext, storeIds: string[]): Promise<void> {
  const found = await Store.forTenant(ctx.trx, ctx.tenantId).whereIn('stores.id', storeIds).select('id');
  const missing = storeIds.filter((id) => !found.some((s) => s.id === id));
  if (missing.length > 0) throw new AppError('not_found', `store(s) not found: ${missing.join(', ')}`);
}

/** A plugin installation's identity: bound to the tenant and a set of stores, with its first token. */
export async function createServiceIdentity(ctx: CommandContext, input: { name: string; storeIds: string[] }): Promise<{ identity: ServiceIdentity; token: string; tokenId: string }> {
  await requireStores(ctx, input.storeIds);
  const identity = await ServiceIdentity.query(ctx.trx).insertAndFetch({ tenantId: ctx.tenantId, environment: ctx.environment ?? PRODUCTION, id: newId('service'), name: input.name, storeIds: input.storeIds, createdBy: ctx.actor.id });
  const minted = await mintApiToken(ctx.trx, { tenantId: ctx.tenantId, environment: identity.environment, role: 'plugin', name: `${input.name} token`, principalId: identity.id, storeIds: input.storeIds, createdBy: ctx.actor.id });
  await writeAudit(ctx, [
    { action: 'service_identity.created', subjectType: 'ServiceIdentity', subjectId: identity.id, after: { name: input.name, storeIds: input.storeIds } },
    { action: 'token.created', subjectType: 'ApiToken', subjectId: minted.record.id, after: { principalId: identity.id, role: 'plugin' } },
  ]);
  return { identity, token: minted.token, tokenId: minted.record.id };
}

const activeTokens = (ctx: CommandContext, identityId: string, now: Date) =>
  ApiToken.forTenant(ctx.trx, ctx.tenantId)
    .where('principal_id', identityId)
    .whereNull('revoked_at')
    .where((q) => void q.whereNull('expires_at').orWhere('expires_at', '>', now));

/**
 * Mints a new token; the identity's current tokens stay valid for the grace period (so the plugin can pick up
 * the new one without an outage) and then expire.
 */
export async function rotateServiceToken(ctx: CommandContext, identity: ServiceIdentity, graceSeconds: number): Promise<{ token: string; tokenId: string; previousValidUntil: Date }> {
  if (identity.disabledAt) throw new AppError('conflict', 'this service identity is disabled');
  const now = new Date();
  const until = new Date(now.getTime() + graceSeconds * 1000);
  const previous = await activeTokens(ctx, identity.id, now);
  for (const token of previous) {
    if (!token.expiresAt || token.expiresAt > until) await ApiToken.query(ctx.trx).patch({ expiresAt: until }).where({ tenant_id: ctx.tenantId, id: token.id });
  }
  const minted = await mintApiToken(ctx.trx, { tenantId: ctx.tenantId, environment: identity.environment, role: 'plugin', name: `${identity.name} token`, principalId: identity.id, storeIds: identity.storeIds, createdBy: ctx.actor.id });
  await writeAudit(ctx, { action: 'service_identity.token_rotated', subjectType: 'ServiceIdentity', subjectId: identity.id, after: { newTokenId: minted.record.id, previousTokenIds: previous.map((t) => t.id), previousValidUntil: until.toISOString() } });
  return { token: minted.token, tokenId: minted.record.id, previousValidUntil: until };
}

/** Changes the stores an identity speaks for (its tokens follow) or disables it (its tokens are revoked). */
export async function updateServiceIdentity(ctx: CommandContext, identity: ServiceIdentity, patch: { storeIds?: string[] | undefined; disabled?: boolean | undefined }): Promise<ServiceIdentity> {
  const now = new Date();
  const changes: Record<string, unknown> = { updatedAt: now };
  if (patch.storeIds) {
    await requireStores(ctx, patch.storeIds);
    changes.storeIds = patch.storeIds;
    await ApiToken.query(ctx.trx).patch({ storeIds: patch.storeIds }).where({ tenant_id: ctx.tenantId, principal_id: identity.id });
  }
  if (patch.disabled === true && !identity.disabledAt) {
    changes.disabledAt = now;
    await ApiToken.query(ctx.trx).patch({ revokedAt: now }).where({ tenant_id: ctx.tenantId, principal_id: identity.id }).whereNull('revoked_at');
  }
  if (patch.disabled === false) changes.disabledAt = null;
  const updated = await ServiceIdentity.query(ctx.trx).patchAndFetchById([ctx.tenantId, identity.id], changes);
  await writeAudit(ctx, { action: 'service_identity.updated', subjectType: 'ServiceIdentity', subjectId: identity.id, before: { storeIds: identity.storeIds, disabledAt: identity.disabledAt }, after: { storeIds: updated.storeIds, disabledAt: updated.disabledAt } });
  return updated;
}
