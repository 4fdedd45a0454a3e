import type Router from '@koa/router';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import { PosParsePool, posFormatOf } from '../../../adapters/pos/index.js';
import { RUNTIME_ROLE } from '../../../migrations/support/rls.js';
import { ingestPosTransactions } from '../../commands/pos-ingester.js';
import { commandContext } from '../command-context.js';
import type { AppContext, AppState } from '../state.js';
import { readLimitedBody } from './body-reader.js';
import { posConfigSchema, type PosConfig } from './pos-config.js';
import { inboundSecret, verifyInbound } from '../../webhooks/index.js';

export interface PosRouteDeps {
  knex: Knex;
  clientAddress: (ctx: AppContext) => string | null;
  /** Upload limit and parse concurrency; the schema's defaults when absent. */
  config?: Partial<PosConfig>;
}

const bindTenant = (trx: Knex.Transaction, tenantId: string) =>
  trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('role', ?, true)", [tenantId, RUNTIME_ROLE]);

/**
 * POST /v1/pos/transactions: ARTS POSLog XML (application/xml) or the JSON form (application/json). It
 * reads a raw, possibly large body, so it is mounted beside the defineRoute routes (behind the same
 * authentication) and opens its tenant transactions itself, as the runtime role like every API route.
 * The document is parsed in a worker thread, outside any transaction, so a 32 MB upload neither blocks
 * the event loop nor holds a database connection; everything is parsed before anything is written (a
 * bad document stores nothing). A tenant may require uploads signed the Standard Webhooks way.
 */
export function mountPosRoutes(apiRouter: Router<AppState>, deps: PosRouteDeps): void {
  const config = posConfigSchema.parse(deps.config ?? {});
  const parser = new PosParsePool({ maxConcurrent: config.maxConcurrentParses });
  apiRouter.post('/v1/pos/transactions', async (ctx) => {
    const { principal, ability } = ctx.state;
    if (!principal || !ability) throw new AppError('unauthenticated', 'authentication required');
    // Refuse before reading what may be megabytes.
    if (!ability.can('ingest', 'PosTransaction')) throw new AppError('forbidden', 'your role may not post POS transactions');
    const format = posFormatOf(ctx.get('content-type'));
    if (!format) throw new AppError('unsupported_media_type', 'send ARTS POSLog as application/xml or the JSON form as application/json');
    let body: Buffer;
    try {
      body = await readLimitedBody(ctx.req, config.uploadLimitBytes);
    } catch (error) {
      // Do not drain an oversized upload: answer now and close the connection.
      ctx.set('connection', 'close');
      throw error;
    }
    const secret = await deps.knex.transaction(async (trx) => {
      await bindTenant(trx, principal.tenantId);
      return inboundSecret(trx, principal.tenantId);
    });
    if (secret !== null) verifyInbound(secret, body.toString('utf8'), ctx.req.headers);
    const transactions = await parser.parse(format, body);
    const summary = await deps.knex.transaction(async (trx) => {
      await bindTenant(trx, principal.tenantId);
      const rc = { requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), principal, ability, trx, log: ctx.state.log };
      return ingestPosTransactions(commandContext(rc), transactions);
    });
    ctx.status = 200;
    ctx.body = summary;
  });
}

export const posIngestResponseSchema = z.object({ received: z.number(), created: z.number(), duplicates: z.number(), unmatched: z.number(), exceptions: z.number() });
