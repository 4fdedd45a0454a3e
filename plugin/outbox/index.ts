/**
 * The plugin's durable outbox: events and evidence upload jobs are fsynced to local disk before anything
 * else happens with them, then sent to the hub in order per stream (kind + camera), streams independently.
 *
 *   const outbox = await openOutbox({ dir, maxBytes, senders: { event: new EventSender(hubClient),
 *     evidence: new EvidenceUploadSender(hubClient, { stateDir }) }, logger });
 *   await outbox.appendEvent(event);          // resolves once on disk; throws AppError('outbox_full') at the bound
 *   outbox.stats();                           // pending, bytesOnDisk, oldestPendingAgeMs, lastError, lastSuccessAt, health
 *   await outbox.close({ drainTimeoutMs });   // send what it can, then close
 *
 * On disk (`dir`): `LOCK` (pid of the owner), `dead-letter.jsonl`, and `streams/<kind>~<key>/` with
 * `<first-seq>.seg` segment files of frames [u32 length][u32 CRC32][u64 seq][f64 time][JSON] and
 * `cursor.json` (highest acknowledged seq, replaced atomically). A torn final frame is cut off on open;
 * fully acknowledged segments are deleted.
 */
export { Outbox, openOutbox } from './outbox.js';
export type { AppendReceipt, OutboxOptions } from './outbox.js';
export type { OutboxHealth, OutboxStats, OutboxStreamStats } from './outbox-health.js';
export { OUTBOX_ERROR_CODES, isOutboxError } from './errors.js';
export type { OutboxErrorCode } from './errors.js';
export { EventSender } from './event-sender.js';
export type { BatchSender, ItemOutcome, OutboundRecord, SendOutcome } from './sender.js';
export { DEFAULT_BACKOFF, backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { EvidenceUploadSender } from './evidence-sender.js';
export { evidenceJobSchema } from './evidence-job.js';
export type { EvidenceJob, EvidenceJobInput } from './evidence-job.js';
export { VmsAlarmSender, type VmsAlarmSenderOptions } from './vms-alarm-sender.js';
