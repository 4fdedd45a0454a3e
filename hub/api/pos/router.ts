import type Router from '@koa/router';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, type Clock } from '../../../contracts/index.js';
import { parsePosLog, posBatchSchema, type PosTransaction } from '../../../adapters/pos/index.js';
import { bindTenant } from '../../../models/index.js';
import { commandContext } from '../command-context.js';
import type { AppContext, AppState } from '../state.js';
import { readLimitedText } from './body-reader.js';
import { ingestPosTransactions } from './pos-ingester.js';
import { inboundSecret, verifyInbound, type SecretBox } from '../../webhooks/index.js';

export interface PosRouteDeps {
  knex: Knex;
  clientAddress: (ctx: AppContext) => string | null;
  clock: Clock;
  /** Largest accepted upload; a day's export of a busy store is a few MB. */
  limitBytes?: number;
  /** Opens the tenant's sealed inbound secret. */
  secrets: SecretBox;
}

const DEFAULT_LIMIT = 32 * 1024 * 1024;

function parseBody(type: string, text: string): PosTransaction[] {
  if (text.trim() === '') throw new AppError('bad_request', 'the request body is empty');
  if (/^(application|text)\/([a-z0-9.+-]*\+)?xml\b/i.test(type)) return parsePosLog(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError('malformed_json', `the request body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = posBatchSchema.safeParse(json);
  if (parsed.success) return parsed.data.transactions;
  const issue = parsed.error.issues[0];
  throw new AppError('validation_failed', `body.${issue?.path.join('.')}: ${issue?.message}`, { details: { issues: parsed.error.issues.slice(0, 20) } });
}

/**
 * POST /v1/pos/transactions: ARTS POSLog XML (application/xml) or the JSON form (application/json). It
 * reads a raw, possibly large body, so it is mounted beside the defineRoute routes (behind the same
 * authentication) and opens its tenant transaction itself, as the runtime role like every API route.
 * Everything is parsed before anything is written: a bad document stores nothing. A tenant may require
 * uploads signed the Standard Webhooks way (forged, tampered or stale signatures are refused).
 */
export function mountPosRoutes(apiRouter: Router<AppState>, deps: PosRouteDeps): void {
  apiRouter.post('/v1/pos/transactions', async (ctx) => {
    const { principal, ability } = ctx.state;
    if (!principal || !ability) throw new AppError('unauthenticated', 'authentication required');
    // Refuse before reading what may be megabytes.
    if (!ability.can('ingest', 'PosTransaction')) throw new AppError('forbidden', 'your role may not post POS transactions');
    const type = ctx.get('content-type');
    if (!/^(application|text)\/([a-z0-9.+-]*\+)?(xml|json)\b/i.test(type)) throw new AppError('unsupported_media_type', 'send ARTS POSLog as application/xml or the JSON form as application/json');
    let text: string;
    try {
      text = await readLimitedText(ctx.req, deps.limitBytes ?? DEFAULT_LIMIT);
    } catch (error) {
      // Do not drain an oversized upload: answer now and close the connection.
      ctx.set('connection', 'close');
      throw error;
    }
    const summary = await deps.knex.transaction(async (trx) => {
      await bindTenant(trx, principal.tenantId);
      const secret = await inboundSecret(trx, principal.tenantId, deps.secrets);
      if (secret !== null) verifyInbound(secret, text, ctx.req.headers);
      const transactions = parseBody(type, text);
      const rc = { requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), principal, ability, trx, log: ctx.state.log, now: deps.clock };
      return ingestPosTransactions(commandContext(rc), transactions);
    });
    ctx.status = 200;
    ctx.body = summary;
  });
}

export const posIngestResponseSchema = z.object({ received: z.number(), created: z.number(), duplicates: z.number(), unmatched: z.number(), exceptions: z.number() });
