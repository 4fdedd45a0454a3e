import { BaseModel, TenantModel } from './base-model.js';

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

/** A resumable upload of one evidence item: bytes arrive in chunks at `offset` until `declaredBytes`. */
export class EvidenceUpload extends TenantModel {
  static override tableName = 'evidence_uploads';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['item'];
  itemId!: string;
  state!: 'open' | 'complete' | 'refused' | 'aborted';
  declaredBytes!: number;
  offset!: number;
  stagingKey!: string;
  item!: Record<string, unknown>;
  refusal!: string | null;
  writingUntil!: Date | null;
  createdBy!: string;
  createdAt!: Date;
  updatedAt!: Date;
  expiresAt!: Date;
}

/** A signed export bundle of an incident's evidence (a ZIP in evidence storage). */
export class EvidenceExport extends TenantModel {
  static override tableName = 'evidence_exports';
  static override idColumn = ['tenant_id', 'id'];
  incidentId!: string;
  redacted!: boolean;
  bytes!: number;
  storageKey!: string;
  createdBy!: string;
  createdAt!: Date;
}

/** A tenant's evidence keys: the ed25519 pair signing export manifests and the secret of signed links. */
export class EvidenceKeys extends BaseModel {
  static override tableName = 'evidence_keys';
  static override idColumn = 'tenant_id';
  tenantId!: string;
  keyId!: string;
  publicKeyPem!: string;
  privateKeyPem!: string;
  urlSecret!: string;
  createdAt!: Date;
}
