import type { EvidenceItemRow, UploadRow } from '../../evidence/index.js';

export const presentItem = (r: EvidenceItemRow) => ({
  id: r.id,
  kind: r.kind,
  storeId: r.store_id,
  cameraId: r.camera_id,
  incidentId: r.incident_id,
  eventId: r.event_id,
  originalId: r.original_id,
  contentType: r.content_type,
  bytes: Number(r.bytes),
  sha256: r.sha256,
  capturedFrom: r.captured_from.toISOString(),
  capturedTo: r.captured_to.toISOString(),
  metadata: r.metadata,
  createdAt: r.created_at.toISOString(),
});

export const presentUpload = (r: UploadRow) => ({
  id: r.id,
  itemId: r.item_id,
  state: r.state,
  bytes: Number(r.declared_bytes),
  offset: Number(r.offset),
  refusal: r.refusal,
  location: `/v1/evidence/uploads/${r.id}`,
  expiresAt: r.expires_at.toISOString(),
});
