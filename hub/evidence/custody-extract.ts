import type { Knex } from 'knex';
import { AuditRecord } from '../../models/index.js';
import { auditKeysFor, checkpointSignatureProblem, type Checkpoint, type CheckpointStore } from '../audit/index.js';
import { AUDIT_EXTRACT_FORMAT, type AuditExtract, type ChainLink, type ExtractRecord } from './custody-format.js';

export interface ExtractInput {
  tenantId: string;
  incidentId: string;
  /** Items the incident holds now; purged ones are found in the trail. */
  itemIds: string[];
  exportIds: string[];
  removeNetworkDetails: boolean;
  checkpointStores: CheckpointStore[];
}

const NETWORK_KEYS = new Set(['userAgent', 'user_agent', 'clientAddress', 'ipAddress', 'ip', 'remoteAddress']);

/** A copy of a record's before/after without the viewer's network details (redacted bundles). */
function withoutNetworkDetails(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNetworkDetails);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !NETWORK_KEYS.has(k)).map(([k, v]) => [k, withoutNetworkDetails(v)]));
}

/** Items and exports the trail says belonged to the incident, including those since purged. */
async function formerSubjects(trx: Knex.Transaction, tenantId: string, incidentId: string): Promise<string[]> {
  const rows = await trx('audit_records').where('tenant_id', tenantId).whereIn('subject_type', ['EvidenceItem', 'EvidenceExport'])
    .where((q) => void q.whereRaw("after->>'incidentId' = ?", [incidentId]).orWhereRaw("before->>'incidentId' = ?", [incidentId]))
    .distinct('subject_id');
  return (rows as Array<{ subject_id: string }>).map((r) => r.subject_id);
}

async function chainHead(trx: Knex.Transaction, tenantId: string): Promise<{ seq: number; hash: string } | null> {
  const row = await trx('audit_records').where('tenant_id', tenantId).orderBy('seq', 'desc').first<{ seq: number | string; hash: string } | undefined>('seq', 'hash');
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/** The newest checkpoint with a valid signature that the chain has reached (seq at most the head's). */
async function latestCheckpoint(trx: Knex.Transaction, tenantId: string, stores: CheckpointStore[]): Promise<Checkpoint | null> {
  const keys = auditKeysFor(trx).checkpointKeys;
  let best: Checkpoint | null = null;
  for (const store of stores) {
    const found = await store.latest(tenantId).catch(() => null);
    const cp = found?.checkpoint;
    if (!cp || cp.tenantId !== tenantId || checkpointSignatureProblem(cp, keys) !== null) continue;
    if (!best || cp.seq > best.seq) best = cp;
  }
  return best;
}

async function linksBetween(trx: Knex.Transaction, tenantId: string, from: number, to: number, full: Set<number>): Promise<ChainLink[]> {
  if (to < from) return [];
  const rows = await trx('audit_records').where('tenant_id', tenantId).whereBetween('seq', [from, to]).orderBy('seq')
    .select<Array<{ seq: number | string; id: string; prev_hash: string; hash: string }>>('seq', 'id', 'prev_hash', 'hash');
  return rows.map((r) => ({ seq: Number(r.seq), id: r.id, prevHash: r.prev_hash, hash: r.hash, full: full.has(Number(r.seq)) }));
}

function asExtractRecord(r: AuditRecord, removeNetwork: boolean): ExtractRecord {
  return {
    seq: Number(r.seq), id: r.id, occurredAt: new Date(r.occurredAt).toISOString(), actorType: r.actorType, actorId: r.actorId, action: r.action,
    subjectType: r.subjectType, subjectId: r.subjectId,
    before: removeNetwork ? withoutNetworkDetails(r.before ?? null) : (r.before ?? null),
    after: removeNetwork ? withoutNetworkDetails(r.after ?? null) : (r.after ?? null),
    requestId: r.requestId, clientAddress: removeNetwork ? null : r.clientAddress, prevHash: r.prevHash, hash: r.hash, macAlg: r.macAlg, keyId: r.keyId,
  };
}

/**
 * The audit extract of an export: every record about the incident, its items (purged too) and exports, and
 * the chain links from the earlier of the first such record and the latest checkpoint to the head.
 */
export async function buildAuditExtract(trx: Knex.Transaction, input: ExtractInput): Promise<AuditExtract> {
  const { tenantId } = input;
  const checkpoint = await latestCheckpoint(trx, tenantId, input.checkpointStores);
  const head = (await chainHead(trx, tenantId)) ?? { seq: 0, hash: '0'.repeat(64) };
  const subjects = [...new Set([input.incidentId, ...input.itemIds, ...input.exportIds, ...(await formerSubjects(trx, tenantId, input.incidentId))])].sort();
  const rows = await AuditRecord.forTenant(trx, tenantId).whereIn('subject_id', subjects).where('seq', '<=', head.seq).orderBy('seq');
  const records = rows.map((r) => asExtractRecord(r, input.removeNetworkDetails));
  const starts = [records[0]?.seq, checkpoint && checkpoint.seq > 0 ? checkpoint.seq : undefined, head.seq > 0 ? head.seq : undefined].filter((s): s is number => s !== undefined);
  const from = starts.length > 0 ? Math.min(...starts) : 1;
  const links = await linksBetween(trx, tenantId, from, head.seq, new Set(records.map((r) => r.seq)));
  const publicKey = checkpoint ? auditKeysFor(trx).checkpointKeys.get(checkpoint.keyId) : undefined;
  return {
    format: AUDIT_EXTRACT_FORMAT, tenantId, subjects, networkDetailsRemoved: input.removeNetworkDetails, head, checkpoint,
    checkpointPublicKeyPem: publicKey ? publicKey.export({ type: 'spki', format: 'pem' }).toString() : null, links, records,
  };
}
