import { z } from 'zod';
import type { DetectionEvent } from '../../contracts/index.js';
import { MAX_EVENTS_PER_BATCH, detectionEventSchema } from '../../contracts/index.js';
import type { HubClient } from '../hub-client/index.js';
import { hubFailureOf } from '../hub-client/index.js';
import type { BatchSender, ItemOutcome, OutboundRecord, SendOutcome } from './sender.js';

/** Statuses that mean the hub holds the event: acknowledged locally. */
const ACCEPTED = new Set(['created', 'duplicate']);

/**
 * Sends detection events through `POST /v1/events`. Records that no longer match the event schema
 * (written by an older plugin, or damaged) are rejected locally instead of costing a round trip.
 */
export class EventSender implements BatchSender {
  readonly maxBatch: number;
  private readonly client: Pick<HubClient, 'postEvents'>;

  constructor(client: Pick<HubClient, 'postEvents'>, options: { maxBatch?: number } = {}) {
    this.client = client;
    this.maxBatch = Math.min(options.maxBatch ?? 100, MAX_EVENTS_PER_BATCH);
  }

  async send(records: readonly OutboundRecord[], signal: AbortSignal): Promise<SendOutcome> {
    const items: Array<ItemOutcome | undefined> = new Array(records.length).fill(undefined);
    const indexById = new Map<string, number[]>();
    const events: DetectionEvent[] = [];
    records.forEach((record, i) => {
      const parsed = detectionEventSchema.safeParse(record.payload);
      if (!parsed.success) {
        items[i] = { status: 'rejected', reason: `stored record is not a valid event: ${z.prettifyError(parsed.error)}` };
        return;
      }
      events.push(parsed.data);
      indexById.set(parsed.data.id, [...(indexById.get(parsed.data.id) ?? []), i]);
    });
    if (events.length === 0) return { type: 'done', items };
    try {
      const results = await this.client.postEvents(events, { signal });
      for (const result of results) {
        const outcome: ItemOutcome = ACCEPTED.has(result.status)
          ? { status: 'delivered' }
          : { status: 'rejected', reason: result.error ? `${result.error.code}: ${result.error.message}` : 'rejected by the hub' };
        for (const i of indexById.get(result.id) ?? []) items[i] = outcome;
      }
      return { type: 'done', items };
    } catch (error) {
      return failureOutcome(error);
    }
  }
}

/** Whole-request answers that judge the content (malformed, conflicting, too large, unprocessable). */
const CONTENT_REFUSALS = new Set([400, 409, 413, 415, 422]);

/**
 * What a failed request means for its records. A content refusal (400, 409, 413, 415, 422) is the hub's
 * lasting "no" to this content: the batch is split until the refused record is found and dead-lettered, so
 * it cannot stall its camera. 401 and 403 are about the plugin's credentials or scope, never one event:
 * they hold every stream. 404 (a wrong hub URL, a hub without the route), 408, 429, 5xx and transport
 * failures are retried with backoff: the events wait rather than being thrown away for a setup mistake.
 */
function failureOutcome(error: unknown): SendOutcome {
  const reason = error instanceof Error ? error.message : String(error);
  const failure = hubFailureOf(error);
  if (!failure) return { type: 'retry', reason };
  const { status, retryAfterMs } = failure;
  if (status === 401 || status === 403) return { type: 'auth_failed', reason };
  if (failure.kind === 'http' && status !== undefined && CONTENT_REFUSALS.has(status)) {
    return { type: 'batch_invalid', reason };
  }
  return retryAfterMs === undefined ? { type: 'retry', reason } : { type: 'retry', reason, retryAfterMs };
}
