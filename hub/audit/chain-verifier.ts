import type { Knex } from 'knex';
import { AuditRecord, Tenant } from '../../models/index.js';
import type { AuditKeyring } from './audit-keys.js';
import { walkChain, type ChainProblem, type StoredAuditRecord } from './chain.js';
import { checkpointSignatureProblem, shardOf, type Checkpoint } from './checkpoint.js';
import type { CheckpointStore, FoundCheckpoint } from './checkpoint-stores.js';
import { auditKeysFor } from './keyring-binding.js';

type HeldCheckpoint = { seq: number; at: string; location: string } | null;

/** One of a tenant's chains. */
export interface ShardReport {
  shard: number;
  records: number;
  ok: boolean;
  checkpoint: HeldCheckpoint;
  /** The newest record the walk verified (before the break, when there is one). */
  last: { seq: number; id: string } | null;
}

/** A tenant's audit trail: every shard's chain verified; the first problem of any shard is the tenant's. */
export interface ChainReport {
  tenantId: string;
  /** Records over every shard. */
  records: number;
  ok: boolean;
  problem: ChainProblem | null;
  /** The newest valid checkpoint shard 0's chain was held against, if any. */
  checkpoint: HeldCheckpoint;
  shards: ShardReport[];
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

async function recordsOf(knex: Knex, tenantId: string, shard: number): Promise<StoredAuditRecord[]> {
  const out: StoredAuditRecord[] = [];
  let after = 0;
  for (;;) {
    const page: StoredAuditRecord[] = await AuditRecord.query(knex).where({ tenant_id: tenantId, shard }).where('seq', '>', after).orderBy('seq').limit(PAGE);
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

interface Chain {
  tenantId: string;
  shard: number;
}

const shardLabel = (shard: number): string => (shard === 0 ? '' : `shard ${shard}: `);

/** Why a checkpoint found for this chain cannot be trusted, or null. */
function distrust(found: FoundCheckpoint, chain: Chain, keyring: AuditKeyring): string | null {
  if (!found.checkpoint) return 'it is not a checkpoint';
  const why = checkpointSignatureProblem(found.checkpoint, keyring.checkpointKeys);
  if (why !== null) return why;
  if (found.checkpoint.tenantId !== chain.tenantId) return 'it names another tenant';
  return shardOf(found.checkpoint) === chain.shard ? null : 'it names another shard';
}

/** The newest checkpoint with a valid signature across the stores; a store holding a forged or broken one is a problem. */
async function anchorOf(chain: Chain, stores: CheckpointStore[], keyring: AuditKeyring, notes: string[]): Promise<Anchor> {
  let best: Anchor = { checkpoint: null, location: '', problem: null };
  for (const store of stores) {
    const found = await store.latest(chain.tenantId, chain.shard);
    if (!found) {
      notes.push(`${shardLabel(chain.shard)}no checkpoint in ${store.name} yet`);
      continue;
    }
    const why = distrust(found, chain, keyring);
    if (why !== null || !found.checkpoint) {
      best.problem ??= { kind: 'checkpoint_invalid', seq: found.checkpoint?.seq ?? 0, id: '', message: `checkpoint ${found.location} cannot be trusted: ${why ?? 'it is not a checkpoint'}` };
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

/** Every checkpoint of the chain in every store, oldest first; one that does not verify is a problem. */
async function historyOf(chain: Chain, stores: CheckpointStore[], keyring: AuditKeyring): Promise<History> {
  const history: History = { checkpoints: [], problem: null };
  for (const store of stores) {
    for (const found of await store.all(chain.tenantId, chain.shard)) {
      const why = distrust(found, chain, keyring);
      if (why === null && found.checkpoint) history.checkpoints.push({ checkpoint: found.checkpoint, location: found.location });
      else history.problem ??= { kind: 'checkpoint_invalid', seq: found.checkpoint?.seq ?? 0, id: '', message: `checkpoint ${found.location} cannot be trusted: ${why ?? 'it is not a checkpoint'}` };
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

interface ShardVerdict extends ShardReport {
  problem: ChainProblem | null;
}

async function verifyShard(knex: Knex, chain: Chain, keyring: AuditKeyring, options: VerifyOptions, notes: string[]): Promise<ShardVerdict> {
  const stores = options.stores ?? [];
  const anchor = await anchorOf(chain, stores, keyring, notes);
  const cp = anchor.checkpoint;
  const history: History = options.allCheckpoints ? await historyOf(chain, stores, keyring) : { checkpoints: [], problem: null };
  const records = await recordsOf(knex, chain.tenantId, chain.shard);
  const watch = new Set([...(cp ? [cp.seq] : []), ...history.checkpoints.map((h) => h.checkpoint.seq)]);
  const walk = walkChain(records, keyring.macKeys, watch);
  let problem: ChainProblem | null = null;
  if (cp && records.length === 0) problem = againstCheckpoint(cp, anchor.location, 0, null, undefined);
  problem ??= walk.problem;
  problem ??= againstHistory(history, walk.last?.seq ?? 0, walk.hashesAt);
  if (cp) problem ??= againstCheckpoint(cp, anchor.location, records.length, walk.last, walk.hashesAt.get(cp.seq));
  problem ??= anchor.problem;
  const named = problem ? { ...problem, shard: chain.shard, message: `${shardLabel(chain.shard)}${problem.message}` } : null;
  return {
    shard: chain.shard, records: records.length, ok: named === null, problem: named, last: walk.last ? { seq: walk.last.seq, id: walk.last.id } : null,
    checkpoint: cp ? { seq: cp.seq, at: cp.at, location: anchor.location } : null,
  };
}

/** Shard 0, every shard holding records, and every shard a checkpoint store knows (a wiped shard has only those). */
async function shardsOf(knex: Knex, tenantId: string, stores: CheckpointStore[]): Promise<number[]> {
  const { rows } = await knex.raw<{ rows: Array<{ shard: number }> }>('SELECT DISTINCT shard FROM audit_records WHERE tenant_id = ?', [tenantId]);
  const shards = new Set([0, ...rows.map((r) => Number(r.shard))]);
  for (const store of stores) for (const shard of await store.shards(tenantId)) shards.add(shard);
  return [...shards].sort((a, b) => a - b);
}

async function verifyTenant(knex: Knex, tenantId: string, keyring: AuditKeyring, options: VerifyOptions): Promise<ChainReport> {
  const notes: string[] = [];
  const shards: ShardVerdict[] = [];
  for (const shard of await shardsOf(knex, tenantId, options.stores ?? [])) shards.push(await verifyShard(knex, { tenantId, shard }, keyring, options, notes));
  const problem = shards.find((s) => s.problem)?.problem ?? null;
  return {
    tenantId, records: shards.reduce((n, s) => n + s.records, 0), ok: problem === null, problem,
    checkpoint: shards.find((s) => s.shard === 0)?.checkpoint ?? null,
    shards: shards.map(({ shard, records, ok, checkpoint, last }) => ({ shard, records, ok, checkpoint, last })), notes,
  };
}

/**
 * Recomputes one tenant's keyed chains, one per shard (or every tenant's, including tenants known only
 * from checkpoints) and holds each against its newest signed checkpoints: names an edited, deleted, inserted or reordered
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
