import { BaseModel } from './base-model.js';

/** When a routing policy last notified about one camera and incident type (its cool-down). */
export class RoutingCooldown extends BaseModel {
  static override tableName = 'routing_cooldowns';
  static override idColumn = ['tenant_id', 'policy_id', 'camera_id', 'type'];
  tenantId!: string;
  policyId!: string;
  cameraId!: string;
  type!: string;
  lastSentAt!: Date;
}

/** An escalation a routing policy scheduled for an incident nobody acknowledged in time. */
export class RoutingEscalation extends BaseModel {
  static override tableName = 'routing_escalations';
  static override idColumn = ['tenant_id', 'incident_id', 'policy_id'];
  tenantId!: string;
  incidentId!: string;
  policyId!: string;
  dueAt!: Date;
  doneAt!: Date | null;
  result!: string | null;
}

/** The ticket an outside system (ServiceNow) opened for one incident and endpoint. */
export class TicketLink extends BaseModel {
  static override tableName = 'ticket_links';
  static override idColumn = ['tenant_id', 'endpoint_id', 'subject_id'];
  tenantId!: string;
  endpointId!: string;
  subjectId!: string;
  externalId!: string;
  createdAt!: Date;
}

/** A tenant's own allow-list of subnets its webhooks may reach (within the operator ceiling). */
export class WebhookSettings extends BaseModel {
  static override tableName = 'webhook_settings';
  static override idColumn = 'tenant_id';
  tenantId!: string;
  allowedSubnets!: string[];
  /** The sealed (encrypted) secret POS uploads must be signed with; null when no signature is required. */
  inboundSecret!: string | null;
  updatedAt!: Date;
}
