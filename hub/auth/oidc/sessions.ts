import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { isIdOf, newId } from '../../../contracts/index.js';
import { Session, User } from '../../../models/index.js';

export const SESSION_COOKIE = 'vigil_session';

const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface SessionCookie {
  tenantId: string;
  sessionId: string;
  secret: string;
}

/** `<tenant id>.<session id>.<secret>`: the tenant lets the lookup run under row-level security. */
export function formatSessionCookie(cookie: SessionCookie): string {
  return `${cookie.tenantId}.${cookie.sessionId}.${cookie.secret}`;
}

export function parseSessionCookie(value: string | undefined): SessionCookie | null {
  if (!value) return null;
  const [tenantId, sessionId, secret, extra] = value.split('.');
  if (extra !== undefined || !tenantId || !sessionId || !secret) return null;
  if (!isIdOf('tenant', tenantId) || !isIdOf('session', sessionId) || !SECRET_SHAPE.test(secret)) return null;
  return { tenantId, sessionId, secret };
}

export interface CreatedSession {
  cookie: string;
  session: Session;
}

export async function createSession(
  trx: Knex.Transaction,
  input: { tenantId: string; userId: string; ttlSeconds: number; idToken: string | null; now?: Date },
): Promise<CreatedSession> {
  const now = input.now ?? new Date();
  const secret = randomBytes(32).toString('base64url');
  const session = await Session.query(trx).insertAndFetch({
    tenantId: input.tenantId, id: newId('session'), secretHash: hashSecret(secret), userId: input.userId, idToken: input.idToken,
    createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
  });
  return { cookie: formatSessionCookie({ tenantId: input.tenantId, sessionId: session.id, secret }), session };
}

export interface LiveSession {
  session: Session;
  user: User;
}

/** How long a session may sit unused, and the clock it is judged by (tests inject one). */
export interface SessionPolicy {
  idleSeconds: number;
  now: () => Date;
}

/** Last-seen is written at most this often, so a busy console does not turn every read into a write. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * The session and its user, or null when the cookie is unknown or forged, the session is past its absolute
 * lifetime or has been idle longer than the policy allows, or its user is disabled. Because last-seen moves
 * at most once a minute, a session may live up to a minute past its idle limit, never less than it.
 */
/** The session the cookie names, if its secret matches, whatever its age. */
async function matchingSession(trx: Knex.Transaction, cookie: SessionCookie): Promise<Session | null> {
  const session = await Session.forTenant(trx, cookie.tenantId).findOne('sessions.id', cookie.sessionId);
  if (!session) return null;
  const expected = Buffer.from(session.secretHash, 'hex');
  const presented = Buffer.from(hashSecret(cookie.secret), 'hex');
  return expected.length === presented.length && timingSafeEqual(expected, presented) ? session : null;
}

export async function findLiveSession(trx: Knex.Transaction, cookie: SessionCookie, policy: SessionPolicy): Promise<LiveSession | null> {
  const now = policy.now();
  const session = await matchingSession(trx, cookie);
  if (!session) return null;
  if (session.expiresAt <= now || isIdle(session, policy.idleSeconds, now)) return null;
  const user = await User.forTenant(trx, cookie.tenantId).findOne('users.id', session.userId);
  if (!user || user.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await Session.query(trx).patch({ lastSeenAt: now }).where({ tenant_id: cookie.tenantId, id: session.id });
  }
  return { session, user };
}

export const isIdle = (session: Session, idleSeconds: number, now: Date): boolean =>
  now.getTime() - session.lastSeenAt.getTime() > idleSeconds * 1000;

/**
 * Deletes the session the cookie names (an idle or expired one too: logout always removes the row) and
 * answers it with its user when it was still live, else null.
 */
export async function deleteSession(trx: Knex.Transaction, cookie: SessionCookie, policy: SessionPolicy): Promise<LiveSession | null> {
  const live = await findLiveSession(trx, cookie, policy);
  if (!live && !(await matchingSession(trx, cookie))) return null;
  await Session.query(trx).delete().where({ tenant_id: cookie.tenantId, id: cookie.sessionId });
  return live;
}
