export { startIdentity, type Identity, type StartIdentityOptions } from './identity.js';
export { oidcConfigSchema, oidcFromEnv, type OidcConfig } from './config-schema.js';
export { jwtBearerResolver, type ServiceLookup, type ServiceClaims } from './jwt-bearer-resolver.js';
export { sessionResolver } from './session-resolver.js';
export { RelyingParty } from './relying-party.js';
export { mapClaims, claimValues } from './claim-mapping.js';
export { SESSION_COOKIE } from './sessions.js';
export { sessionSweeperJob, sweepExpiredLogins } from './session-sweeper-job.js';
