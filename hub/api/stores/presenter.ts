import type { Store } from '../../../models/index.js';

export const presentStore = (s: Store) => ({
  id: s.id,
  regionId: s.regionId,
  name: s.name,
  code: s.code,
  timezone: s.timezone,
  address: s.address,
  settings: s.settings,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});
