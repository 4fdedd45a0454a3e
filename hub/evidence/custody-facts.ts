import type { Knex } from 'knex';
import type { BundleCustody } from './bundle-format.js';

export interface CustodyRequest {
  caseNumber?: string | undefined;
  recipient?: string | undefined;
  purpose?: string | undefined;
}

interface CameraRow {
  id: string;
  name: string;
  onvif: Record<string, unknown> | null;
  health: Record<string, unknown> | null;
}

/** ONVIF identity without where the camera sits on the network (URLs, addresses, hosts). */
const identityOnly = (onvif: Record<string, unknown> | null): Record<string, unknown> =>
  Object.fromEntries(Object.entries(onvif ?? {}).filter(([k]) => !/url|uri|address|host|ip/i.test(k)));

function clockOffsetOf(health: Record<string, unknown> | null): number | null {
  const value = health?.clockOffsetMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The detection events that opened or merged into the incident, as the plugin sent them, oldest first. */
export async function triggeringEvents(trx: Knex.Transaction, tenantId: string, incidentId: string): Promise<Array<{ id: string; payload: unknown }>> {
  const rows = await trx('detection_events').where({ tenant_id: tenantId, incident_id: incidentId }).orderBy([{ column: 'occurred_at' }, { column: 'id' }])
    .select<Array<{ id: string; payload: unknown }>>('id', 'payload');
  return rows.map((r) => ({ id: r.id, payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload }));
}

/** Who, for whom and why (from the request), and where: the store with its time zone and each camera's identity. */
export async function custodyFacts(trx: Knex.Transaction, tenantId: string, incident: { storeId: string; cameraId: string }, cameraIds: string[], eventIds: string[], request: CustodyRequest): Promise<BundleCustody> {
  const store = await trx('stores').where({ tenant_id: tenantId, id: incident.storeId }).first<{ id: string; name: string; timezone: string }>('id', 'name', 'timezone');
  const cameras = await trx('cameras').where({ tenant_id: tenantId }).whereIn('id', [...new Set([incident.cameraId, ...cameraIds])]).orderBy('id')
    .select<CameraRow[]>('id', 'name', 'onvif', 'health');
  return {
    caseNumber: request.caseNumber ?? null, recipient: request.recipient ?? null, purpose: request.purpose ?? null,
    store: { id: store.id, name: store.name, timeZone: store.timezone },
    cameras: cameras.map((c) => ({ id: c.id, name: c.name, onvif: identityOnly(c.onvif), clockOffsetMs: clockOffsetOf(c.health) })),
    eventIds,
  };
}
