import { TenantModel } from './base-model.js';

/** One detection event as stored; `payload` is the event exactly as the plugin sent it. */
export class DetectionEventRow extends TenantModel {
  static override tableName = 'detection_events';
  static override idColumn = ['tenant_id', 'id', 'occurred_at'];
  static override jsonAttributes = ['payload'];
  occurredAt!: Date;
  receivedAt!: Date;
  storeId!: string;
  cameraId!: string;
  laneId!: string | null;
  sourceId!: string;
  type!: string;
  severity!: string;
  confidence!: number;
  incidentId!: string | null;
  payload!: Record<string, unknown>;
}
