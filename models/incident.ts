import { TenantModel } from './base-model.js';

export class Incident extends TenantModel {
  static override tableName = 'incidents';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['outcome'];
  storeId!: string;
  regionId!: string;
  laneId!: string | null;
  cameraId!: string;
  type!: string;
  severity!: string;
  state!: string;
  assigneeId!: string | null;
  confidence!: number;
  eventCount!: number;
  openedAt!: Date;
  lastEventAt!: Date;
  dismissReason!: string | null;
  outcome!: Record<string, unknown> | null;
  /** The pilot program whose rule raised it, and whether that program ran in shadow mode then. */
  programId!: string | null;
  shadow!: boolean;
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export class IncidentTransition extends TenantModel {
  static override tableName = 'incident_transitions';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['outcome'];
  incidentId!: string;
  action!: string;
  fromState!: string;
  toState!: string;
  actorId!: string;
  reason!: string | null;
  outcome!: Record<string, unknown> | null;
  at!: Date;
}

export class IncidentComment extends TenantModel {
  static override tableName = 'incident_comments';
  static override idColumn = ['tenant_id', 'id'];
  incidentId!: string;
  authorId!: string;
  body!: string;
  at!: Date;
}
