import type { Knex } from 'knex';
import { AppError, newId } from '../../../contracts/index.js';
import { Region, Store, User } from '../../../models/index.js';
import { writeAudit, type CommandContext } from '../../audit/index.js';
import { claimValues, mapClaims, type ClaimMappingConfig, type DirectoryView } from './claim-mapping.js';

export interface ProvisionInput {
  tenantId: string;
  issuer: string;
  claims: Record<string, unknown>;
  mapping: ClaimMappingConfig;
  requestId: string | null;
  /** A login re-reads role and scope from the claims; a bearer token of a known user does not. */
  isLogin: boolean;
  now?: Date;
}

const present = (u: User) => ({ id: u.id, email: u.email, name: u.name, role: u.role, storeIds: u.storeIds, regionIds: u.regionIds, provisionedBy: u.provisionedBy });

/** Only the stores and regions the claims could name are read, so a login costs the same for 10 or 10,000 stores. */
async function directoryFor(trx: Knex.Transaction, input: ProvisionInput): Promise<DirectoryView> {
  const { mapping, claims } = input;
  const names = new Set([...claimValues(claims, mapping.storeClaim), ...claimValues(claims, mapping.regionClaim)]);
  for (const value of mapping.roleClaims.flatMap((name) => claimValues(claims, name))) {
    for (const prefix of [mapping.storeGroupPrefix, mapping.regionGroupPrefix]) if (prefix && value.startsWith(prefix)) names.add(value.slice(prefix.length));
  }
  if (names.size === 0) return { stores: [], regions: [] };
  const list = [...names];
  const stores = await Store.forTenant(trx, input.tenantId).where((qb) => qb.whereIn('stores.id', list).orWhereIn('stores.code', list)).select('id', 'code', 'region_id');
  const regions = await Region.forTenant(trx, input.tenantId).where((qb) => qb.whereIn('regions.id', list).orWhereIn('regions.name', list)).select('id', 'name');
  return { stores: stores.map((s) => ({ id: s.id, code: s.code, regionId: s.regionId })), regions: regions.map((r) => ({ id: r.id, name: r.name })) };
}

function stringClaim(claims: Record<string, unknown>, ...names: string[]): string | null {
  for (const name of names) {
    const value = claims[name];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/**
 * Finds or creates the Vigil user behind an OpenID Connect identity. A user provisioned from claims follows
 * the claims at every login (a group removed at the provider removes the access here); a user an admin
 * entered keeps the role and scope the admin set and is bound to the provider's subject at first login by
 * e-mail. No mapped role means no access: the login is refused rather than given a default role.
 */
export async function provisionUser(trx: Knex.Transaction, input: ProvisionInput): Promise<User> {
  const subject = stringClaim(input.claims, 'sub');
  if (!subject) throw new AppError('unauthenticated', 'the identity has no subject');
  const now = input.now ?? new Date();
  const ctx: CommandContext = { actor: { type: 'system', id: 'oidc' }, tenantId: input.tenantId, requestId: input.requestId, clientAddress: null, trx, now: () => now };
  const users = () => User.forTenant(trx, input.tenantId);
  let user = await users().findOne({ 'users.issuer': input.issuer, 'users.subject': subject });
  if (user?.disabledAt) throw new AppError('forbidden', 'this user is disabled');
  if (user && !input.isLogin) return user;
  const email = (stringClaim(input.claims, 'email', 'preferred_username', 'upn') ?? `${subject}@${new URL(input.issuer).hostname}`).toLowerCase();
  const name = stringClaim(input.claims, 'name') ?? email;
  const mapped = mapClaims(input.mapping, input.claims, await directoryFor(trx, input));
  if (!user) {
    const byEmail = await users().findOne('users.email', email);
    if (byEmail) {
      if (byEmail.disabledAt) throw new AppError('forbidden', 'this user is disabled');
      if (byEmail.subject !== null || input.claims.email_verified === false) throw new AppError('forbidden', 'this e-mail address belongs to another identity');
      const bound = await User.query(trx).patchAndFetchById([input.tenantId, byEmail.id], { issuer: input.issuer, subject, name, updatedAt: now });
      await writeAudit(ctx, { action: 'user.bound', subjectType: 'User', subjectId: bound.id, before: present(byEmail), after: { ...present(bound), issuer: input.issuer, subject } });
      user = bound;
    }
  }
  if (!user) {
    if (!mapped.role) throw new AppError('forbidden', 'your identity provider grants no Vigil role (check the role claim mapping)');
    const created = await User.query(trx).insertAndFetch({
      tenantId: input.tenantId, id: newId('user'), email, name, role: mapped.role, storeIds: mapped.storeIds, regionIds: mapped.regionIds,
      issuer: input.issuer, subject, provisionedBy: 'oidc', createdAt: now, updatedAt: now, lastLoginAt: input.isLogin ? now : null,
    });
    await writeAudit(ctx, { action: 'user.provisioned', subjectType: 'User', subjectId: created.id, after: { ...present(created), issuer: input.issuer, subject } });
    return created;
  }
  const patch: Partial<User> = { lastLoginAt: now };
  if (user.provisionedBy === 'oidc') {
    if (!mapped.role) throw new AppError('forbidden', 'your identity provider no longer grants a Vigil role');
    if (mapped.role !== user.role || !sameList(mapped.storeIds, user.storeIds) || !sameList(mapped.regionIds, user.regionIds) || email !== user.email || name !== user.name) {
      Object.assign(patch, { role: mapped.role, storeIds: mapped.storeIds, regionIds: mapped.regionIds, email, name, updatedAt: now });
    }
  }
  const updated = await User.query(trx).patchAndFetchById([input.tenantId, user.id], patch);
  if (patch.role) await writeAudit(ctx, { action: 'user.updated', subjectType: 'User', subjectId: user.id, before: present(user), after: present(updated) });
  return updated;
}
