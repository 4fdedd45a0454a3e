import { z } from 'zod';
import { ROLES } from '../../../policies/index.js';

const boolish = z.union([z.boolean(), z.stringbool()]);
const list = z.union([z.array(z.string().min(1)), z.string().transform((value) => value.split(/[\s,]+/).filter(Boolean))]);

/**
 * The hub as an OpenID Connect relying party. Any standard provider works by configuration: Entra ID,
 * Okta, Keycloak, or the built-in dev provider (which fills this section in itself).
 */
export const oidcConfigSchema = z.strictObject({
  issuer: z.url().describe('The provider\'s issuer URL, exactly as its discovery document states it (VIGIL_OIDC_ISSUER).'),
  clientId: z.string().min(1).describe('The hub\'s client id at the provider (VIGIL_OIDC_CLIENT_ID).'),
  clientSecret: z.string().min(1).optional().describe('Client secret; absent means a public client using PKCE only (VIGIL_OIDC_CLIENT_SECRET).'),
  tenantId: z.string().regex(/^ten_[0-9a-z]{10,40}$/, 'must be a ten_ id').describe('The Vigil tenant the provider\'s users belong to (VIGIL_OIDC_TENANT).'),
  redirectUri: z.url().optional().describe('Exact redirect URI registered at the provider; default `<publicUrl>/auth/callback` (VIGIL_OIDC_REDIRECT_URI).'),
  postLogoutRedirectUri: z.url().optional().describe('Where the provider sends the browser after logout; default `<publicUrl>/` (VIGIL_OIDC_POST_LOGOUT_REDIRECT_URI).'),
  scopes: list.default(['openid', 'email', 'profile']).describe('Scopes asked for at login; `openid` is always included (VIGIL_OIDC_SCOPES).'),
  audience: z.string().min(1).optional().describe('Expected `aud` of bearer access tokens sent to the API; default the client id (VIGIL_OIDC_AUDIENCE).'),
  roleClaims: list.default(['roles', 'groups']).describe('Claims whose values name roles or groups (VIGIL_OIDC_ROLE_CLAIMS).'),
  roleMap: z.record(z.string(), z.enum(ROLES)).default({}).describe('Group or role claim value -> Vigil role; values equal to a Vigil role name map to it anyway.'),
  storeClaim: z.string().min(1).default('stores').describe('Claim listing store ids or store codes (VIGIL_OIDC_STORE_CLAIM).'),
  regionClaim: z.string().min(1).default('regions').describe('Claim listing region ids or names (VIGIL_OIDC_REGION_CLAIM).'),
  storeGroupPrefix: z.string().min(1).optional().describe('Groups named `<prefix><store code>` grant that store, e.g. `vigil-store-` (VIGIL_OIDC_STORE_GROUP_PREFIX).'),
  regionGroupPrefix: z.string().min(1).optional().describe('Groups named `<prefix><region name>` grant that region (VIGIL_OIDC_REGION_GROUP_PREFIX).'),
  serviceIdClaim: z.string().min(1).default('vigil_service_id').describe('Claim of a client-credentials token naming the svc_ identity it speaks for.'),
  sessionTtlSeconds: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(8 * 3600).describe('Console session lifetime (VIGIL_OIDC_SESSION_TTL).'),
  sessionIdleMinutes: z.coerce.number().int().min(5).max(24 * 60).default(30).describe('A console session unused this long ends, whatever its lifetime left (VIGIL_OIDC_SESSION_IDLE_MINUTES).'),
  allowHttp: boolish.default(false).describe('Allow an http:// issuer (development only; the dev IdP sets it) (VIGIL_OIDC_ALLOW_HTTP).'),
});

export type OidcConfig = z.infer<typeof oidcConfigSchema>;

/** Environment variable -> key of the `oidc` section. */
export const OIDC_ENV: Record<string, keyof OidcConfig> = {
  VIGIL_OIDC_ISSUER: 'issuer',
  VIGIL_OIDC_CLIENT_ID: 'clientId',
  VIGIL_OIDC_CLIENT_SECRET: 'clientSecret',
  VIGIL_OIDC_TENANT: 'tenantId',
  VIGIL_OIDC_REDIRECT_URI: 'redirectUri',
  VIGIL_OIDC_POST_LOGOUT_REDIRECT_URI: 'postLogoutRedirectUri',
  VIGIL_OIDC_SCOPES: 'scopes',
  VIGIL_OIDC_AUDIENCE: 'audience',
  VIGIL_OIDC_ROLE_CLAIMS: 'roleClaims',
  VIGIL_OIDC_STORE_CLAIM: 'storeClaim',
  VIGIL_OIDC_REGION_CLAIM: 'regionClaim',
  VIGIL_OIDC_STORE_GROUP_PREFIX: 'storeGroupPrefix',
  VIGIL_OIDC_REGION_GROUP_PREFIX: 'regionGroupPrefix',
  VIGIL_OIDC_SESSION_TTL: 'sessionTtlSeconds',
  VIGIL_OIDC_SESSION_IDLE_MINUTES: 'sessionIdleMinutes',
  VIGIL_OIDC_ALLOW_HTTP: 'allowHttp',
};

/** The `oidc` section from VIGIL_OIDC_* variables (VIGIL_OIDC_ROLE_MAP holds JSON), or undefined when none is set. */
export function oidcFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [variable, key] of Object.entries(OIDC_ENV)) {
    const value = env[variable];
    if (value !== undefined && value !== '') out[key] = value;
  }
  const roleMap = env.VIGIL_OIDC_ROLE_MAP;
  if (roleMap) {
    try {
      out.roleMap = JSON.parse(roleMap) as unknown;
    } catch {
      out.roleMap = `VIGIL_OIDC_ROLE_MAP is not JSON`;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export const devIdpSchema = boolish.default(false).describe('Mount the built-in OpenID provider at /idp with seeded demo users (VIGIL_DEV_IDP=1; never in production).');
