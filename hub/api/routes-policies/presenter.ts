export interface RouteRow {
  id: string; name: string; region_id: string | null; store_id: string | null; incident_types: string[]; severities: string[];
  endpoint_ids: string[]; quiet_hours: { start: string; end: string } | null; cooldown_seconds: number; escalate_after_minutes: number | null;
  escalation_endpoint_ids: string[]; enabled: boolean; created_at: Date; updated_at: Date;
}

export const presentRoute = (r: RouteRow) => ({
  id: r.id, name: r.name, regionId: r.region_id, storeId: r.store_id, incidentTypes: r.incident_types, severities: r.severities,
  endpointIds: r.endpoint_ids, quietHours: r.quiet_hours, cooldownSeconds: r.cooldown_seconds, escalateAfterMinutes: r.escalate_after_minutes,
  escalationEndpointIds: r.escalation_endpoint_ids, enabled: r.enabled, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

/** The subject CASL sees: a store-scoped policy belongs to its store's region. */
export const routeSubject = (r: RouteRow, storeRegionId: string | null) => ({ id: r.id, regionId: r.region_id ?? storeRegionId, storeId: r.store_id });
