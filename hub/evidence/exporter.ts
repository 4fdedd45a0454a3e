import { createReadStream } from 'node:fs';
import { newId, type AppError, type EvidenceStore } from '../../contracts/index.js';
import { IncidentComment, IncidentTransition, type Incident } from '../../models/index.js';
import { writeAudit, type CheckpointStore, type CommandContext } from '../audit/index.js';
import { buildBundle } from './bundle-builder.js';
import { stageOriginals, type Staging } from './bundle-staging.js';
import { buildAuditExtract } from './custody-extract.js';
import { custodyFacts, triggeringEvents, type CustodyRequest } from './custody-facts.js';
import { fixityRefusal, fixitySubjectOf, recordFixity } from './fixity.js';
import { activeSigningKey } from './keys.js';
import type { TimedBox } from './redaction-plan.js';
import { itemRedaction } from './redaction-tracks.js';
import type { EvidenceItemRow } from './rows.js';
import { evidenceKeys } from './storage.js';

export interface ExportRow {
  tenant_id: string;
  id: string;
  incident_id: string;
  redacted: boolean;
  bytes: number;
  sha256: string;
  storage_key: string;
  created_by: string;
  created_at: Date;
  case_number: string | null;
  recipient: string | null;
  purpose: string | null;
  key_id: string | null;
}

export interface ExportRequest extends CustodyRequest {
  redacted: boolean;
}

/** Where an export reads and writes: the evidence store, and the audit checkpoints it anchors the extract to. */
export interface ExportDeps {
  store: EvidenceStore;
  checkpointStores: CheckpointStore[];
}

/** A refused export still commits what it found (the fixity audit and the integrity incident). */
export type ExportOutcome = { ok: true; row: ExportRow } | { ok: false; error: AppError };

const custodyOf = (request: ExportRequest) => ({ caseNumber: request.caseNumber ?? null, recipient: request.recipient ?? null, purpose: request.purpose ?? null });

/** Fixity before export: every copy that does not match its acquisition hash is audited; the export is refused. */
async function refuseTampered(ctx: CommandContext, incident: Incident, staging: Staging, request: ExportRequest): Promise<AppError> {
  const incidents: string[] = [];
  for (const { item, fixity } of staging.staged) {
    if (fixity.ok) continue;
    const { incidentId } = await recordFixity(ctx, fixitySubjectOf(item), fixity, 'export');
    if (incidentId) incidents.push(incidentId);
  }
  const error = fixityRefusal(staging.failures, incidents);
  await writeAudit(ctx, {
    action: 'incident.export_refused', subjectType: 'Incident', subjectId: incident.id,
    after: { code: error.code, redacted: request.redacted, ...custodyOf(request), items: staging.failures.map((f) => ({ itemId: f.itemId, problem: f.problem })), integrityIncidents: incidents },
  });
  return error;
}

async function bundleFor(ctx: CommandContext, deps: ExportDeps, incident: Incident, items: EvidenceItemRow[], staging: Staging, request: ExportRequest, id: string) {
  const { trx, tenantId } = ctx;
  const [transitions, comments, events, key, exports] = [
    await IncidentTransition.forTenant(trx, tenantId).where('incident_id', incident.id).orderBy('id'),
    await IncidentComment.forTenant(trx, tenantId).where('incident_id', incident.id).orderBy('id'),
    await triggeringEvents(trx, tenantId, incident.id),
    await activeSigningKey(trx, tenantId),
    await trx('evidence_exports').where({ tenant_id: tenantId, incident_id: incident.id }).pluck<string[]>('id'),
  ];
  const extract = await buildAuditExtract(trx, {
    tenantId, incidentId: incident.id, itemIds: items.map((i) => i.id), exportIds: exports, removeNetworkDetails: request.redacted, checkpointStores: deps.checkpointStores,
  });
  // Redacted exports blur exactly what the item's redacted rendition blurs: the camera's tracks, per frame.
  const redaction = new Map<string, TimedBox[]>();
  if (request.redacted) for (const item of items) if (item.kind !== 'metadata') redaction.set(item.id, await itemRedaction(trx, item));
  const custody = await custodyFacts(trx, tenantId, incident, items.map((i) => i.camera_id), events.map((e) => e.id), request);
  const bundle = await buildBundle(ctx, staging, {
    exportId: id, incident: incident.toJSON() as Record<string, unknown> & { id: string }, transitions: transitions.map((t) => t.toJSON()),
    comments: comments.map((c) => c.toJSON()), events: events.map((e) => e.payload), extract, custody, redacted: request.redacted, redaction, key,
  });
  return { bundle, key };
}

/**
 * Exports an incident (already authorized) as a signed bundle into the evidence store and records it with
 * its case number, recipient and purpose. Every item is re-checked against its acquisition hash first; a
 * mismatch refuses the export (`fixity_failed`) and opens an integrity incident. Audited either way; an
 * unredacted export under its own action name so it stands out in the trail.
 */
export async function exportIncident(ctx: CommandContext, deps: ExportDeps, incident: Incident, request: ExportRequest): Promise<ExportOutcome> {
  const { trx, tenantId } = ctx;
  const items = await trx<EvidenceItemRow>('evidence_items').where({ tenant_id: tenantId, incident_id: incident.id }).orderBy('id');
  const staging = await stageOriginals(deps.store, items);
  try {
    if (staging.failures.length > 0) return { ok: false, error: await refuseTampered(ctx, incident, staging, request) };
    const id = newId('export');
    const { bundle, key } = await bundleFor(ctx, deps, incident, items, staging, request, id);
    const storageKey = evidenceKeys.export(ctx, id);
    await deps.store.put(storageKey, createReadStream(bundle.path), { contentType: 'application/zip', bytes: bundle.bytes });
    const rows = await trx<ExportRow>('evidence_exports').insert({
      tenant_id: tenantId, id, incident_id: incident.id, redacted: request.redacted, bytes: bundle.bytes, sha256: bundle.sha256, storage_key: storageKey,
      created_by: ctx.actor.id, ...{ case_number: request.caseNumber ?? null, recipient: request.recipient ?? null, purpose: request.purpose ?? null }, key_id: key.keyId,
    }).returning('*');
    if (items.length > 0) await trx('evidence_export_items').insert(items.map((i) => ({ tenant_id: tenantId, export_id: id, item_id: i.id })));
    await writeAudit(ctx, {
      action: request.redacted ? 'incident.exported' : 'incident.exported_unredacted', subjectType: 'Incident', subjectId: incident.id,
      after: { exportId: id, redacted: request.redacted, bytes: bundle.bytes, sha256: bundle.sha256, items: items.map((i) => i.id), keyId: key.keyId, ...custodyOf(request) },
    });
    return { ok: true, row: rows[0] as ExportRow };
  } finally {
    await staging.cleanup();
  }
}
