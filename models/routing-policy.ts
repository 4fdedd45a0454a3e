import { TenantModel } from './base-model.js';

/** Which incidents go to which webhook endpoints, when (table routing_policies; ids `rtp_`, older ones `pol_`). */
export class RoutingPolicyRow extends TenantModel {
  static override tableName = 'routing_policies';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['quietHours'];
  name!: string;
  regionId!: string | null;
  storeId!: string | null;
  incidentTypes!: string[];
  severities!: string[];
  endpointIds!: string[];
  quietHours!: { start: string; end: string } | null;
  cooldownSeconds!: number;
  escalateAfterMinutes!: number | null;
  escalationEndpointIds!: string[];
  enabled!: boolean;
  createdAt!: Date;
  updatedAt!: Date;
}
