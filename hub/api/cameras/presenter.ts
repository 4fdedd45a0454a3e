import type { Camera } from '../../../models/index.js';

export const presentCamera = (c: Camera) => ({
  id: c.id,
  storeId: c.storeId,
  laneId: c.laneId,
  name: c.name,
  onvif: c.onvif,
  streams: c.streams,
  zones: c.zones,
  health: c.health,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
