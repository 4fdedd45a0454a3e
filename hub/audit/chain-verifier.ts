import type { Knex } from 'knex';
import { AuditRecord, Tenant } from '../../models/index.js';
import type { AuditKeyring } from './audit-keys.js';
import { walkChain, type ChainProblem, type StoredAuditRecord } from './chain.js';
import { checkpointSignatureProblem, type Checkpoint } from './checkpoint.js';
import type { CheckpointStore } from './checkpoint-stores.js';
import { auditKeysFor } from './keyring-binding.js';

export interface ChainReport {
  tenantId: string;
  records: number;
  ok: boolean;
  problem: ChainProblem | null;
  /** The newest valid checkpoint the chain was held against, if any. */
  checkpoint: { seq: number; at: string; location: string } | null;
  /** Not failures, but worth reading: a store without a checkpoint yet. */
  notes: string[];
}

export interface VerifyOptions {
  /** Default: the keyring bound to this database handle at start-up. */
  keyring?: AuditKeyring;
  /** Checkpoint stores to hold each chain against (directory, S3). */
  stores?: CheckpointStore[];
  /** Hold the chain against every stored checkpoint, not only the newest (slower; catches a rewrite by someone holding both keys whose old checkpoints are locked). */
  allCheckpoints?: boolean;
}

const PAGE = 5000;

async function recordsOf(knex: Knex, tenantId: string): Promise<StoredAuditRecord[]> {
  const out: StoredAuditRecord[] = [];
  let after = 0;
  for (;;) {
    const page: StoredAuditRecord[] = await AuditRecord.query(knex).where('tenant_id', tenantId).where('seq', '>', after).orderBy('seq').limit(PAGE);
    out.push(...page);
    if (page.length < PAGE) return out;
    after = page[page.length - 1]?.seq ?? after;
  }
}

interface Anchor {
  checkpoint: Checkpoint | null;
  location: string;
  problem: ChainProblem | null;
}

/** The newest checkpoint with a valid signature across the stores; a store holding a forged or broken one is a problem. */
async function anchorOf(tenantId: string, stores: CheckpointStore[], keyring: AuditKeyring, notes: string[]): Promise<Anchor> {
  let best: Anchor = { checkpoint: null, location: '', problem: null };
  for (const store of stores) {
    const found = await store.latest(tenantId);
    if (!found) {
      notes.push(`no checkpoint in ${store.name} yet`);
      continue;
    }
    const why = found.checkpoint ? checkpointSignatureProblem(found.checkpoint, keyring.checkpointKeys) : 'it is not a checkpoint';
    if (why !== null || !found.checkpoint || found.checkpoint.tenantId !== tenantId) {
      best.problem ??= { kind: 'checkpoint_invalid', seq: found.checkpoint?.seq ?? 0, id: '', message: `checkpoint ${found.location} cannot be trusted: ${why ?? 'it names another tenant'}` };
      continue;
    }
    if (!best.checkpoint || found.checkpoint.seq > best.checkpoint.seq) best = { checkpoint: found.checkpoint, location: found.location, problem: best.problem };
  }
  return best;
}

function againstCheckpoint(cp: Checkpoint, location: string, records: number, last: { seq: number; id: string } | null, hashAtCp: string | undefined): ChainProblem | null {
  const signed = `checkpoint ${location} (signed ${cp.at})`;
  if (records === 0 && cp.seq > 0) {
    return { kind: 'wiped', seq: 0, id: '', message: `no audit records at all, but ${signed} says the chain held ${cp.seq} records ending in ${cp.headHash.slice(0, 16)}…: the tenant's trail was wiped` };
  }
  const lastSeq = last?.seq ?? 0;
  if (lastSeq < cp.seq) {
    return { kind: 'truncated', seq: lastSeq, id: last?.id ?? '', message: `chain ends at seq ${lastSeq} but ${signed} says ${cp.seq}: records ${lastSeq + 1}..${cp.seq} were deleted from the tail and the head rolled back` };
  }
  if (cp.seq > 0 && hashAtCp !== cp.headHash) {
    return { kind: 'rehashed', seq: cp.seq, id: '', message: `record ${cp.seq} no longer has the hash ${signed} recorded: the chain up to it was rewritten and re-hashed` };
  }
  return null;
}

interface History {
  checkpoints: Array<{ checkpoint: Checkpoint; location: string }>;
  problem: ChainProblem | null;
}

/** Every checkpoint of the tenant in every store, oldest first; one that does not verify is a problem. */
async function historyOf(tenantId: string, stores: CheckpointStore[], keyring: AuditKeyring): Promise<History> {
  const history: History = { checkpoints: [], problem: null };
  for (const store of stores) {
    for (const found of await store.all(tenantId)) {
      const why = found.checkpoint ? checkpointSignatureProblem(found.checkpoint, keyring.checkpointKeys) : 'it is not a checkpoint';
      if (why === null && found.checkpoint?.tenantId === tenantId) history.checkpoints.push({ checkpoint: found.checkpoint, location: found.location });
      else history.problem ??= { kind: 'checkpoint_invalid', seq: found.checkpoint?.seq ?? 0, id: '', message: `checkpoint ${found.location} cannot be trusted: ${why ?? 'it names another tenant'}` };
    }
  }
  history.checkpoints.sort((a, b) => a.checkpoint.seq - b.checkpoint.seq);
  return history;
}

function againstHistory(history: History, lastSeq: number, hashesAt: Map<number, string>): ChainProblem | null {
  for (const { checkpoint, location } of history.checkpoints) {
    if (checkpoint.seq === 0 || checkpoint.seq > lastSeq || hashesAt.get(checkpoint.seq) === checkpoint.headHash) continue;
    return { kind: 'rehashed', seq: checkpoint.seq, id: '', message: `record ${checkpoint.seq} no longer has the hash checkpoint ${location} (signed ${checkpoint.at}) recorded: the chain up to it was rewritten and re-hashed` };
  }
  return history.problem;
}

async function verifyTenant(knex: Knex, tenantId: string, keyring: AuditKeyring, options: VerifyOptions): Promise<ChainReport> {
  const stores = options.stores ?? [];
  const notes: string[] = [];
  const anchor = await anchorOf(tenantId, stores, keyring, notes);
  const cp = anchor.checkpoint;
  const history: History = options.allCheckpoints ? await historyOf(tenantId, stores, keyring) : { checkpoints: [], problem: null };
  const records = await recordsOf(knex, tenantId);
  const watch = new Set([...(cp ? [cp.seq] : []), ...history.checkpoints.map((h) => h.checkpoint.seq)]);
  const walk = walkChain(records, keyring.macKeys, watch);
  let problem: ChainProblem | null = null;
  if (cp && records.length === 0) problem = againstCheckpoint(cp, anchor.location, 0, null, undefined);
  problem ??= walk.problem;
  problem ??= againstHistory(history, walk.last?.seq ?? 0, walk.hashesAt);
  if (cp) problem ??= againstCheckpoint(cp, anchor.location, records.length, walk.last, walk.hashesAt.get(cp.seq));
  problem ??= anchor.problem;
  return {
    tenantId, records: records.length, ok: problem === null, problem,
    checkpoint: cp ? { seq: cp.seq, at: cp.at, location: anchor.location } : null, notes,
  };
}

/**
 * Recomputes one tenant's keyed chain (or every tenant's, including tenants known only from checkpoints)
 * and holds it against the newest signed checkpoints: names an edited, deleted, inserted or reordered
 * record, a re-hashed chain, a truncated tail and a wiped trail.
 */
export async function verifyAuditChains(knex: Knex, tenantId?: string, options: VerifyOptions = {}): Promise<ChainReport[]> {
  const keyring = options.keyring ?? auditKeysFor(knex);
  const stores = options.stores ?? [];
  let tenants: string[];
  if (tenantId) tenants = [tenantId];
  else {
    const known = new Set((await Tenant.query(knex).select('id')).map((t) => t.id));
    for (const store of stores) for (const id of await store.tenants()) known.add(id);
    tenants = [...known].sort();
  }
  const reports: ChainReport[] = [];
  for (const id of tenants) reports.push(await verifyTenant(knex, id, keyring, options));
  return reports;
}
