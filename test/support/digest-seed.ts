import { newId } from '../../contracts/index.js';
import type { TestHub } from './hub.js';

/** A store of a region with one lane and its camera, for incidents written straight into the raw tables. */
export interface DigestPlace { storeId: string; regionId: string; laneId: string; cameraId: string }

let stores = 0;
let incidents = 0;

export async function digestPlace(hub: TestHub, regionId: string, name: string): Promise<DigestPlace> {
  stores += 1;
  const store = await hub.admin.post<{ id: string }>('/v1/stores', { regionId, name, code: `DG-${stores}-${Date.now() % 100000}`, timezone: 'Europe/Paris' });
  const lane = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1', posWorkstationId: 'POS-1' });
  const camera = await hub.createCamera(store.id, { laneId: lane.id });
  return { storeId: store.id, regionId, laneId: lane.id, cameraId: camera.id };
}

export interface SeedIncident { type?: string; shadow?: boolean; laneless?: boolean; ackAfterSeconds?: number }

/** An incident opened at `at` (ms), written as the owner (production), acknowledged after the given seconds when asked. */
export async function seedIncident(hub: TestHub, p: DigestPlace, at: number, options: SeedIncident = {}): Promise<string> {
  incidents += 1;
  const id = `inc_dgst${incidents.toString().padStart(8, '0')}${Math.floor(Math.random() * 36 ** 8).toString(36).padStart(8, '0')}`;
  await hub.db.knex('incidents').insert({
    tenant_id: hub.tenantId, id, store_id: p.storeId, region_id: p.regionId, lane_id: options.laneless ? null : p.laneId, camera_id: p.cameraId,
    type: options.type ?? 'sweethearting', severity: 'medium', state: options.ackAfterSeconds === undefined ? 'new' : 'acknowledged', confidence: 0.9, event_count: 1,
    opened_at: new Date(at), last_event_at: new Date(at), shadow: options.shadow ?? false,
  });
  if (options.ackAfterSeconds !== undefined) {
    await hub.db.knex('incident_transitions').insert({
      tenant_id: hub.tenantId, id: newId('transition'), incident_id: id, action: 'acknowledge', from_state: 'new', to_state: 'acknowledged', actor_id: 'usr_test', reason: null, outcome: null,
      at: new Date(at + options.ackAfterSeconds * 1000),
    });
  }
  return id;
}
