import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import { Camera, DetectionEventRow, Incident, Store, type EvidenceHold } from '../../../models/index.js';
import { placeHold, releaseHold } from '../../commands/legal-hold-keeper.js';
import {
  abortUpload, DEFAULT_LINK_TTL_SECONDS, evidenceStoreFor, exportDepsFor, exportIncident, openUpload, publishedKeySet,
  uploadRequestSchema, type PendingItem, type UploadRequest, type UploadRow,
} from '../../evidence/index.js';
import { authorize, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { defineRoute } from '../route.js';
import type { HubServices } from '../services.js';
import type { RequestContext } from '../state.js';
import { readableIncident, readableItem } from './access.js';
import { exportLink, itemLink } from './links.js';
import { auditedAccess } from './refusal.js';
import { presentItem, presentUpload } from './presenter.js';
import { evidenceUploadSchema as uploadSchema } from '../../../contracts/index.js';
import { exportBody, exportSchema, holdBody, holdSchema, holdsQuery, itemSchema, itemsQuery, keysSchema, linkBody, linkSchema } from './schema.js';
import { listHolds, presentHoldRow } from './hold-list.js';
import { pageSchema, presentPage } from '../pagination.js';
import { listIncidentExportsRoute } from './export-list.js';

const tag = 'Evidence';

async function resolveIncidentId(ctx: RequestContext, request: UploadRequest, storeId: string): Promise<string | null> {
  let incidentId: string | null = request.incidentId ?? null;
  if (!incidentId && request.eventId) {
    // The event may not have reached the hub yet (a plugin's outbox orders per camera, not across kinds):
    // the item is linked when the upload completes, if the event has arrived by then.
    const event = await DetectionEventRow.forTenant(ctx.trx, ctx.principal.tenantId).findOne('detection_events.id', request.eventId);
    incidentId = event?.incidentId ?? null;
  }
  if (incidentId) {
    const incident = await Incident.forTenant(ctx.trx, ctx.principal.tenantId).findOne('incidents.id', incidentId);
    if (!incident || incident.storeId !== storeId) throw new AppError('not_found', 'incident not found for this camera\'s store');
  }
  return incidentId;
}

async function pendingItem(ctx: RequestContext, request: UploadRequest): Promise<PendingItem> {
  const camera = orNotFound(await Camera.forTenant(ctx.trx, ctx.principal.tenantId).findOne('cameras.id', request.cameraId), 'camera');
  const store = orNotFound(await Store.forTenant(ctx.trx, ctx.principal.tenantId).findOne('stores.id', camera.storeId), 'store');
  authorize(ctx, 'create', 'Evidence', { storeId: store.id, regionId: store.regionId });
  if (Date.parse(request.capturedTo) < Date.parse(request.capturedFrom)) throw new AppError('validation_failed', 'capturedTo is before capturedFrom');
  return {
    kind: request.kind, storeId: store.id, regionId: store.regionId, cameraId: camera.id, incidentId: await resolveIncidentId(ctx, request, store.id),
    eventId: request.eventId ?? null, originalId: request.originalId ?? null, capturedFrom: request.capturedFrom, capturedTo: request.capturedTo, metadata: request.metadata,
  };
}

async function ownUpload(ctx: RequestContext, id: string): Promise<UploadRow> {
  const upload = orNotFound(await ctx.trx<UploadRow>('evidence_uploads').where({ tenant_id: ctx.principal.tenantId, id }).first(), 'upload');
  authorize(ctx, 'create', 'Evidence', { storeId: upload.item.storeId, regionId: upload.item.regionId });
  return upload;
}

const presentHold = (h: EvidenceHold) => ({
  id: h.id, targetType: h.targetType, targetId: h.targetId, reason: h.reason, placedBy: h.placedBy, placedAt: h.placedAt.toISOString(),
  releasedBy: h.releasedBy, releasedAt: h.releasedAt ? h.releasedAt.toISOString() : null,
});

function uploadRoutes(services: HubServices) {
  return [
    defineRoute({
      method: 'post', path: '/v1/evidence/uploads', operationId: 'createEvidenceUpload', tag,
      summary: 'Open a resumable upload (declared size and edge SHA-256); then PATCH chunks with Upload-Offset',
      body: uploadRequestSchema,
      responses: { 201: { description: 'The upload, at offset 0', schema: uploadSchema } },
      handler: async ({ body }, ctx) => {
        const upload = await openUpload(commandContext(ctx), body, await pendingItem(ctx, body));
        return { status: 201, body: presentUpload(upload), headers: { location: `/v1/evidence/uploads/${upload.id}`, 'upload-offset': '0' } };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/evidence/uploads/:id', operationId: 'getEvidenceUpload', tag,
      summary: 'Where an upload stands (HEAD works too): Upload-Offset is where to resume',
      params: idParams('upload'),
      responses: { 200: { description: 'The upload', schema: uploadSchema } },
      handler: async ({ params }, ctx) => {
        const upload = await ownUpload(ctx, params.id);
        return { status: 200, body: presentUpload(upload), headers: { 'upload-offset': String(upload.offset), 'upload-length': String(upload.declared_bytes), 'cache-control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/v1/evidence/uploads/:id', operationId: 'abortEvidenceUpload', tag, summary: 'Abandon an open upload; its staged bytes are deleted',
      params: idParams('upload'),
      responses: { 204: { description: 'Abandoned' } },
      handler: async ({ params }, ctx) => {
        await abortUpload(evidenceStoreFor(services.config), commandContext(ctx), await ownUpload(ctx, params.id));
        return { status: 204 };
      },
    }),
  ];
}

function itemRoutes(services: HubServices) {
  return [
    defineRoute({
      method: 'get', path: '/v1/evidence/items', operationId: 'listEvidenceItems', tag, summary: 'Evidence items of an incident',
      query: itemsQuery,
      responses: { 200: { description: 'Items, oldest first', schema: z.object({ data: z.array(itemSchema) }) } },
      handler: async ({ query }, ctx) => {
        await readableIncident(ctx, query.incidentId);
        const rows = await ctx.trx('evidence_items').where({ tenant_id: ctx.principal.tenantId, incident_id: query.incidentId }).orderBy('id');
        return { status: 200, body: { data: rows.map(presentItem) } };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/evidence/items/:id', operationId: 'getEvidenceItem', tag, summary: 'An evidence item\'s metadata and SHA-256',
      params: idParams('evidence'),
      responses: { 200: { description: 'The item', schema: itemSchema } },
      handler: async ({ params }, ctx) => ({ status: 200, body: presentItem(await readableItem(ctx, params.id)) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/evidence/items/:id/links', operationId: 'linkEvidenceItem', tag,
      summary: 'A short-lived signed URL (at most 5 minutes, bound to the caller\'s token or session) to play (Range requests) or download the item: the redacted rendition unless the caller asks for the original and holds unredact',
      params: idParams('evidence'), body: linkBody,
      responses: { 201: { description: 'The link', schema: linkSchema }, 403: { description: 'The original was asked for without the unredact permission (audited)' } },
      handler: async ({ params, body }, ctx) => auditedAccess(ctx, params.id, async () => {
        const item = await readableItem(ctx, params.id);
        const link = await itemLink(ctx, evidenceStoreFor(services.config), item, body);
        return { status: 201, body: { url: `${services.config.http.publicUrl?.replace(/\/$/, '') ?? ''}${link.url}`, expiresAt: link.expiresAt, linkId: link.linkId, redacted: body.redacted } };
      }),
    }),
    defineRoute({
      method: 'get', path: '/v1/evidence/keys', operationId: 'listEvidenceKeys', tag,
      summary: 'The tenant\'s published key set: every ed25519 key that signed its evidence bundles (the active one and those retired by rotation), by kid, for `vigil evidence verify --key`',
      responses: { 200: { description: 'The published key set', schema: keysSchema } },
      handler: async (_input, ctx) => ({ status: 200, body: await publishedKeySet(ctx.trx, ctx.principal.tenantId) }),
    }),
  ];
}

function holdAndExportRoutes(services: HubServices) {
  const store = () => evidenceStoreFor(services.config);
  return [
    defineRoute({
      method: 'get', path: '/v1/evidence/holds', operationId: 'listLegalHolds', tag,
      summary: 'Legal holds, newest first (active ones unless state says otherwise), on the evidence the caller may read',
      query: holdsQuery,
      responses: { 200: { description: 'A page of holds', schema: pageSchema(holdSchema.extend({ storeId: z.string().nullable() })) } },
      handler: async ({ query }, ctx) => ({ status: 200, body: presentPage(await listHolds(ctx, query), presentHoldRow) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/evidence/holds', operationId: 'placeLegalHold', tag, summary: 'Place a legal hold on an incident or an item: nothing under it is deleted',
      body: holdBody,
      responses: { 201: { description: 'The (possibly already active) hold', schema: holdSchema } },
      handler: async ({ body }, ctx) => {
        const target = body.targetType === 'incident' ? await readableIncident(ctx, body.targetId) : await readableItem(ctx, body.targetId);
        const storeId = 'storeId' in target ? target.storeId : target.store_id;
        authorize(ctx, 'update', 'Evidence', { storeId });
        return { status: 201, body: presentHold(await placeHold(commandContext(ctx), store(), body)) };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/evidence/holds/:id/release', operationId: 'releaseLegalHold', tag, summary: 'Release a legal hold (audited)',
      params: idParams('hold'),
      responses: { 200: { description: 'The released hold', schema: holdSchema } },
      handler: async ({ params }, ctx) => {
        authorize(ctx, 'update', 'Evidence', {});
        return { status: 200, body: presentHold(await releaseHold(commandContext(ctx), store(), params.id)) };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/incidents/:id/exports', operationId: 'exportIncident', tag,
      summary: 'A signed evidence bundle (ZIP) of the incident; redacted unless the caller holds unredact',
      params: idParams('incident'), body: exportBody,
      responses: { 201: { description: 'The export and a short-lived download link', schema: exportSchema }, 409: { description: 'fixity_failed: stored evidence no longer matches its acquisition hash (audited; an integrity incident is opened)' } },
      handler: async ({ params, body }, ctx) => {
        const incident = await readableIncident(ctx, params.id);
        if (!body.redacted) authorize(ctx, 'unredact', 'Evidence', { storeId: incident.storeId, regionId: incident.regionId });
        const outcome = await exportIncident(commandContext(ctx), exportDepsFor(services.config), incident, body);
        // A refusal is answered without rolling back: its audit record and integrity incident must stay.
        if (!outcome.ok) return { status: outcome.error.status, body: { error: { code: outcome.error.code, message: outcome.error.message, requestId: ctx.requestId, details: outcome.error.details } } };
        const row = outcome.row;
        const { url, expiresAt } = await exportLink(ctx, row, { storeId: incident.storeId, regionId: incident.regionId }, DEFAULT_LINK_TTL_SECONDS);
        return { status: 201, body: { id: row.id, incidentId: incident.id, redacted: row.redacted, bytes: Number(row.bytes), sha256: row.sha256, url, expiresAt } };
      },
    }),
  ];
}

/** Evidence routes that speak JSON; the byte streams (chunk upload, playback) are in stream-routes.ts. */
export const evidenceRoutes = (services: HubServices) => {
  // Fail at start, not at the first upload, when the evidence storage settings are wrong.
  evidenceStoreFor(services.config);
  return [...uploadRoutes(services), ...itemRoutes(services), ...holdAndExportRoutes(services), listIncidentExportsRoute];
};
