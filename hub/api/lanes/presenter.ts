import type { Lane } from '../../../models/index.js';

export const presentLane = (l: Lane) => ({
  id: l.id,
  storeId: l.storeId,
  name: l.name,
  posWorkstationId: l.posWorkstationId,
  createdAt: l.createdAt.toISOString(),
  updatedAt: l.updatedAt.toISOString(),
});
