import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
import { NOTIFY_BINDINGS, NOTIFY_SQL, wakeAfterCommit } from './delivery-wake.js';
import type { WebhookEventType } from './event-types.js';

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

/** Endpoint ids a message goes to now, and those it is held for because they are disabled (recoverable). */
export interface Destinations {
  active: readonly string[];
  held: readonly string[];
}

/**
 * Writes a message and one pending delivery per enabled destination in the caller's transaction (the
 * outbox pattern: the message exists if and only if the change that caused it commits), then notifies
 * the workers: PostgreSQL delivers the notification at commit, and workers in this process are woken
 * once the transaction has committed. A disabled destination gets a `skipped`
 * delivery, so `recover` can send what it missed while disabled. Returns the message id, or null when
 * no endpoint wants it (nothing is stored then).
 */
export async function writeMessage(trx: Knex.Transaction, tenantId: string, message: NewMessage, target: EnqueueTarget = {}): Promise<string | null> {
  if (target.endpointIds?.length === 0) return null;
  const endpointQuery = trx('webhook_endpoints').select('id', 'enabled').where({ tenant_id: tenantId });
  if (target.endpointIds) void endpointQuery.whereIn('id', [...target.endpointIds]);
  if (!(target.endpointIds && target.ignoreSubscription)) void endpointQuery.whereRaw('? = ANY(event_types)', [message.type]);
  const endpoints = (await endpointQuery) as Array<{ id: string; enabled: boolean }>;
  return insertMessage(trx, tenantId, message, splitByEnabled(endpoints));
}

export function splitByEnabled(endpoints: ReadonlyArray<{ id: string; enabled: boolean }>): Destinations {
  return { active: endpoints.filter((e) => e.enabled).map((e) => e.id), held: endpoints.filter((e) => !e.enabled).map((e) => e.id) };
}

/**
 * Writes the message and its deliveries to endpoints already chosen by the caller (a plain list: all
 * active); null when there are none.
 */
export async function insertMessage(trx: Knex.Transaction, tenantId: string, message: NewMessage, destinations: Destinations | readonly string[]): Promise<string | null> {
  const [id] = await insertMessages(trx, tenantId, [{ message, destinations }]);
  return id ?? null;
}

/**
 * Writes several messages with their deliveries in one statement (the messages, the deliveries and the
 * workers' NOTIFY together: one round trip however many incidents a batch touched). Returns the ids of the
 * messages written, in order; a message without destinations is not stored.
 */
export async function insertMessages(
  trx: Knex.Transaction, tenantId: string, items: ReadonlyArray<{ message: NewMessage; destinations: Destinations | readonly string[] }>,
): Promise<string[]> {
  const now = new Date();
  const messages: Array<Record<string, unknown>> = [];
  const deliveries: Array<Record<string, unknown>> = [];
  for (const { message, destinations } of items) {
    const to: Destinations = 'active' in destinations ? destinations : { active: destinations, held: [] };
    if (to.active.length === 0 && to.held.length === 0) continue;
    const id = newId('message');
    messages.push({ tenant_id: tenantId, id, event_type: message.type, subject_id: message.subjectId, data: message.data, created_at: now });
    const delivery = (endpointId: string, status: 'pending' | 'skipped') => ({
      tenant_id: tenantId, id: newId('delivery'), message_id: id, endpoint_id: endpointId, status, next_attempt_at: now, created_at: now, updated_at: now,
    });
    deliveries.push(...to.active.map((e) => delivery(e, 'pending')), ...to.held.map((e) => delivery(e, 'skipped')));
  }
  if (messages.length === 0) return [];
  const hasActive = deliveries.some((d) => d.status === 'pending');
  const messageColumns = 'tenant_id, id, event_type, subject_id, data, created_at';
  const deliveryColumns = 'tenant_id, id, message_id, endpoint_id, status, next_attempt_at, created_at, updated_at';
  await trx.raw(
    `WITH m AS (INSERT INTO webhook_messages (${messageColumns}) SELECT ${messageColumns} FROM json_populate_recordset(NULL::webhook_messages, ?::json) RETURNING 1),
          d AS (INSERT INTO webhook_deliveries (${deliveryColumns}) SELECT ${deliveryColumns} FROM json_populate_recordset(NULL::webhook_deliveries, ?::json) RETURNING 1)
     SELECT (SELECT count(*) FROM m) + (SELECT count(*) FROM d) AS written${hasActive ? `, ${NOTIFY_SQL} AS notified` : ''}`,
    [JSON.stringify(messages), JSON.stringify(deliveries), ...(hasActive ? NOTIFY_BINDINGS : [])],
  );
  if (hasActive) wakeAfterCommit(trx);
  return messages.map((m) => m.id as string);
}
