import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DeliveryOptions } from './delivery-options.js';
import type { AttemptWriter } from './attempt-writer.js';
import { leaseLeftMs, releaseClaim, skipDelivery, type ClaimedDelivery } from './delivery-store.js';
import { disableEndpoint, noteFailure, noteSuccess } from './endpoint-health.js';
import { sendGuarded, type OutboundResponse } from './http-sender.js';
import { buildBody } from './payload.js';
import type { RateLimiter } from './rate-limiter.js';
import { classify, nextDelayMs, retryAfterMs, type AttemptOutcome } from './retry-policy.js';
import { serviceNowAttempt } from './servicenow-transport.js';
import { signedHeaders } from './signer.js';
import type { OperatorCeiling } from './operator-ceiling.js';
import { allowListFor, allowedByAll } from './ssrf-guard.js';

export interface ProcessorDeps {
  knex: Knex;
  log: Logger;
  options: DeliveryOptions;
  limiter: RateLimiter;
  writer: AttemptWriter;
  baseUrl: string | null;
  ceiling: OperatorCeiling;
}

/** Signs and posts a Standard Webhooks message (also the Teams and Slack shapes, which ignore the headers). */
async function webhookAttempt(d: ClaimedDelivery, deps: ProcessorDeps): Promise<{ response: OutboundResponse; outcome: AttemptOutcome; note: string | null }> {
  const body = buildBody({ id: d.messageId, eventType: d.eventType, createdAt: d.messageCreatedAt, data: d.data, environment: d.environment }, d, deps.baseUrl);
  const headers = {
    ...d.headers,
    'content-type': 'application/json',
    'user-agent': 'Vigil-Webhooks/1.0',
    ...signedHeaders(d.messageId, new Date(), body, d.secrets),
  };
  const sender = { timeoutMs: deps.options.requestTimeoutMs, maxResponseBytes: deps.options.maxResponseBytes };
  const response = await sendGuarded({ method: 'POST', url: d.url, headers, body }, allowedByAll(allowListFor(d.allowedSubnets), deps.ceiling.allowList), sender);
  return { response, outcome: classify(response), note: response.error };
}

async function attempt(d: ClaimedDelivery, deps: ProcessorDeps): Promise<{ response: OutboundResponse; outcome: AttemptOutcome | 'deferred'; note: string | null }> {
  if (d.format !== 'servicenow') return webhookAttempt(d, deps);
  const sender = { timeoutMs: deps.options.requestTimeoutMs, maxResponseBytes: Math.max(deps.options.maxResponseBytes, 4096) };
  const result = await serviceNowAttempt(deps.knex, d, sender, allowedByAll(allowListFor(d.allowedSubnets), deps.ceiling.allowList));
  if (result.isDeferred) return { response: result.response, outcome: 'deferred', note: null };
  const outcome: AttemptOutcome = result.isSuccess ? 'succeeded' : result.response.isBlocked ? 'blocked' : result.isRetryable ? 'retry' : 'failed';
  return { response: result.response, outcome, note: result.note };
}

/**
 * Whether the claim's lease still covers a whole send: the request's timeout and time to record its
 * outcome. A claim that does not is stale and is never sent (another worker may hold the delivery by now).
 */
export function isLeaseSendable(d: ClaimedDelivery, options: Pick<DeliveryOptions, 'leaseMs' | 'requestTimeoutMs'>, at: number = performance.now()): boolean {
  const recordAllowanceMs = Math.min(1000, (options.leaseMs - options.requestTimeoutMs) / 2);
  return leaseLeftMs(d, at) >= options.requestTimeoutMs + recordAllowanceMs;
}

/**
 * One delivery through the state machine:
 *   pending --2xx--> succeeded | --abort-message--> aborted | --410--> failed (endpoint disabled)
 *   pending --other--> pending (next retry by the schedule or Retry-After) | schedule exhausted --> failed
 * Every attempt is recorded with status, latency and a response excerpt (its `sending` row was written
 * by the claim). `onSent` fires when the HTTP exchange is over, before the record is written, so the
 * caller can start the next request. A claim whose lease no longer covers a send is given back unsent.
 */
export async function processDelivery(d: ClaimedDelivery, deps: ProcessorDeps, onSent: () => void = () => undefined): Promise<void> {
  if (!isLeaseSendable(d, deps.options)) {
    onSent();
    deps.log.warn({ deliveryId: d.id, leaseLeftMs: Math.round(leaseLeftMs(d)) }, 'claim too old to send; given back unsent');
    return releaseClaim(deps.knex, d, new Date());
  }
  if (!d.enabled) {
    onSent();
    return skipDelivery(deps.knex, d, 'endpoint disabled');
  }
  const wait = deps.limiter.take(d.endpointId, d.rateLimitPerSecond);
  if (wait > 0) {
    onSent();
    return releaseClaim(deps.knex, d, new Date(Date.now() + wait));
  }
  let result;
  try {
    result = await attempt(d, deps);
  } finally {
    // The sending slot is free once the receiver answered; recording the attempt is group-committed.
    onSent();
  }
  const { response, outcome, note } = result;
  if (outcome === 'deferred') return releaseClaim(deps.knex, d, new Date(Date.now() + 200));
  const record = {
    outcome,
    statusCode: response.status,
    latencyMs: response.latencyMs,
    responseExcerpt: response.body === '' ? null : response.body.slice(0, deps.options.maxResponseBytes),
    error: note,
  };
  if (outcome === 'succeeded') {
    await deps.writer.write(d, record, { status: 'succeeded', nextAttemptAt: null });
    return noteSuccess(deps.knex, d);
  }
  if (outcome === 'aborted') return deps.writer.write(d, record, { status: 'aborted', nextAttemptAt: null });
  if (outcome === 'gone') {
    await deps.writer.write(d, record, { status: 'failed', nextAttemptAt: null });
    await disableEndpoint(deps.knex, d, d.endpointId, 'receiver answered 410 Gone', deps.log);
    return;
  }
  const { retryScheduleMs, jitter, maxRetryAfterMs } = deps.options;
  const delay = outcome === 'failed' ? null : nextDelayMs(d.attempt, retryScheduleMs, jitter, retryAfterMs(response), maxRetryAfterMs);
  await deps.writer.write(d, record, delay === null ? { status: 'failed', nextAttemptAt: null } : { status: 'pending', nextAttemptAt: new Date(Date.now() + delay) });
  await noteFailure(deps.knex, d, deps.options.disableAfterMs, deps.log);
}
