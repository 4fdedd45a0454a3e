import { z } from 'zod';
import type { DetectionEvent } from '../../contracts/index.js';
import { MAX_EVENTS_PER_BATCH, detectionEventSchema } from '../../contracts/index.js';
import type { HubClient } from '../hub-client/index.js';
import { HubClientError } from '../hub-client/index.js';
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

function failureOutcome(error: unknown): SendOutcome {
  if (!(error instanceof HubClientError)) return { type: 'retry', reason: error instanceof Error ? error.message : String(error) };
  if (error.isAuthFailure) return { type: 'auth_failed', reason: error.message };
  if (error.status === 400 || error.status === 413 || error.status === 422) return { type: 'batch_invalid', reason: error.message };
  // Everything else (network, timeout, 408, 429, 5xx, and 4xx such as 404 from a wrong hub URL) is
  // retried with backoff: a misconfiguration should hold the events, not throw them away.
  return error.retryAfterMs === undefined ? { type: 'retry', reason: error.message } : { type: 'retry', reason: error.message, retryAfterMs: error.retryAfterMs };
}
