import type { Knex } from 'knex';
import { writeAudit, type CommandContext } from '../../audit/index.js';
import { inTenant } from './tenant-transaction.js';

/** Where a sign-in event happened, for the audit record. */
export interface SignInRequest {
  tenantId: string;
  requestId: string;
  clientAddress: string | null;
  now: Date;
}

const contextFor = (trx: Knex.Transaction, request: SignInRequest, actor: CommandContext['actor']): CommandContext => ({
  actor, tenantId: request.tenantId, requestId: request.requestId, clientAddress: request.clientAddress, trx, now: () => request.now,
});

/** A login, in the transaction that creates the session. */
export async function auditLogin(trx: Knex.Transaction, request: SignInRequest, input: { userId: string; sessionId: string; email: string }): Promise<void> {
  await writeAudit(contextFor(trx, request, { type: 'user', id: input.userId }), {
    action: 'auth.login', subjectType: 'Session', subjectId: input.sessionId, after: { userId: input.userId, email: input.email },
  });
}

/** A logout, in the transaction that deletes the session. */
export async function auditLogout(trx: Knex.Transaction, request: SignInRequest, input: { userId: string; sessionId: string }): Promise<void> {
  await writeAudit(contextFor(trx, request, { type: 'user', id: input.userId }), {
    action: 'auth.logout', subjectType: 'Session', subjectId: input.sessionId, before: { userId: input.userId },
  });
}

/**
 * A failed login, in its own transaction (the login's own work rolled back). Nobody is signed in yet, so the
 * actor is the system; the subject is the request, which the logs are bound to as well.
 */
export function auditLoginFailure(knex: Knex, request: SignInRequest, failure: { code: string; reason: string }): Promise<void> {
  return inTenant(knex, request.tenantId, async (trx) => {
    await writeAudit(contextFor(trx, request, { type: 'system', id: 'oidc' }), {
      action: 'auth.login_failed', subjectType: 'Login', subjectId: request.requestId, after: failure,
    });
  });
}
