import type { Region } from '../../../models/index.js';

export const presentRegion = (r: Region) => ({ id: r.id, name: r.name, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });
