import type { CommandContext } from '../audit/index.js';
import type { RequestContext } from './state.js';

export function commandContext(ctx: RequestContext): CommandContext {
  return {
    actor: { type: ctx.principal.kind, id: ctx.principal.principalId },
    tenantId: ctx.principal.tenantId,
    environment: ctx.principal.environment,
    requestId: ctx.requestId,
    clientAddress: ctx.clientAddress,
    trx: ctx.trx,
    now: ctx.now,
  };
}
