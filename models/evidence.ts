import { TenantModel } from './base-model.js';

/** A stored clip, snapshot or metadata document; the bytes live in evidence storage under `storageKey`. */
export class EvidenceItem extends TenantModel {
  static override tableName = 'evidence_items';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['metadata'];
  kind!: 'clip' | 'snapshot' | 'metadata';
  storeId!: string;
  regionId!: string;
  cameraId!: string;
  incidentId!: string | null;
  eventId!: string | null;
  originalId!: string | null;
  contentType!: string;
  bytes!: number;
  sha256!: string;
  storageBackend!: string;
  storageKey!: string;
  capturedFrom!: Date;
  capturedTo!: Date;
  metadata!: Record<string, unknown>;
  uploadedBy!: string;
  createdAt!: Date;
}

/** A legal hold on an incident or one item: while it is active (not released) nothing under it is deleted. */
export class EvidenceHold extends TenantModel {
  static override tableName = 'evidence_holds';
  static override idColumn = ['tenant_id', 'id'];
  targetType!: 'incident' | 'item';
  targetId!: string;
  reason!: string;
  placedBy!: string;
  placedAt!: Date;
  releasedBy!: string | null;
  releasedAt!: Date | null;
}
