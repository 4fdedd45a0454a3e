import { AppError } from '../../../contracts/index.js';
import type { PrincipalResolver } from '../principal-resolver.js';
import { principalForUser } from './principal-for-user.js';
import { findLiveSession, parseSessionCookie, SESSION_COOKIE, type SessionPolicy } from './sessions.js';
import { inTenant } from './tenant-transaction.js';

/**
 * The console's session cookie. A request that also carries a bearer token is the token's business, so a
 * browser session never widens what a script with a token may do. A cookie that is present but not valid
 * (forged, expired, idle too long, revoked, user disabled) is refused, not ignored.
 */
export function sessionResolver(policy: SessionPolicy): PrincipalResolver {
  return {
    name: 'session',
    isAmbient: true,
    resolve: async (knex, credentials) => {
      if (credentials.bearer) return null;
      const raw = credentials.cookie(SESSION_COOKIE);
      if (raw === undefined || raw === '') return null;
      const cookie = parseSessionCookie(raw);
      if (!cookie) throw new AppError('unauthenticated', 'malformed session cookie; log in again');
      return inTenant(knex, cookie.tenantId, async (trx) => {
        const live = await findLiveSession(trx, cookie, policy);
        if (!live) throw new AppError('unauthenticated', 'your session has ended; log in again');
        return { ...(await principalForUser(trx, live.user, live.session.environment)), sessionId: live.session.id };
      });
    },
  };
}
