import type Router from '@koa/router';
import { z } from 'zod';
import { AppError, type Clock } from '../../../contracts/index.js';
import { PosParsePool, posFormatOf, type ExceptionRules } from '../../../adapters/pos/index.js';
import { withTenant, type DatabaseHandle } from '../../../models/index.js';
import { ingestPosTransactions } from '../../commands/pos-ingester.js';
import { commandContext } from '../command-context.js';
import type { AppContext, AppState } from '../state.js';
import { readLimitedBody } from './body-reader.js';
import { posConfigSchema, type PosConfig } from './pos-config.js';
import { inboundSecret, verifyInbound, type SecretBox } from '../../webhooks/index.js';

export interface PosRouteDeps {
  knex: DatabaseHandle;
  clientAddress: (ctx: AppContext) => string | null;
  clock: Clock;
  /** Opens the tenant's sealed inbound secret. */
  secrets: SecretBox;
  /** Upload limit and parse concurrency (the hub config's `pos` section); the schema's defaults when absent. */
  config?: Partial<PosConfig>;
}

/**
 * POST /v1/pos/transactions: ARTS POSLog XML (application/xml) or the JSON form (application/json). It
 * reads a raw, possibly large body, so it is mounted beside the defineRoute routes (behind the same
 * authentication) and opens its tenant transactions itself, as the runtime role like every API route.
 * The document is parsed in a worker thread, outside any transaction, so a 32 MB upload neither blocks
 * the event loop nor holds a database connection; everything is parsed before anything is written (a
 * document that is not POSLog or the JSON form stores nothing; a transaction invalid on its own is listed
 * in `errors` and the rest is stored). A tenant may require uploads signed the Standard Webhooks way.
 */
export function mountPosRoutes(apiRouter: Router<AppState>, deps: PosRouteDeps): void {
  const config = posConfigSchema.parse(deps.config ?? {});
  const parser = new PosParsePool({ maxConcurrent: config.maxConcurrentParses });
  const rules: ExceptionRules = { voidCountThreshold: config.voidCountThreshold, voidAmountThreshold: config.voidAmountThreshold };
  const settings = { correlationWindowSeconds: config.correlationWindowSeconds, incidentExceptions: config.incidentExceptions };
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
    const secret = await withTenant(deps.knex, principal.tenantId, { as: 'runtime', environment: principal.environment }, (trx) => inboundSecret(trx, principal.tenantId, deps.secrets));
    if (secret !== null) verifyInbound(secret, body.toString('utf8'), ctx.req.headers);
    const document = await parser.parse(format, body, rules);
    const summary = await withTenant(deps.knex, principal.tenantId, { as: 'runtime', environment: principal.environment }, (trx) => {
      const rc = { requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), principal, ability, trx, log: ctx.state.log, now: deps.clock };
      return ingestPosTransactions(commandContext(rc), document, settings);
    });
    ctx.status = 200;
    ctx.body = summary;
  });
}

export const posIngestResponseSchema = z.object({
  received: z.number(), created: z.number(), duplicates: z.number(), unmatched: z.number(), exceptions: z.number(), linked: z.number(), incidentsCreated: z.number(),
  rejected: z.number(),
  errors: z.array(z.object({ index: z.number().int(), sequenceNumber: z.string().optional(), code: z.string(), message: z.string() })),
});
