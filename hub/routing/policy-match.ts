import type { QuietHours } from './quiet-hours.js';

export interface RoutingPolicy {
  id: string;
  name: string;
  regionId: string | null;
  storeId: string | null;
  incidentTypes: string[];
  severities: string[];
  endpointIds: string[];
  quietHours: QuietHours | null;
  cooldownSeconds: number;
  escalateAfterMinutes: number | null;
  escalationEndpointIds: string[];
  enabled: boolean;
}

export interface RoutableIncident {
  id: string;
  storeId: string;
  regionId: string;
  cameraId: string;
  type: string;
  severity: string;
}

/** A policy applies to an incident in its scope (tenant, region or store) of a type and severity it lists. */
export function policyMatches(policy: RoutingPolicy, incident: RoutableIncident): boolean {
  if (!policy.enabled) return false;
  if (policy.storeId !== null && policy.storeId !== incident.storeId) return false;
  if (policy.regionId !== null && policy.regionId !== incident.regionId) return false;
  if (policy.incidentTypes.length > 0 && !policy.incidentTypes.includes(incident.type)) return false;
  if (policy.severities.length > 0 && !policy.severities.includes(incident.severity)) return false;
  return true;
}
