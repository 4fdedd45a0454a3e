/** A stored record handed to a sender; `payload` is undefined when the stored JSON could not be parsed. */
export interface OutboundRecord {
  readonly seq: number;
  readonly at: number;
  readonly payload: unknown;
}

export type ItemOutcome = { readonly status: 'delivered' } | { readonly status: 'rejected'; readonly reason: string };

/**
 * What became of one batch:
 * - `done`: per-item outcomes aligned with the records (undefined = no answer for it, resent later);
 * - `retry`: nothing was accepted, try the same records again later (network, timeout, 429, 5xx);
 * - `auth_failed`: 401/403, stop sending for everyone and retry slowly;
 * - `batch_invalid`: the whole batch was refused as malformed (400/422/413), split it to find the culprit.
 */
export type SendOutcome =
  | { readonly type: 'done'; readonly items: ReadonlyArray<ItemOutcome | undefined> }
  | { readonly type: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly type: 'auth_failed'; readonly reason: string }
  | { readonly type: 'batch_invalid'; readonly reason: string };

/** Sends one kind of record (events, evidence uploads) to the hub. */
export interface BatchSender {
  readonly maxBatch: number;
  /**
   * Send a record the moment it is appended, while it is being written to disk, when its stream has nothing
   * else pending (the VMS alarm: an operator acts on it within seconds). The outcome is applied once the record
   * is stored, exactly as if it had been read back; a send that fails is retried from disk as usual. The one
   * record this can lose is one whose send failed and whose write never finished (a crash in those few ms).
   */
  readonly sendsAhead?: boolean;
  send(records: readonly OutboundRecord[], signal: AbortSignal): Promise<SendOutcome>;
}
