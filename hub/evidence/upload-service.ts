import type { Knex } from 'knex';
import { AppError, newId, type EvidenceStore } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { CONTENT_TYPES, type PendingItem, type UploadRequest } from './item-spec.js';
import { checkClip, checkJpeg, checkJson } from './media-check.js';
import { dropDigest, hashChunk, takeDigest } from './media-digest.js';
import { limitsOf, tenantLimits, type EvidenceItemRow, type ItemTable, type UploadRow, type UploadTable } from './rows.js';
import { evidenceKeys } from './storage.js';
import { tenantTransaction } from './tenant-transaction.js';
import { writeMessage } from '../webhooks/index.js';

/** How long one chunk may take before another request may take the upload over (a dead writer's lease). */
const WRITE_LEASE_MS = 5 * 60 * 1000;

/** Opens an upload (the caller has authorized creating evidence for `item.storeId`). */
export async function openUpload(ctx: CommandContext, request: UploadRequest, item: PendingItem): Promise<UploadRow> {
  const limits = await tenantLimits(ctx.trx, ctx.tenantId);
  if (request.bytes > limits.maxItemBytes) {
    throw new AppError('payload_too_large', `evidence items are limited to ${limits.maxItemBytes} bytes for this tenant`, { details: { maxItemBytes: limits.maxItemBytes } });
  }
  const now = (ctx.now ?? (() => new Date()))();
  const id = newId('upload');
  const rows = await ctx.trx<UploadTable>('evidence_uploads')
    .insert({
      tenant_id: ctx.tenantId, id, item_id: newId('evidence'), state: 'open', declared_bytes: request.bytes, declared_sha256: request.sha256,
      offset: 0, staging_key: evidenceKeys.staging(ctx, id), item: JSON.stringify(item),
      created_by: ctx.actor.id, expires_at: new Date(now.getTime() + limits.uploadTtlHours * 3600_000),
    })
    .returning('*');
  const row = rows[0];
  if (!row) throw new AppError('internal', 'upload insert returned nothing');
  return row;
}

export interface ChunkInput {
  offset: number;
  /** Content-Length of the request: required, so an oversized chunk is refused before a byte is stored. */
  length: number;
  body: AsyncIterable<Uint8Array>;
  /** The caller's permission check on the upload row, inside the claim (throws not_found when refused). */
  authorize(upload: UploadRow): void;
}

export interface ChunkResult {
  upload: UploadRow;
  item: EvidenceItemRow | null;
}

/**
 * Joined into the chunk bookkeeping statements (the write lease and the new offset) so their transactions
 * commit without waiting for the WAL flush. Losing one of them in a database crash is harmless: a lost lease
 * frees the upload, and a lost offset sends the client back to the previous one, where the next append
 * discards whatever lies past it (the staged bytes are no more durable than that). The item's record, which
 * completes the upload, commits synchronously.
 */
const RELAXED_COMMIT_SQL = "(SELECT set_config('synchronous_commit', 'off', true)) AS relaxed";

async function claim(knex: Knex, ctx: Omit<CommandContext, 'trx'>, uploadId: string, chunk: ChunkInput): Promise<UploadRow> {
  return tenantTransaction(knex, ctx, async (trx) => {
    // The tenant's limits come with the locked row, in one statement, which also relaxes this transaction's
    // commit (see RELAXED_COMMIT_SQL).
    const locked = await trx('evidence_uploads AS u').crossJoin(trx.raw(RELAXED_COMMIT_SQL)).where({ 'u.tenant_id': ctx.tenantId, 'u.id': uploadId }).forUpdate('u')
      .first<(UploadRow & { tenant_settings: { evidence?: unknown } | null }) | undefined>('u.*', trx.raw('(SELECT settings FROM tenants WHERE id = u.tenant_id) AS tenant_settings'));
    if (!locked) throw new AppError('not_found', 'upload not found');
    const { tenant_settings: settings, ...upload } = locked;
    chunk.authorize(upload);
    const now = (ctx.now ?? (() => new Date()))();
    if (upload.state !== 'open') throw new AppError('conflict', `this upload is ${upload.state}`, { details: { state: upload.state, refusal: upload.refusal } });
    if (upload.expires_at <= now) throw new AppError('not_found', 'this upload has expired');
    if (chunk.offset !== upload.offset) {
      throw new AppError('offset_mismatch', `Upload-Offset ${chunk.offset} does not match the ${upload.offset} bytes received; resume from there`, { details: { offset: upload.offset } });
    }
    const limits = limitsOf(settings);
    if (chunk.length > limits.maxChunkBytes) {
      throw new AppError('payload_too_large', `chunks are limited to ${limits.maxChunkBytes} bytes`, { details: { maxChunkBytes: limits.maxChunkBytes } });
    }
    if (upload.offset + chunk.length > upload.declared_bytes) {
      throw new AppError('payload_too_large', `the chunk runs past the declared ${upload.declared_bytes} bytes`, { details: { offset: upload.offset, declared: upload.declared_bytes } });
    }
    if (upload.writing_until && upload.writing_until > now) throw new AppError('conflict', 'another chunk of this upload is being written');
    await trx('evidence_uploads').where({ tenant_id: ctx.tenantId, id: uploadId }).update({ writing_until: new Date(now.getTime() + WRITE_LEASE_MS) });
    return upload;
  });
}

/**
 * Writes one chunk at the upload's offset (tus-style). A dropped request keeps what arrived: the offset is
 * re-read from the store afterwards, so the client resumes exactly there. The last chunk completes the item.
 */
export async function writeChunk(knex: Knex, store: EvidenceStore, ctx: Omit<CommandContext, 'trx'>, uploadId: string, chunk: ChunkInput): Promise<ChunkResult> {
  const upload = await claim(knex, ctx, uploadId, chunk);
  let failure: unknown = null;
  const hashed = hashChunk(upload.id, Number(upload.offset), chunk.body);
  try {
    await store.append(upload.staging_key, upload.offset, hashed.body, { bytes: chunk.length });
  } catch (error) {
    failure = error;
  }
  // The store says how much arrived; if it cannot even say (storage down), the offset stays where it was,
  // which is safe: the next append discards whatever lies past it.
  const staged = await store.stagedBytes(upload.staging_key).catch((error: unknown) => {
    failure ??= error;
    return upload.offset;
  });
  const offset = Math.min(staged, upload.declared_bytes);
  hashed.settle(failure ? -1 : staged, Number(upload.offset) + chunk.length);
  const updated = await tenantTransaction(knex, ctx, async (trx) => {
    const { rows } = await trx.raw<{ rows: UploadRow[] }>(
      `UPDATE evidence_uploads u SET "offset" = ?, writing_until = NULL, updated_at = ? FROM ${RELAXED_COMMIT_SQL} WHERE u.tenant_id = ? AND u.id = ? RETURNING u.*`,
      [offset, new Date(), ctx.tenantId, uploadId],
    );
    return rows[0] as UploadRow;
  });
  if (failure) {
    if ((failure as AppError).code === 'offset_mismatch') throw failure;
    throw new AppError('unavailable', 'the chunk did not arrive whole; resume from Upload-Offset', { cause: failure, details: { offset } });
  }
  if (offset < upload.declared_bytes) return { upload: updated, item: null };
  return { upload: updated, item: await completeUpload(knex, store, ctx, updated) };
}

async function refuse(knex: Knex, ctx: Omit<CommandContext, 'trx'>, upload: UploadRow, error: AppError, actual: Record<string, unknown>): Promise<never> {
  dropDigest(upload.id);
  await tenantTransaction(knex, ctx, async (trx) => {
    await trx('evidence_uploads').where({ tenant_id: ctx.tenantId, id: upload.id }).update({ state: 'refused', refusal: error.code, updated_at: new Date() });
    await writeAudit({ ...ctx, trx }, {
      action: 'evidence.refused', subjectType: 'EvidenceItem', subjectId: upload.item_id,
      after: { uploadId: upload.id, code: error.code, reason: error.message, declared: { bytes: upload.declared_bytes, sha256: upload.declared_sha256 }, ...actual },
    });
  });
  throw error;
}

/** Why an upload that reached its end was not filed: our error as is, anything else as an internal one. */
const refusalOf = (error: unknown): AppError => (error instanceof AppError ? error : new AppError('internal', 'the upload could not be completed', { cause: error }));

/** Checks what was stored is what its kind says (media-check.ts); the verdict is an AppError. */
async function checkMedia(store: EvidenceStore, key: string, kind: PendingItem['kind'], bytes: number): Promise<void> {
  if (kind === 'clip') await checkClip(store, key, bytes);
  if (kind === 'snapshot') await checkJpeg(store, key, bytes);
  if (kind === 'metadata') await checkJson(store, key);
}

/**
 * Moves the staged bytes into place (hashed while they streamed in, when this process saw them all), re-checks
 * the edge's SHA-256 and the media, and records the item. A refusal, or any failure after the bytes moved,
 * deletes them and marks the upload refused in one transaction with its audit record: an upload never stays
 * open at its full offset with nothing staged behind it.
 */
async function completeUpload(knex: Knex, store: EvidenceStore, ctx: Omit<CommandContext, 'trx'>, upload: UploadRow): Promise<EvidenceItemRow> {
  const pending = upload.item;
  const key = evidenceKeys.item(ctx, upload.item_id, pending.kind);
  const hashed = takeDigest(upload.id, Number(upload.declared_bytes));
  // If the move itself fails the staged bytes stay, and so does the offset: a PATCH of 0 bytes retries it.
  const stored = await store.commitStaged(upload.staging_key, key, { contentType: CONTENT_TYPES[pending.kind], ...(hashed ? { hashed } : {}) });
  try {
    if (stored.sha256 !== upload.declared_sha256 || Number(stored.bytes) !== Number(upload.declared_bytes)) {
      throw new AppError('checksum_mismatch', 'the bytes received do not match the SHA-256 computed at capture', {
        details: { declared: upload.declared_sha256, received: stored.sha256 },
      });
    }
    await checkMedia(store, key, pending.kind, stored.bytes);
    return await recordItem(knex, store, ctx, upload, stored);
  } catch (error) {
    await store.delete(key).catch(() => undefined);
    const refusal = refusalOf(error);
    const received = refusal.code === 'checksum_mismatch' ? { received: { bytes: stored.bytes, sha256: stored.sha256 } } : {};
    return refuse(knex, ctx, upload, refusal, received);
  }
}

async function recordItem(knex: Knex, store: EvidenceStore, ctx: Omit<CommandContext, 'trx'>, upload: UploadRow, stored: { key: string; bytes: number; sha256: string }): Promise<EvidenceItemRow> {
  const pending = upload.item;
  const key = stored.key;
  return tenantTransaction(knex, ctx, async (trx) => {
    const incidentId = pending.incidentId ?? (await incidentOfEvent(trx, ctx.tenantId, pending));
    const rows = await trx<ItemTable>('evidence_items').insert({
      tenant_id: ctx.tenantId, environment: ctx.environment ?? 'production', id: upload.item_id, kind: pending.kind, store_id: pending.storeId, region_id: pending.regionId,
      camera_id: pending.cameraId, incident_id: incidentId, event_id: pending.eventId, original_id: pending.originalId,
      content_type: CONTENT_TYPES[pending.kind], bytes: stored.bytes, sha256: stored.sha256, storage_backend: store.backend, storage_key: key,
      captured_from: new Date(pending.capturedFrom), captured_to: new Date(pending.capturedTo),
      metadata: JSON.stringify(pending.metadata), uploaded_by: upload.created_by,
    }).returning('*');
    await trx('evidence_uploads').where({ tenant_id: ctx.tenantId, id: upload.id }).update({ state: 'complete', updated_at: new Date() });
    await writeAudit({ ...ctx, trx }, {
      action: 'evidence.received', subjectType: 'EvidenceItem', subjectId: upload.item_id,
      after: { kind: pending.kind, bytes: stored.bytes, sha256: stored.sha256, incidentId, cameraId: pending.cameraId, backend: store.backend },
    });
    const item = rows[0];
    if (!item) throw new AppError('internal', 'evidence item insert returned nothing');
    if (incidentId !== null && item.kind !== 'metadata') await announceEvidence(trx, ctx.tenantId, item, incidentId);
    return item;
  });
}

/**
 * `evidence.ready`: a clip or snapshot is stored and filed with its incident (it follows the incident's alarm,
 * cut once the post-roll was recorded). Subscribers fetch the bytes through a signed link of the hub's API.
 */
async function announceEvidence(trx: Knex.Transaction, tenantId: string, item: EvidenceItemRow, incidentId: string): Promise<void> {
  await writeMessage(trx, tenantId, {
    type: 'evidence.ready',
    subjectId: item.id,
    data: {
      id: item.id, kind: item.kind, incidentId, eventId: item.event_id, cameraId: item.camera_id, storeId: item.store_id,
      contentType: item.content_type, bytes: Number(item.bytes), sha256: item.sha256,
      capturedFrom: new Date(item.captured_from).toISOString(), capturedTo: new Date(item.captured_to).toISOString(),
      links: { item: `/v1/evidence/items/${item.id}`, incident: `/v1/incidents/${incidentId}` },
    },
  });
}

/** The incident of the item's event, when the event arrived after the upload was opened (same store only). */
async function incidentOfEvent(trx: Knex.Transaction, tenantId: string, pending: PendingItem): Promise<string | null> {
  if (!pending.eventId) return null;
  const event = await trx('detection_events').where({ tenant_id: tenantId, id: pending.eventId, store_id: pending.storeId }).first<{ incident_id: string | null } | undefined>('incident_id');
  return event?.incident_id ?? null;
}

/** Abandons an open upload: its staged bytes go, the row records why. */
export async function abortUpload(store: EvidenceStore, ctx: CommandContext, upload: UploadRow): Promise<void> {
  if (upload.state !== 'open') throw new AppError('conflict', `this upload is ${upload.state}`);
  await store.discardStaged(upload.staging_key);
  dropDigest(upload.id);
  await ctx.trx('evidence_uploads').where({ tenant_id: ctx.tenantId, id: upload.id }).update({ state: 'refused', refusal: 'aborted', updated_at: new Date() });
}
