import { newId } from '../../contracts/index.js';
import type { WebhookEventType } from './event-types.js';
import type { NewMessage } from './message-writer.js';

/** Every test message says so in its data, thin or full, so a receiver can drop it (`test` is a thin key). */
const NOTE = 'Test message sent from the Vigil console or API: not a real event.';

type Example = (context: { endpointId: string; storeId: string | null }) => Record<string, unknown>;

const incident = (state: string): Example => ({ storeId }) => {
  const id = newId('incident');
  return { id, type: 'scan_avoidance', severity: 'medium', state, storeId, laneId: null, cameraId: null, summary: NOTE, links: { self: `/v1/incidents/${id}` } };
};

/** An example body per event type, shaped like the real one, with fresh ids (so a ServiceNow test makes its own record). */
const EXAMPLES: Record<string, Example> = {
  'incident.created': incident('new'),
  'incident.updated': incident('acknowledged'),
  'incident.resolved': incident('resolved'),
  'incident.escalated': incident('escalated'),
  'evidence.ready': ({ storeId }) => ({ id: newId('evidence'), kind: 'clip', incidentId: newId('incident'), storeId, summary: NOTE }),
  'pos.exception': ({ storeId }) => ({ id: newId('posTransaction'), storeId, workstationId: 'TEST', exceptions: ['no_sale'], summary: NOTE }),
  'endpoint.disabled': ({ endpointId }) => ({ id: endpointId, reason: 'test message', summary: NOTE }),
};

/** The test message of `type` for one endpoint: the type's example (a generic body for a type without one). */
export function testMessage(type: WebhookEventType, context: { endpointId: string; storeId: string | null }): NewMessage {
  const example = EXAMPLES[type] ?? (() => ({ id: newId('message'), summary: NOTE }));
  return { type, subjectId: null, data: { ...example(context), test: true } };
}
