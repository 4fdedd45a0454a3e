import { createReadStream } from 'node:fs';
import { newId, type EvidenceStore } from '../../contracts/index.js';
import { AuditRecord, IncidentComment, IncidentTransition, type Incident } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { buildBundle } from './bundle-builder.js';
import { tenantEvidenceKeys } from './keys.js';
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
}

/**
 * Exports an incident (already authorized) as a signed bundle into the evidence store and records it. The
 * export itself is audited; an unredacted one under its own action name so it stands out in the trail.
 */
export async function exportIncident(ctx: CommandContext, store: EvidenceStore, incident: Incident, options: { redacted: boolean }): Promise<ExportRow> {
  const { trx, tenantId } = ctx;
  const items = await trx<EvidenceItemRow>('evidence_items').where({ tenant_id: tenantId, incident_id: incident.id }).orderBy('id');
  const subjects = [incident.id, ...items.map((i) => i.id)];
  const [transitions, comments, auditRecords, keys] = await Promise.all([
    IncidentTransition.forTenant(trx, tenantId).where('incident_id', incident.id).orderBy('id'),
    IncidentComment.forTenant(trx, tenantId).where('incident_id', incident.id).orderBy('id'),
    AuditRecord.forTenant(trx, tenantId).whereIn('subject_id', subjects).orderBy('seq'),
    tenantEvidenceKeys(trx, tenantId),
  ]);
  const id = newId('export');
  const bundle = await buildBundle(ctx, store, {
    exportId: id, incident: incident.toJSON() as Record<string, unknown> & { id: string }, transitions: transitions.map((t) => t.toJSON()),
    comments: comments.map((c) => c.toJSON()), auditRecords: auditRecords.map((r) => r.toJSON()), items, redacted: options.redacted, keys,
  });
  try {
    const key = evidenceKeys.export(tenantId, id);
    await store.put(key, createReadStream(bundle.path), { contentType: 'application/zip', bytes: bundle.bytes });
    const rows = await trx<ExportRow>('evidence_exports').insert({
      tenant_id: tenantId, id, incident_id: incident.id, redacted: options.redacted, bytes: bundle.bytes, sha256: bundle.sha256, storage_key: key, created_by: ctx.actor.id,
    }).returning('*');
    await writeAudit(ctx, {
      action: options.redacted ? 'incident.exported' : 'incident.exported_unredacted', subjectType: 'Incident', subjectId: incident.id,
      after: { exportId: id, redacted: options.redacted, bytes: bundle.bytes, sha256: bundle.sha256, items: items.map((i) => i.id), keyId: keys.keyId },
    });
    return rows[0] as ExportRow;
  } finally {
    await bundle.cleanup();
  }
}
