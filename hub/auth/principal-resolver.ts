import type { Knex } from 'knex';
import type { Principal } from '../../policies/index.js';

/** What an authenticator sees of a request. */
export interface Credentials {
  /** The token of `Authorization: Bearer <token>`, if any. */
  bearer: string | null;
  /** Cookie lookup. */
  cookie(name: string): string | undefined;
}

/**
 * One way of turning a request's credentials into a principal: `vgl_` API tokens, OpenID Connect access
 * tokens (JWT, checked against the provider's JWKS), the console's session cookie. `null` means "not mine,
 * ask the next one"; an AppError means "mine, and refused".
 */
export interface PrincipalResolver {
  readonly name: string;
  /**
   * True when the credential is one the browser attaches by itself (a cookie): a state-changing request
   * authenticated this way must also pass the same-origin check.
   */
  readonly isAmbient?: boolean;
  resolve(knex: Knex, credentials: Credentials): Promise<Principal | null>;
}
