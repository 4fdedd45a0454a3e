import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
import { WAKE_CHANNEL, type WebhookEventType } from './event-types.js';

export interface NewMessage {
  type: WebhookEventType;
  subjectId: string | null;
  data: Record<string, unknown>;
}

export interface EnqueueTarget {
  /** Explicit endpoints (a routing decision); otherwise every endpoint subscribed to the type. */
  endpointIds?: readonly string[];
  /** Explicit endpoints receive the message even when not subscribed to its type (escalation). */
  ignoreSubscription?: boolean;
}

/**
 * Writes a message and one pending delivery per destination in the caller's transaction (the outbox
 * pattern: the message exists if and only if the change that caused it commits), then notifies the
 * workers; PostgreSQL delivers the notification at commit. Returns the message id, or null when no
 * enabled endpoint wants it (nothing is stored then).
 */
export async function writeMessage(trx: Knex.Transaction, tenantId: string, message: NewMessage, target: EnqueueTarget = {}): Promise<string | null> {
  if (target.endpointIds?.length === 0) return null;
  const endpointQuery = trx('webhook_endpoints').select('id').where({ tenant_id: tenantId, enabled: true });
  if (target.endpointIds) void endpointQuery.whereIn('id', [...target.endpointIds]);
  if (!(target.endpointIds && target.ignoreSubscription)) void endpointQuery.whereRaw('? = ANY(event_types)', [message.type]);
  const endpoints = (await endpointQuery) as Array<{ id: string }>;
  return insertMessage(trx, tenantId, message, endpoints.map((e) => e.id));
}

/** Writes the message and its deliveries to endpoints already chosen by the caller; null when there are none. */
export async function insertMessage(trx: Knex.Transaction, tenantId: string, message: NewMessage, endpointIds: readonly string[]): Promise<string | null> {
  if (endpointIds.length === 0) return null;
  const id = newId('message');
  const now = new Date();
  await trx('webhook_messages').insert({ tenant_id: tenantId, id, event_type: message.type, subject_id: message.subjectId, data: JSON.stringify(message.data), created_at: now });
  await trx('webhook_deliveries').insert(
    endpointIds.map((endpointId) => ({ tenant_id: tenantId, id: newId('delivery'), message_id: id, endpoint_id: endpointId, next_attempt_at: now, created_at: now, updated_at: now })),
  );
  await trx.raw('SELECT pg_notify(?, ?)', [WAKE_CHANNEL, '']);
  return id;
}
