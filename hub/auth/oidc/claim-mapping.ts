import type { Role } from '../../../policies/index.js';
import type { OidcConfig } from './config-schema.js';

/** When a person's claims name several roles, the broadest wins (one role per user keeps policies legible). */
const HUMAN_ROLES_BY_PRECEDENCE: Role[] = [
  'lp_admin', 'central_reviewer', 'auditor', 'it_integrator', 'regional_manager', 'store_manager', 'store_staff',
];

export interface DirectoryView {
  stores: Array<{ id: string; code: string; regionId: string }>;
  regions: Array<{ id: string; name: string }>;
}

export interface MappedIdentity {
  role: Role | null;
  storeIds: string[];
  regionIds: string[];
}

export type ClaimMappingConfig = Pick<OidcConfig, 'roleClaims' | 'roleMap' | 'storeClaim' | 'regionClaim' | 'storeGroupPrefix' | 'regionGroupPrefix'>;

/** A claim as a list of strings: providers send arrays, space-separated strings (scope-like) or one value. */
export function claimValues(claims: Record<string, unknown>, name: string): string[] {
  const value = claims[name];
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item.length > 0);
  return [];
}

function mapRole(config: ClaimMappingConfig, values: string[]): Role | null {
  const roles = new Set<Role>();
  for (const value of values) {
    const mapped = config.roleMap[value] ?? (HUMAN_ROLES_BY_PRECEDENCE as string[]).find((role) => role === value);
    if (mapped) roles.add(mapped as Role);
  }
  return HUMAN_ROLES_BY_PRECEDENCE.find((role) => roles.has(role)) ?? null;
}

/**
 * Turns a person's ID token claims into a Vigil role and scope. Stores are named by id or by store code
 * (what a directory group would use), regions by id or name; names the hub does not know are ignored, so
 * a claim can never widen access beyond the tenant's real stores. A regional role also gets every store
 * of its regions when the principal is built, not here.
 */
export function mapClaims(config: ClaimMappingConfig, claims: Record<string, unknown>, directory: DirectoryView): MappedIdentity {
  const roleValues = config.roleClaims.flatMap((name) => claimValues(claims, name));
  const role = mapRole(config, roleValues);
  const storeNames = new Set(claimValues(claims, config.storeClaim));
  const regionNames = new Set(claimValues(claims, config.regionClaim));
  for (const value of roleValues) {
    if (config.storeGroupPrefix && value.startsWith(config.storeGroupPrefix)) storeNames.add(value.slice(config.storeGroupPrefix.length));
    if (config.regionGroupPrefix && value.startsWith(config.regionGroupPrefix)) regionNames.add(value.slice(config.regionGroupPrefix.length));
  }
  const storeIds = directory.stores.filter((s) => storeNames.has(s.id) || storeNames.has(s.code)).map((s) => s.id);
  const regionIds = directory.regions.filter((r) => regionNames.has(r.id) || regionNames.has(r.name)).map((r) => r.id);
  return { role, storeIds: [...new Set(storeIds)].sort(), regionIds: [...new Set(regionIds)].sort() };
}
