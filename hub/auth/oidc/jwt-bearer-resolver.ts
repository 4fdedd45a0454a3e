import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Knex } from 'knex';
import { AppError, isIdOf } from '../../../contracts/index.js';
import { PRODUCTION, Store } from '../../../models/index.js';
import type { Principal } from '../../../policies/index.js';
import type { PrincipalResolver } from '../principal-resolver.js';
import { TOKEN_PREFIX } from '../api-tokens.js';
import { claimValues } from './claim-mapping.js';
import { principalForUser } from './principal-for-user.js';
import type { RelyingParty } from './relying-party.js';
import { inTenant } from './tenant-transaction.js';
import { provisionUser } from './user-provisioner.js';

/** Asymmetric algorithms only: `none` and HMAC (which a public JWKS cannot verify safely) are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface ServiceClaims {
  tenantId: string;
  issuer: string;
  clientId: string;
  claims: JWTPayload;
}

/** Where the service-identity registry (svc_ table) plugs in: return a principal, or null to fall back to the claims. */
export type ServiceLookup = (trx: Knex.Transaction, service: ServiceClaims) => Promise<Principal | null>;

/**
 * A client-credentials token speaks for a machine, not a person: RFC 9068 (oidc-provider, Okta) puts the
 * client id in `sub`; Entra ID marks app tokens with `idtyp: app` (an optional claim to switch on);
 * Keycloak's service-account tokens have a user-like `sub`, so there the client carries the service-id claim.
 */
function serviceClientId(claims: JWTPayload, serviceIdClaim: string): string | null {
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : typeof claims.azp === 'string' ? claims.azp : null;
  if (clientId && (claims.sub === clientId || claims.idtyp === 'app' || typeof claims[serviceIdClaim] === 'string')) return clientId;
  return null;
}

function derivedServiceId(issuer: string, clientId: string): string {
  const digest = createHash('sha256').update(`${issuer}\n${clientId}`).digest('hex').slice(0, 26);
  return `svc_${digest}`;
}

async function servicePrincipal(trx: Knex.Transaction, service: ServiceClaims, rp: RelyingParty): Promise<Principal> {
  const names = claimValues(service.claims, rp.config.storeClaim);
  const stores = names.length === 0 ? [] : await Store.forTenant(trx, service.tenantId).where((qb) => qb.whereIn('stores.id', names).orWhereIn('stores.code', names)).select('id');
  if (stores.length === 0) throw new AppError('forbidden', 'this service identity is bound to no store of the tenant');
  const claimed = service.claims[rp.config.serviceIdClaim];
  const principalId = typeof claimed === 'string' && isIdOf('service', claimed) ? claimed : derivedServiceId(service.issuer, service.clientId);
  return { tenantId: service.tenantId, environment: PRODUCTION, principalId, kind: 'service', role: 'plugin', storeIds: stores.map((s) => s.id).sort(), regionIds: [] };
}

function refusal(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const reason = error instanceof joseErrors.JWTExpired ? 'expired'
    : error instanceof joseErrors.JWTClaimValidationFailed ? `claim ${error.claim} is not acceptable`
    : error instanceof joseErrors.JOSEAlgNotAllowed ? 'algorithm not allowed'
    : error instanceof joseErrors.JWSSignatureVerificationFailed ? 'bad signature'
    : error instanceof joseErrors.JWKSNoMatchingKey ? 'signed by an unknown key'
    : 'not a valid token';
  return new AppError('unauthenticated', `bearer token refused: ${reason}`, { cause: error });
}

/**
 * Access tokens (JWT) from the configured provider, checked against its JWKS: signature, issuer, audience,
 * expiry. People map to their user row (provisioned from the token's claims on first sight); services
 * (client credentials) map to a `plugin` principal bound to the stores its claim names.
 */
export function jwtBearerResolver(rp: RelyingParty, options: { serviceLookup?: ServiceLookup } = {}): PrincipalResolver {
  let jwks: { uri: string; keys: ReturnType<typeof createRemoteJWKSet> } | null = null;
  return {
    name: 'oidc-jwt',
    resolve: async (knex, credentials) => {
      const token = credentials.bearer;
      if (!token || token.startsWith(TOKEN_PREFIX)) return null;
      const { issuer, jwksUri } = await rp.endpoints();
      if (jwks?.uri !== jwksUri) jwks = { uri: jwksUri, keys: createRemoteJWKSet(new URL(jwksUri)) };
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, jwks.keys, {
          issuer, audience: rp.config.audience ?? rp.config.clientId, algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        throw refusal(error);
      }
      // Only ID tokens carry a nonce: one lifted from a browser is not an access token for the API, even
      // where the provider gives both the same audience (the client id).
      if (claims.nonce !== undefined) throw new AppError('unauthenticated', 'bearer token refused: an ID token is not an access token');
      const tenantId = rp.config.tenantId;
      return inTenant(knex, tenantId, async (trx) => {
        const clientId = serviceClientId(claims, rp.config.serviceIdClaim);
        if (clientId) {
          const service = { tenantId, issuer, clientId, claims };
          return (await options.serviceLookup?.(trx, service)) ?? servicePrincipal(trx, service, rp);
        }
        const user = await provisionUser(trx, { tenantId, issuer, claims: { ...claims }, mapping: rp.config, requestId: null, isLogin: false });
        return principalForUser(trx, user);
      });
    },
  };
}
