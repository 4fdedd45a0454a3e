import type { Knex } from 'knex';
import { subject as caslSubject } from '@casl/ability';
import { detectionEventSchema, type DetectionEvent, type EventResult } from '../../contracts/index.js';
import type { AppAbility } from '../../policies/index.js';
import { LOCK_KEYS_SQL } from './ingest-queries.js';

export interface CameraRow {
  id: string;
  store_id: string;
  lane_id: string | null;
  region_id: string;
  settings: { mergeWindowSeconds?: number } | null;
}

/** How far ahead of the hub's clock an event may be dated: edge clocks drift, years-ahead dates are bugs. */
export const MAX_FUTURE_SKEW_MS = 24 * 3600 * 1000;
/** Events dated before the epoch are refused: a zeroed or unset edge clock, never a recording. */
export const EARLIEST_OCCURRED_AT = 0;

/** One position of the batch as sent: either a valid event to consider, or its final result already. */
export type ScreenedItem =
  | { readonly kind: 'event'; readonly event: DetectionEvent }
  | { readonly kind: 'result'; readonly result: EventResult }
  | { readonly kind: 'repeat'; readonly firstIndex: number };

const rejected = (id: string, code: string, message: string): ScreenedItem => ({ kind: 'result', result: { id, status: 'rejected', error: { code, message } } });

function rawId(raw: unknown, index: number): string {
  const id = raw !== null && typeof raw === 'object' && 'id' in raw ? raw.id : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : `#${index}`;
}

/**
 * Validates each event on its own (schema, date window) and marks a second occurrence of an event id
 * in the batch as a repeat of the first, so it is stored, metered and audited once.
 */
export function validateItems(raws: unknown[], now: Date): ScreenedItem[] {
  const firstIndexById = new Map<string, number>();
  return raws.map((raw, index) => {
    const parsed = detectionEventSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = ['events', index, ...(issue?.path ?? [])].join('.');
      return rejected(rawId(raw, index), 'validation_failed', `${where}: ${issue?.message ?? 'invalid event'}`);
    }
    const event = parsed.data;
    const first = firstIndexById.get(event.id);
    if (first !== undefined) return { kind: 'repeat', firstIndex: first };
    firstIndexById.set(event.id, index);
    const at = Date.parse(event.occurredAt);
    if (at > now.getTime() + MAX_FUTURE_SKEW_MS) {
      return rejected(event.id, 'validation_failed', `occurredAt ${event.occurredAt} is more than 24 hours ahead of the hub's clock`);
    }
    if (at < EARLIEST_OCCURRED_AT) return rejected(event.id, 'validation_failed', `occurredAt ${event.occurredAt} is before 1970-01-01`);
    return { kind: 'event', event };
  });
}

/**
 * The cameras (with their store's region and settings); the same statement takes the advisory locks of
 * `lockKeys` (see LOCK_KEYS_SQL), saving a round trip. Registry rows read here may predate a lock wait,
 * which is harmless; what the locks guard is read by a later statement.
 */
export async function loadCameras(trx: Knex.Transaction, tenantId: string, ids: string[], lockKeys: string[] = []): Promise<Map<string, CameraRow>> {
  const { rows } = await trx.raw<{ rows: CameraRow[] }>(
    `WITH locked AS (${LOCK_KEYS_SQL})
     SELECT c.id, c.store_id, c.lane_id, s.region_id, s.settings FROM locked CROSS JOIN cameras c
       JOIN stores s ON s.tenant_id = c.tenant_id AND s.id = c.store_id
      WHERE c.tenant_id = ? AND c.id = ANY(?)`,
    [lockKeys, tenantId, ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

async function loadLaneStores(trx: Knex.Transaction, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await trx.raw<{ rows: Array<{ id: string; store_id: string }> }>(
    'SELECT id, store_id FROM lanes WHERE tenant_id = ? AND id = ANY(?)',
    [tenantId, ids],
  );
  return new Map(rows.map((row) => [row.id, row.store_id]));
}

/** Why this event may not be stored for this tenant, or undefined when it may. */
function refusal(event: DetectionEvent, cameras: Map<string, CameraRow>, laneStores: Map<string, string>, ability: AppAbility): [string, string] | undefined {
  if (!ability.can('ingest', caslSubject('Event', { storeId: event.storeId } as Record<string, unknown>))) {
    return ['forbidden', `this identity may not post events for store ${event.storeId}`];
  }
  const camera = cameras.get(event.cameraId);
  if (!camera) return ['not_found', `camera ${event.cameraId} is not registered`];
  if (camera.store_id !== event.storeId) return ['validation_failed', `camera ${event.cameraId} belongs to another store`];
  if (event.laneId === undefined) return undefined;
  const laneStore = laneStores.get(event.laneId);
  // A lane of another tenant is invisible here: it answers like an unknown one.
  if (laneStore === undefined) return ['not_found', `lane ${event.laneId} is not registered`];
  if (laneStore !== event.storeId) return ['validation_failed', `lane ${event.laneId} belongs to another store`];
  return undefined;
}

/** Per-item checks against the tenant's registry: the store is the identity's, the camera and lane are the store's. */
export async function screenPlacement(trx: Knex.Transaction, tenantId: string, items: ScreenedItem[], ability: AppAbility, lockKeys: string[] = []): Promise<{ items: ScreenedItem[]; cameras: Map<string, CameraRow> }> {
  const events = items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
  const cameras = await loadCameras(trx, tenantId, [...new Set(events.map((e) => e.cameraId))], lockKeys);
  const laneStores = await loadLaneStores(trx, tenantId, [...new Set(events.flatMap((e) => (e.laneId ? [e.laneId] : [])))]);
  const screened = items.map((item) => {
    if (item.kind !== 'event') return item;
    const reason = refusal(item.event, cameras, laneStores, ability);
    return reason ? rejected(item.event.id, reason[0], reason[1]) : item;
  });
  return { items: screened, cameras };
}
