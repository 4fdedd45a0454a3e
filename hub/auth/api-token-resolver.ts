import { TOKEN_PREFIX, authenticateApiToken } from './api-tokens.js';
import type { PrincipalResolver } from './principal-resolver.js';

/** Bearer `vgl_…` tokens minted by the hub for people, services and plugins. */
export const apiTokenResolver: PrincipalResolver = {
  name: 'api-token',
  resolve: (knex, credentials) => {
    if (!credentials.bearer?.startsWith(TOKEN_PREFIX)) return Promise.resolve(null);
    return authenticateApiToken(knex, credentials.bearer);
  },
};
