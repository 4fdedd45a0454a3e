import type { RoutingPolicyRow } from '../../../models/index.js';
import { policyView } from '../../commands/routing-policy-editor.js';

export const presentRoute = (p: RoutingPolicyRow) => ({ ...policyView(p), createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() });

/** The subject CASL sees: a store-scoped policy belongs to its store's region. */
export const routeSubject = (p: Pick<RoutingPolicyRow, 'id' | 'regionId' | 'storeId'>, storeRegionId: string | null) => ({
  id: p.id, regionId: p.regionId ?? storeRegionId, storeId: p.storeId,
});
