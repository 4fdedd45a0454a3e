import { z } from 'zod';
import { vmsAlarmSchema, type VmsAdapter } from '../../contracts/index.js';
import type { BatchSender, OutboundRecord, SendOutcome } from './sender.js';

export interface VmsAlarmSenderOptions {
  /** One alarm's whole budget (connect, send, answer); the adapter's own timeout should be shorter. */
  readonly timeoutMs?: number;
}

/**
 * Sends queued alarms to the operators' VMS, one at a time and in order per camera. A VMS that is down or slow is
 * retried with the outbox's backoff; an alarm the VMS refuses as sent (a 400, an event it does not know) is
 * dead-lettered with the VMS's words, and the adapter's health says so. Never reports `auth_failed`: that would
 * pause the hub streams too, and a VMS login problem is the VMS's.
 */
export class VmsAlarmSender implements BatchSender {
  readonly maxBatch = 1;
  /** The alarm leaves while it is being written to disk: seconds matter more to the operator than the fsync. */
  readonly sendsAhead = true;
  private readonly timeoutMs: number;

  constructor(
    private readonly adapter: VmsAdapter,
    options: VmsAlarmSenderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async send(records: readonly OutboundRecord[], signal: AbortSignal): Promise<SendOutcome> {
    const [record] = records;
    if (record === undefined) return { type: 'done', items: [] };
    const parsed = vmsAlarmSchema.safeParse(record.payload);
    if (!parsed.success) return { type: 'done', items: [{ status: 'rejected', reason: `stored record is not a valid alarm: ${z.prettifyError(parsed.error)}` }] };
    const delivery = await this.adapter.raise(parsed.data, AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]));
    if (delivery.status === 'delivered') return { type: 'done', items: [{ status: 'delivered' }] };
    if (delivery.status === 'retry') return { type: 'retry', reason: `${this.adapter.vendor}: ${delivery.reason}` };
    return { type: 'done', items: [{ status: 'rejected', reason: `${this.adapter.vendor} refused the alarm: ${delivery.reason}` }] };
  }
}
