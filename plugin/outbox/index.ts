export { Outbox, openOutbox } from './outbox.js';
export type { AppendReceipt, OutboxOptions } from './outbox.js';
export type { OutboxHealth, OutboxStats, OutboxStreamStats } from './outbox-health.js';
export { OutboxError, isOutboxError } from './errors.js';
export type { OutboxErrorCode } from './errors.js';
export { EventSender } from './event-sender.js';
export type { BatchSender, ItemOutcome, OutboundRecord, SendOutcome } from './sender.js';
export { DEFAULT_BACKOFF, backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
