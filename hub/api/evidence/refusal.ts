import { isAppError } from '../../../contracts/index.js';
import { recordAccessRefused } from '../../commands/evidence-viewer.js';
import { commandContext } from '../command-context.js';
import type { RouteResponse } from '../route.js';
import type { RequestContext } from '../state.js';

/**
 * Runs an evidence access check and its work; a refusal (403 or 404) is audited as `evidence.access_refused`
 * and answered with the usual error body. The refusal is returned, not thrown, so the route's transaction
 * commits the audit record; any other failure is thrown as usual.
 */
export async function auditedAccess(ctx: RequestContext, targetId: string, work: () => Promise<RouteResponse>): Promise<RouteResponse> {
  try {
    return await work();
  } catch (error) {
    if (!isAppError(error) || (error.status !== 403 && error.status !== 404)) throw error;
    await recordAccessRefused(commandContext(ctx), targetId, error, { stage: 'link' });
    return { status: error.status, body: { error: { code: error.code, message: error.message, requestId: ctx.requestId } } };
  }
}
