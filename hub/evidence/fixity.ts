import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError, type EvidenceStore } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { openIntegrityIncident } from '../commands/integrity-incident-opener.js';

/** What a fixity check needs of an item: where its bytes are and what they were at acquisition. */
export interface FixitySubject {
  id: string;
  kind: string;
  storageKey: string;
  /** The acquisition hash: computed at capture on the edge and re-checked on arrival. */
  sha256: string;
  bytes: number;
  storeId: string;
  regionId: string;
  cameraId: string;
  incidentId: string | null;
}

export type FixityProblem = 'size_mismatch' | 'hash_mismatch' | 'unreadable';

export interface FixityResult {
  itemId: string;
  ok: boolean;
  problem: FixityProblem | null;
  actualSha256: string | null;
  actualBytes: number | null;
  /** In words, for the audit record, the refusal and the operator. */
  message: string;
}

export const fixitySubjectOf = (row: { id: string; kind: string; storage_key: string; sha256: string; bytes: number | string; store_id: string; region_id: string; camera_id: string; incident_id: string | null }): FixitySubject => ({
  id: row.id, kind: row.kind, storageKey: row.storage_key, sha256: row.sha256, bytes: Number(row.bytes),
  storeId: row.store_id, regionId: row.region_id, cameraId: row.camera_id, incidentId: row.incident_id,
});

/** Re-reads the stored bytes and compares them with the acquisition hash and size. Never throws for bad bytes. */
export async function checkFixity(store: EvidenceStore, item: FixitySubject): Promise<FixityResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of await store.get(item.storageKey)) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } catch (error) {
    return { itemId: item.id, ok: false, problem: 'unreadable', actualSha256: null, actualBytes: null, message: `${item.id}: stored bytes cannot be read (${(error as Error).message.slice(0, 200)})` };
  }
  return judgeFixity(item, { sha256: hash.digest('hex'), bytes });
}

/** Compares what was read back with the acquisition hash and size: a size change is named as such. */
export function judgeFixity(item: Pick<FixitySubject, 'id' | 'sha256' | 'bytes'>, read: { sha256: string; bytes: number }): FixityResult {
  const base = { itemId: item.id, actualSha256: read.sha256, actualBytes: read.bytes };
  if (read.bytes !== item.bytes) return { ...base, ok: false, problem: 'size_mismatch', message: `${item.id}: size mismatch (acquired ${item.bytes} bytes, stored ${read.bytes} bytes)` };
  if (read.sha256 !== item.sha256) return { ...base, ok: false, problem: 'hash_mismatch', message: `${item.id}: SHA-256 mismatch (acquired ${item.sha256}, stored ${read.sha256})` };
  return { ...base, ok: true, problem: null, message: `${item.id}: intact` };
}

interface FixityRow {
  incident_id: string | null;
}

/**
 * Records a fixity check in the caller's transaction. A failure is audited (`evidence.fixity_failed`,
 * naming what was found and where it was found) and, the first time, opens an integrity incident (with the
 * webhook message every new incident sends).
 */
export async function recordFixity(ctx: CommandContext, item: FixitySubject, result: FixityResult, foundBy: 'export' | 'schedule'): Promise<{ incidentId: string | null }> {
  const at = (ctx.now ?? (() => new Date()))();
  const previous = await ctx.trx('evidence_fixity').where({ tenant_id: ctx.tenantId, item_id: item.id }).first<FixityRow | undefined>('incident_id');
  let incidentId = previous?.incident_id ?? null;
  if (!result.ok) {
    incidentId ??= await openIntegrityIncident(ctx, {
      itemId: item.id, storeId: item.storeId, regionId: item.regionId, cameraId: item.cameraId, problem: result.problem, source: 'fixity',
    });
    await writeAudit(ctx, {
      action: 'evidence.fixity_failed', subjectType: 'EvidenceItem', subjectId: item.id,
      before: { sha256: item.sha256, bytes: item.bytes },
      after: { problem: result.problem, sha256: result.actualSha256, bytes: result.actualBytes, foundBy, integrityIncidentId: incidentId, incidentId: item.incidentId },
    });
  }
  await ctx.trx('evidence_fixity')
    .insert({ tenant_id: ctx.tenantId, item_id: item.id, checked_at: at, ok: result.ok, actual_sha256: result.actualSha256, actual_bytes: result.actualBytes, incident_id: incidentId })
    .onConflict(['tenant_id', 'item_id'])
    .merge(['checked_at', 'ok', 'actual_sha256', 'actual_bytes', 'incident_id']);
  return { incidentId };
}

/** The refusal of an export whose evidence no longer matches its acquisition hash. */
export function fixityRefusal(failures: FixityResult[], incidentIds: string[]): AppError {
  return new AppError('fixity_failed', `export refused: stored evidence no longer matches its acquisition hash: ${failures.map((f) => f.message).join('; ')}`, {
    details: { items: failures.map((f) => ({ itemId: f.itemId, problem: f.problem })), integrityIncidents: incidentIds },
  });
}

/** Items of a tenant due a scheduled check: never checked, or last checked before `before`; oldest first. */
export async function itemsDueFixity(trx: Knex.Transaction, tenantId: string, before: Date, limit: number): Promise<FixitySubject[]> {
  const rows = await trx('evidence_items as i')
    .leftJoin('evidence_fixity as f', (j) => void j.on('f.tenant_id', 'i.tenant_id').andOn('f.item_id', 'i.id'))
    .where('i.tenant_id', tenantId)
    .where((q) => void q.whereNull('f.checked_at').orWhere('f.checked_at', '<', before))
    .orderByRaw('f.checked_at NULLS FIRST, i.id')
    .limit(limit)
    .forUpdate('i')
    .skipLocked()
    .select('i.id', 'i.kind', 'i.storage_key', 'i.sha256', 'i.bytes', 'i.store_id', 'i.region_id', 'i.camera_id', 'i.incident_id');
  return (rows as Array<Parameters<typeof fixitySubjectOf>[0]>).map(fixitySubjectOf);
}
