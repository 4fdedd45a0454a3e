import type { Knex } from 'knex';
import { AuditRecord } from '../../models/index.js';
import { AUDIT_SHARDS, auditKeysFor, checkpointSignatureProblem, shardOf, type Checkpoint, type CheckpointStore } from '../audit/index.js';
import { AUDIT_EXTRACT_FORMAT, type AuditExtract, type ChainLink, type ExtractChain, type ExtractRecord } from './custody-format.js';

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

interface ShardHead {
  shard: number;
  seq: number;
  hash: string;
}

/** The head of every chain (shard) of the tenant that holds records, lowest shard first. */
async function chainHeads(trx: Knex.Transaction, tenantId: string): Promise<ShardHead[]> {
  const { rows } = await trx.raw<{ rows: Array<{ shard: number | string; seq: number | string; hash: string }> }>(`
    SELECT s.shard, r.seq, r.hash
      FROM generate_series(0, ?::int - 1) AS s(shard)
     CROSS JOIN LATERAL (SELECT a.seq, a.hash FROM audit_records a WHERE a.tenant_id = ? AND a.shard = s.shard ORDER BY a.seq DESC LIMIT 1) r
     ORDER BY s.shard`, [AUDIT_SHARDS, tenantId]);
  return rows.map((r) => ({ shard: Number(r.shard), seq: Number(r.seq), hash: r.hash }));
}

/** The newest checkpoint of one chain with a valid signature that the chain has reached (seq at most its head's). */
async function latestCheckpoint(trx: Knex.Transaction, tenantId: string, head: ShardHead, stores: CheckpointStore[]): Promise<Checkpoint | null> {
  const keys = auditKeysFor(trx).checkpointKeys;
  let best: Checkpoint | null = null;
  for (const store of stores) {
    const found = await store.latest(tenantId, head.shard).catch(() => null);
    const cp = found?.checkpoint;
    if (!cp || cp.tenantId !== tenantId || shardOf(cp) !== head.shard || cp.seq > head.seq || checkpointSignatureProblem(cp, keys) !== null) continue;
    if (!best || cp.seq > best.seq) best = cp;
  }
  return best;
}

async function linksBetween(trx: Knex.Transaction, tenantId: string, shard: number, from: number, to: number, full: Set<number>): Promise<ChainLink[]> {
  if (to < from) return [];
  const rows = await trx('audit_records').where({ tenant_id: tenantId, shard }).whereBetween('seq', [from, to]).orderBy('seq')
    .select<Array<{ seq: number | string; id: string; prev_hash: string; hash: string }>>('seq', 'id', 'prev_hash', 'hash');
  return rows.map((r) => ({ seq: Number(r.seq), id: r.id, prevHash: r.prev_hash, hash: r.hash, full: full.has(Number(r.seq)) }));
}

function asExtractRecord(r: AuditRecord, removeNetwork: boolean): ExtractRecord {
  return {
    shard: Number(r.shard ?? 0), seq: Number(r.seq), id: r.id, occurredAt: new Date(r.occurredAt).toISOString(), actorType: r.actorType, actorId: r.actorId, action: r.action,
    subjectType: r.subjectType, subjectId: r.subjectId,
    before: removeNetwork ? withoutNetworkDetails(r.before ?? null) : (r.before ?? null),
    after: removeNetwork ? withoutNetworkDetails(r.after ?? null) : (r.after ?? null),
    requestId: r.requestId, clientAddress: removeNetwork ? null : r.clientAddress, prevHash: r.prevHash, hash: r.hash, macAlg: r.macAlg, keyId: r.keyId,
  };
}

/** One chain as the extract carries it: links from the earlier of its first record about the bundle and its checkpoint, to its head. */
async function extractChain(trx: Knex.Transaction, tenantId: string, head: ShardHead, records: ExtractRecord[], stores: CheckpointStore[]): Promise<ExtractChain> {
  const checkpoint = await latestCheckpoint(trx, tenantId, head, stores);
  const seqs = records.filter((r) => r.shard === head.shard).map((r) => r.seq);
  const from = Math.min(head.seq, ...seqs, ...(checkpoint && checkpoint.seq > 0 ? [checkpoint.seq] : []));
  const links = await linksBetween(trx, tenantId, head.shard, from, head.seq, new Set(seqs));
  const publicKey = checkpoint ? auditKeysFor(trx).checkpointKeys.get(checkpoint.keyId) : undefined;
  return {
    shard: head.shard, head: { seq: head.seq, hash: head.hash }, checkpoint,
    checkpointPublicKeyPem: publicKey ? publicKey.export({ type: 'spki', format: 'pem' }).toString() : null, links,
  };
}

/**
 * The audit extract of an export: every record about the incident, its items (purged too) and exports, on
 * whichever chain (shard) it landed, and every chain of the tenant with its head, its latest checkpoint and
 * its links from the earlier of its first such record and that checkpoint up to the head.
 */
export async function buildAuditExtract(trx: Knex.Transaction, input: ExtractInput): Promise<AuditExtract> {
  const { tenantId } = input;
  // Heads first: records written by concurrent writers after this point are past every head and left out.
  const heads = await chainHeads(trx, tenantId);
  const headOf = new Map(heads.map((h) => [h.shard, h.seq]));
  const subjects = [...new Set([input.incidentId, ...input.itemIds, ...input.exportIds, ...(await formerSubjects(trx, tenantId, input.incidentId))])].sort();
  const rows = await AuditRecord.forTenant(trx, tenantId).whereIn('subject_id', subjects).orderBy([{ column: 'shard' }, { column: 'seq' }]);
  const records = rows.filter((r) => Number(r.seq) <= (headOf.get(Number(r.shard ?? 0)) ?? 0)).map((r) => asExtractRecord(r, input.removeNetworkDetails));
  const chains: ExtractChain[] = [];
  for (const head of heads) chains.push(await extractChain(trx, tenantId, head, records, input.checkpointStores));
  return { format: AUDIT_EXTRACT_FORMAT, tenantId, subjects, networkDetailsRemoved: input.removeNetworkDetails, chains, records };
}
