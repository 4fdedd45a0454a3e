import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError, newId } from '../../contracts/index.js';
import { ApiToken, Store } from '../../models/index.js';
import { ROLES, type Principal, type Role } from '../../policies/index.js';
import { LATEST_POLICY_LATERAL_SQL, rememberPolicy } from '../policies-store/tenant-policy-loader.js';

export const TOKEN_PREFIX = 'vgl_';
const TOKEN_SHAPE = /^vgl_[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface MintTokenInput {
  tenantId: string;
  /** Production unless named. */
  environment?: string;
  role: Role;
  name: string;
  principalId?: string;
  storeIds?: string[];
  regionIds?: string[];
  createdBy: string;
  expiresAt?: Date | null;
}

export interface MintedToken {
  token: string;
  record: ApiToken;
}

function principalFor(role: Role): string {
  return role === 'plugin' ? newId('service') : newId('user');
}

/** Mints a `vgl_` token. Only its SHA-256 is stored: the token is shown once, to the caller. */
export async function mintApiToken(trx: Knex | Knex.Transaction, input: MintTokenInput): Promise<MintedToken> {
  if (!ROLES.includes(input.role)) throw new AppError('validation_failed', `unknown role ${input.role}`);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await ApiToken.query(trx).insertAndFetch({
    tenantId: input.tenantId,
    environment: input.environment ?? 'production',
    id: newId('token'),
    tokenHash: hashToken(token),
    displayPrefix: token.slice(0, 10),
    name: input.name,
    role: input.role,
    principalId: input.principalId ?? principalFor(input.role),
    storeIds: input.storeIds ?? [],
    regionIds: input.regionIds ?? [],
    createdBy: input.createdBy,
    expiresAt: input.expiresAt ?? null,
  });
  return { token, record };
}

async function storesOfRegions(knex: Knex, tenantId: string, regionIds: string[]): Promise<string[]> {
  if (regionIds.length === 0) return [];
  const rows = await Store.forTenant(knex, tenantId).whereIn('region_id', regionIds).select('id');
  return rows.map((row) => row.id);
}

/**
 * Resolves a bearer token to its principal, or refuses. Revocation and expiry are read on every request,
 * so they take effect on the next one.
 */
export async function authenticateApiToken(knex: Knex, token: string, now: Date = new Date()): Promise<Principal> {
  if (!TOKEN_SHAPE.test(token)) throw new AppError('unauthenticated', 'malformed API token');
  // The role's tenant policy comes in the same statement (the request needs it next).
  const record = await ApiToken.query(knex).alias('t').select('t.*', 'latest_policy.*').joinRaw(LATEST_POLICY_LATERAL_SQL).findOne('t.token_hash', hashToken(token));
  if (!record) throw new AppError('unauthenticated', 'unknown API token');
  if (record.revokedAt && record.revokedAt <= now) throw new AppError('unauthenticated', 'this API token was revoked');
  if (record.expiresAt && record.expiresAt <= now) throw new AppError('unauthenticated', 'this API token has expired');
  const regionStores = await storesOfRegions(knex, record.tenantId, record.regionIds);
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > 60_000) {
    await ApiToken.query(knex).patch({ lastUsedAt: now }).where({ tenant_id: record.tenantId, id: record.id });
  }
  const principal: Principal = {
    tenantId: record.tenantId,
    environment: record.environment,
    principalId: record.principalId,
    kind: record.role === 'plugin' ? 'service' : 'user',
    role: record.role as Role,
    storeIds: [...new Set([...record.storeIds, ...regionStores])],
    regionIds: record.regionIds,
    tokenId: record.id,
  };
  rememberPolicy(principal, record);
  return principal;
}

/**
 * Keeps the version a plugin token's plugin last reported (like last use, telemetry rather than an audited change;
 * written on the owner connection, since tokens are the tenant's, not an environment's).
 */
export async function recordPluginVersion(knex: Knex, tenantId: string, tokenId: string, version: string): Promise<void> {
  await ApiToken.query(knex).patch({ pluginVersion: version, pluginVersionSeenAt: new Date() })
    .where({ tenant_id: tenantId, id: tokenId }).whereRaw('plugin_version IS DISTINCT FROM ?', [version]);
}
